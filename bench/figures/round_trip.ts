// Figure 1: round trips. A closed loop of calls from the lean client (pinned to core 1) against
// express-liveview and against the bare socket.io echo (each pinned to core 0), at several concurrencies,
// with the server's CPU time per call sampled around the measured window.
import type { LoopOptions, LoopResult } from "../load/lean_client";
import { SOCKET_PATH } from "../servers/payload";
import { startChild, type BenchChild } from "../support/processes";
import { median } from "../support/stats";

export type ServerKind = "liveview" | "echo";

export interface RoundTrip extends LoopResult {
  callsPerSecond: number;
  /** Server CPU time (user + system) per call in the window, µs. */
  cpuPerCallUs: number;
}

export interface RoundTripOptions {
  levels: number[];
  warmupMs: number;
  durationMs: number;
  /** Runs per level (echo and express-liveview alternate); each figure is the median over them. */
  repeats: number;
  /** Extra Node flags for the servers (`--cpu-prof`). */
  serverFlags?: string[];
  /** Levels at which express-liveview is also measured with `recoveryWindowMs: 0`, to show what recovery costs. */
  noRecoveryLevels?: number[];
}

export interface LevelResult extends Record<ServerKind, RoundTrip> {
  /** express-liveview with connection state recovery off (only at `noRecoveryLevels`). */
  noRecovery?: RoundTrip;
}

export const SERVER_CPU = 0;
export const CLIENT_CPU = 1;

/** Starts one benchmark server pinned to the server core; resolves once it listens. */
export async function startServer(
  kind: ServerKind,
  flags: string[] = [],
  args: string[] = [],
): Promise<{ child: BenchChild; url: string }> {
  const child = startChild(`servers/${kind}_server.ts`, args, {
    cpu: SERVER_CPU,
    nodeFlags: ["--expose-gc", ...flags],
    env: { NODE_ENV: "production" },
    maxLifetimeMs: 600_000,
  });
  const { port } = await child.next<{ port: number }>((m) => m.type === "ready", 30_000);
  return { child, url: `ws://127.0.0.1:${port}${SOCKET_PATH}` };
}

async function cpuMicros(server: BenchChild): Promise<number> {
  const usage = await server.request<{ user: number; system: number }>({ type: "cpu" });
  return usage.user + usage.system;
}

/** One closed-loop run of the lean client against one server. */
export async function runLoop(
  server: BenchChild,
  url: string,
  connections: number,
  opts: Pick<RoundTripOptions, "warmupMs" | "durationMs">,
): Promise<RoundTrip> {
  const loop: LoopOptions = { mode: "loop", url, connections, warmupMs: opts.warmupMs, durationMs: opts.durationMs };
  const client = startChild("load/lean_client.ts", [JSON.stringify(loop)], { cpu: CLIENT_CPU, maxLifetimeMs: 120_000 });
  try {
    const failed = client
      .next<{ error: string }>((m) => m.type === "failed", 110_000)
      .then((m) => {
        throw new Error(`lean client: ${m.error}`);
      });
    failed.catch(() => undefined);
    const step = <T>(promise: Promise<T>) => Promise.race([promise, failed]);
    await step(client.next((m) => m.type === "connected", 60_000));
    await step(client.next((m) => m.type === "window" && m.phase === "start", opts.warmupMs + 10_000));
    const cpuStart = await cpuMicros(server);
    await step(client.next((m) => m.type === "window" && m.phase === "end", opts.durationMs + 10_000));
    const cpuEnd = await cpuMicros(server);
    const { result } = await step(client.next<{ result: LoopResult }>((m) => m.type === "result", 15_000));
    return {
      ...result,
      callsPerSecond: result.calls / (result.windowMs / 1000),
      cpuPerCallUs: (cpuEnd - cpuStart) / Math.max(1, result.calls),
    };
  } finally {
    await client.stop();
  }
}

/** Both servers must send the same update; express-liveview's only carries socket.io's recovery offset more. */
function assertSameBytes(liveview: RoundTrip, echo: RoundTrip): void {
  const withoutOffset = liveview.sampleUpdate.replace(/,"[^"]*"\]$/, "]");
  if (withoutOffset !== echo.sampleUpdate && liveview.sampleUpdate !== echo.sampleUpdate) {
    throw new Error(`the servers sent different updates:\n${liveview.sampleUpdate}\n${echo.sampleUpdate}`);
  }
}

/** The median of each figure over several runs. */
function medianRun(runs: RoundTrip[]): RoundTrip {
  const of = (
    key:
      "callsPerSecond" | "p50Ms" | "p99Ms" | "cpuPerCallUs" | "clientCpuShare" | "bytesInPerCall" | "bytesOutPerCall",
  ) => median(runs.map((run) => run[key]));
  return {
    ...runs[0],
    callsPerSecond: of("callsPerSecond"),
    p50Ms: of("p50Ms"),
    p99Ms: of("p99Ms"),
    cpuPerCallUs: of("cpuPerCallUs"),
    clientCpuShare: of("clientCpuShare"),
    bytesInPerCall: of("bytesInPerCall"),
    bytesOutPerCall: of("bytesOutPerCall"),
  };
}

/**
 * The servers in the order the `run`th run measures them: each run starts one further along, so over as many runs
 * as there are servers each is measured first, second, ... once. Position matters: a server measured after others
 * has idled meanwhile (V8 shrinks an idle heap) and starts its window with a heap to regrow, which shows in its
 * p99. Reversing the order every other run, as before, left the middle one of three always in the middle.
 */
export function rotated<T>(items: readonly T[], run: number): T[] {
  const shift = run % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/**
 * Each run starts fresh servers (a process can be luckier than another for its whole life: memory layout, JIT),
 * measures them one after the other while the others idle, rotating the order (see `rotated`), and stops them.
 */
export async function measureRoundTrips(opts: RoundTripOptions): Promise<Map<number, LevelResult>> {
  const noRecoveryLevels = opts.noRecoveryLevels ?? [];
  const results = new Map<number, LevelResult>();
  for (const connections of opts.levels) {
    const runs: Record<"echo" | "liveview" | "noRecovery", RoundTrip[]> = { echo: [], liveview: [], noRecovery: [] };
    const withNoRecovery = noRecoveryLevels.includes(connections);
    for (let i = 0; i < opts.repeats; i++) {
      const servers = {
        echo: await startServer("echo", opts.serverFlags),
        liveview: await startServer("liveview", opts.serverFlags),
        noRecovery: withNoRecovery ? await startServer("liveview", opts.serverFlags, ["--recovery-window-ms=0"]) : null,
      };
      try {
        const kinds = (["echo", "liveview", "noRecovery"] as const).filter((kind) => servers[kind] !== null);
        for (const kind of rotated(kinds, i)) {
          const server = servers[kind]!;
          runs[kind].push(await runLoop(server.child, server.url, connections, opts));
        }
      } finally {
        await Promise.all(Object.values(servers).map((server) => server?.child.stop()));
      }
    }
    assertSameBytes(runs.liveview[0], runs.echo[0]);
    results.set(connections, {
      echo: medianRun(runs.echo),
      liveview: medianRun(runs.liveview),
      ...(withNoRecovery ? { noRecovery: medianRun(runs.noRecovery) } : {}),
    });
  }
  return results;
}
