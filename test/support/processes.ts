import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

export const REPO_ROOT = path.join(__dirname, "..", "..");

/** A port nothing listens on right now (the OS picks it; a tiny race remains, as with any free-port helper). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A child process with what it printed so far, for waiting on a line and for failure messages. */
export interface Child {
  process: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in stdout/stderr (from the start); rejects if the process exits. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  exited: Promise<number | string>;
  /** SIGTERM (or `signal`), then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

export function spawnChild(command: string, args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): Child {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString("utf8");
    waiters.forEach((check) => check());
  };
  child.stdout!.on("data", append);
  child.stderr!.on("data", append);
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => {
      resolve(code ?? signal ?? "unknown");
      waiters.forEach((check) => check());
    }),
  );
  const isRunning = () => child.exitCode === null && child.signalCode === null;

  return {
    process: child,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${pattern} from ${command}; output:\n${text}`));
        }, timeoutMs);
        const check = () => {
          const match = text.match(pattern);
          if (match || !isRunning()) {
            clearTimeout(timer);
            waiters.delete(check);
            if (match) resolve(match);
            else reject(new Error(`${command} exited before printing ${pattern}; output:\n${text}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    async stop(signal = "SIGTERM", graceMs = 3000) {
      if (isRunning()) child.kill(signal);
      const timer = setTimeout(() => isRunning() && child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/** Polls an async condition until it holds. */
export async function eventually(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
