// Child processes of the benchmark: TypeScript scripts run by Node with tsx, optionally pinned to one core
// with taskset and with the open-file limit raised, talking to the parent over Node's IPC channel.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";

/** Whether taskset (util-linux) can pin processes here; without it the figures are measured unpinned. */
export const canPin: boolean = (() => {
  const probe = spawnSync("taskset", ["-c", "0", "true"], { stdio: "ignore" });
  return probe.status === 0;
})();

export interface ChildOptions {
  /** The core to pin the process to (ignored when taskset is absent). */
  cpu?: number;
  /** Extra Node flags (`--expose-gc`, `--cpu-prof`). */
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** The child is killed after this long whatever happens, so no run can hang. */
  maxLifetimeMs: number;
}

export interface BenchChild {
  process: ChildProcess;
  /** Sends a message and resolves with the reply carrying the same request id. */
  request<T = Record<string, unknown>>(message: Record<string, unknown>, timeoutMs?: number): Promise<T>;
  /** Resolves with the next unsolicited message that passes `accept`. */
  next<T = Record<string, unknown>>(
    accept: (message: Record<string, unknown>) => boolean,
    timeoutMs: number,
  ): Promise<T>;
  send(message: Record<string, unknown>): void;
  /** Asks the child to exit, then kills it if it has not within a second. */
  stop(): Promise<void>;
}

/**
 * Starts `bench/<script>` with tsx. The shell wrapper raises the soft open-file limit to the hard one
 * (thousands of sockets) and `exec`s, so the pinned process is Node itself and the IPC channel passes through.
 */
export function startChild(script: string, args: string[], options: ChildOptions): BenchChild {
  const node = [
    process.execPath,
    ...(options.nodeFlags ?? []),
    "--import",
    "tsx",
    path.join(__dirname, "..", script),
    ...args,
  ];
  const pinned = canPin && options.cpu !== undefined ? ["taskset", "-c", String(options.cpu), ...node] : node;
  const command = `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${pinned.map(quote).join(" ")}`;
  const child = spawn("sh", ["-c", command], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, ...options.env },
  });
  const killer = setTimeout(() => child.kill("SIGKILL"), options.maxLifetimeMs);
  killer.unref();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let nextId = 1;

  const next = <T>(accept: (message: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const onMessage = (message: Record<string, unknown>) => {
        if (!accept(message)) return;
        cleanup();
        resolve(message as T);
      };
      const onExit = (code: number | null) => {
        cleanup();
        reject(new Error(`${script} exited (${code}) while waiting`));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${script}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
    });

  return {
    process: child,
    next,
    send: (message) => void child.send(message),
    request: <T>(message: Record<string, unknown>, timeoutMs = 30_000) => {
      const rid = nextId++;
      const reply = next<T>((m) => m.rid === rid, timeoutMs);
      child.send({ ...message, rid });
      return reply;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: "exit" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 1000);
        await exited;
        clearTimeout(timer);
      }
      clearTimeout(killer);
    },
  };
}

const quote = (word: string): string => `'${word.replace(/'/g, "'\\''")}'`;

/** In a child: answers the parent's requests; the handler's result is sent back with the request id. */
export function serveParent(
  handle: (message: Record<string, unknown>) => Record<string, unknown> | Promise<Record<string, unknown>> | void,
  maxLifetimeMs: number,
): void {
  setTimeout(() => process.exit(3), maxLifetimeMs).unref();
  process.on("disconnect", () => process.exit(0));
  process.on("message", async (message: Record<string, unknown>) => {
    if (message.type === "exit") process.exit(0);
    const result = await handle(message);
    if (message.rid !== undefined) process.send?.({ ...(result ?? {}), rid: message.rid });
  });
}

/** In a child: sends an unsolicited message to the parent. */
export const tellParent = (message: Record<string, unknown>): void => void process.send?.(message);
