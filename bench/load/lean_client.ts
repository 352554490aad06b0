// The load client: one process holding many socket.io connections over bare `ws` (see wire.ts).
//   loop: a closed loop of calls per connection (send, wait for the ack, send again); reports the calls
//         completed in the measured window, their p50/p99 latency and the bytes per call both ways.
//   hold: idle connections; reports when every connection has received broadcast number `seq`.
import { serveParent, tellParent } from "../support/processes";
import { quantile } from "../support/stats";
import { CALL_DATA, CALL_FUNCTION, EVENT } from "../servers/payload";
import { LeanSocket, openSockets } from "./wire";

export interface LoopOptions {
  mode: "loop";
  url: string;
  connections: number;
  warmupMs: number;
  durationMs: number;
}
export interface HoldOptions {
  mode: "hold";
  url: string;
  connections: number;
  /** Spread the connections over these servers in turn (several nodes); `url` alone when absent. */
  urls?: string[];
}
export type LeanClientOptions = LoopOptions | HoldOptions;

export interface LoopResult {
  calls: number;
  /** Acks received in all phases (warm-up and drain too), for per-call figures over a whole profile. */
  totalCalls: number;
  windowMs: number;
  p50Ms: number;
  p99Ms: number;
  bytesInPerCall: number;
  bytesOutPerCall: number;
  /** Share of one core the load client used in the window: near 1, it and not the server set the pace. */
  clientCpuShare: number;
  /** The first update frame received, to check both servers send the same bytes. */
  sampleUpdate: string;
}

const MAX_LIFETIME_MS = 120_000;
const options = JSON.parse(process.argv[2]) as LeanClientOptions;
serveParent(() => undefined, MAX_LIFETIME_MS);
/** Starts each connection's loop once every connection is open. */
const starters: Array<() => void> = [];
/** Call ids are unique across runs: the server remembers recent ids to run a resent call once. */
const runId = process.pid.toString(36);

/** The call frame `42<ack>["liveview",{...}]` with a fresh call id, cut around the two variable parts. */
function callFrameParts(room: string): [string, string, string] {
  const message = { id: "@@id@@", function: CALL_FUNCTION, data: CALL_DATA, form: {}, lang: null, room };
  const [before, after] = JSON.stringify([EVENT, message]).split("@@id@@");
  return ["42", before, after];
}

async function loop(opts: LoopOptions): Promise<void> {
  let phase: "warmup" | "measure" | "drain" = "warmup";
  let latencies: Float64Array = new Float64Array(1 << 16);
  let calls = 0;
  let bytesIn = 0;
  let bytesOut = 0;
  let sampleUpdate = "";
  let outstanding = 0;
  let totalCalls = 0;
  const count = (received: number, sent: number) => {
    if (phase !== "measure") return;
    bytesIn += received;
    bytesOut += sent;
  };

  const sockets = await openSockets(opts.connections, 50, (index) => {
    const room = `r${index}`;
    const [head, before, after] = callFrameParts(room);
    let ackId = 0;
    let sentAt = 0;
    const socket: LeanSocket = new LeanSocket(
      opts.url,
      { room },
      {
        bytes: count,
        event: (frame) => {
          if (!sampleUpdate && frame.includes("#row")) sampleUpdate = frame.toString();
        },
        ack: (id) => {
          if (id !== ackId) return;
          outstanding--;
          totalCalls++;
          if (phase === "measure") {
            if (calls === latencies.length) latencies = grow(latencies);
            latencies[calls++] = performance.now() - sentAt;
          }
          if (phase !== "drain") send();
        },
      },
    );
    const send = () => {
      ackId++;
      outstanding++;
      sentAt = performance.now();
      socket.sendText(`${head}${ackId}${before}${runId}-${index}-${ackId}${after}`);
    };
    void socket.connected.then(() => (starters[index] = send));
    return socket;
  });
  tellParent({ type: "connected" });
  for (const start of starters) start();
  await sleep(opts.warmupMs);
  phase = "measure";
  tellParent({ type: "window", phase: "start" });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await sleep(opts.durationMs);
  phase = "drain";
  const windowMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  tellParent({ type: "window", phase: "end" });
  const drainDeadline = performance.now() + 5000;
  while (outstanding > 0 && performance.now() < drainDeadline) await sleep(10);
  for (const socket of sockets) socket.close();
  const sample = latencies.subarray(0, calls);
  const result: LoopResult = {
    calls,
    totalCalls,
    windowMs,
    p50Ms: quantile(sample, 0.5),
    p99Ms: quantile(sample, 0.99),
    bytesInPerCall: bytesIn / Math.max(1, calls),
    bytesOutPerCall: bytesOut / Math.max(1, calls),
    clientCpuShare: (cpu.user + cpu.system) / 1000 / windowMs,
    sampleUpdate,
  };
  tellParent({ type: "result", result });
}
async function hold(opts: HoldOptions): Promise<void> {
  const received = new Map<number, number>();
  const marker = Buffer.from('data-seq=\\"');
  const urls = opts.urls?.length ? opts.urls : [opts.url];
  await openSockets(
    opts.connections,
    50,
    (index) =>
      new LeanSocket(
        urls[index % urls.length],
        { room: "fanout" },
        {
          event: (frame) => {
            const at = frame.indexOf(marker);
            if (at < 0) return;
            const seq = Number.parseInt(frame.toString("latin1", at + marker.length, at + marker.length + 12), 10);
            const got = (received.get(seq) ?? 0) + 1;
            received.set(seq, got);
            if (got === opts.connections) tellParent({ type: "fanout", seq, at: process.hrtime.bigint().toString() });
          },
        },
      ),
  );
  tellParent({ type: "connected" });
}

function grow(values: Float64Array): Float64Array {
  const bigger = new Float64Array(values.length * 2);
  bigger.set(values);
  return bigger;
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

(options.mode === "loop" ? loop(options) : hold(options)).catch((error: unknown) => {
  tellParent({ type: "failed", error: String(error) });
  setTimeout(() => process.exit(1), 100);
});
