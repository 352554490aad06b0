// The soak's server: the example app itself (example/app.ts, every real handler, the dashboard timer, the
// middlewares) on a free loopback port, with its data in a fresh directory. run.ts starts it with
// NODE_ENV=production and TSX_TSCONFIG_PATH=bench/soak/tsconfig.json, so `express-liveview` is the built
// package (dist/) as users run it. Once a second it tells the parent its RSS, heap, CPU and connections.
import type { AddressInfo } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { createApp } from "../../example/app";
import { serveParent, tellParent } from "../support/processes";
import { quantile } from "../support/stats";
import { now, type ServerSample } from "./types";

if (process.env.NODE_ENV !== "production") throw new Error("the soak server runs with NODE_ENV=production");
const dataDir = process.argv[2];
const maxLifetimeMs = Number(process.argv[3]);
if (!dataDir || !maxLifetimeMs) throw new Error("usage: server.ts DATA_DIR MAX_LIFETIME_MS");

// The logging middleware writes a line per call; at hundreds of calls a second that is the terminal's
// load, not the app's. Counted instead, with the time it gives (middleware to ack, inside the server).
let loggedCalls = 0;
let callMs: number[] = [];
const TOOK = / in ([\d.]+) ms$/;
const example = createApp({
  dataDir,
  log: (line) => {
    loggedCalls++;
    callMs.push(Number(TOOK.exec(line)?.[1] ?? NaN));
  },
});
const { httpServer, liveview } = example;

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
/** With --expose-gc (`npm run soak -- --gc`), a forced full collection every 60th sample. */
const forceGc = (globalThis as { gc?: () => void }).gc;
let sampleCount = 0;
let lastCpu = process.cpuUsage();
let lastAt = now();
const sampler = setInterval(() => {
  const at = now();
  const cpu = process.cpuUsage(lastCpu);
  lastCpu = process.cpuUsage();
  const addresses = new Set<string>();
  for (const socket of liveview.io.of("/").sockets.values()) addresses.add(socket.handshake.address);
  let heapAfterGc: number | null = null;
  if (forceGc && ++sampleCount % 60 === 0) {
    forceGc();
    heapAfterGc = process.memoryUsage().heapUsed;
  }
  const memory = process.memoryUsage();
  const sample: ServerSample = {
    at,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    heapTotal: memory.heapTotal,
    external: memory.external,
    heapAfterGc,
    cpu: (cpu.user + cpu.system) / 1000 / (at - lastAt),
    connections: liveview.io.engine.clientsCount,
    addresses: addresses.size,
    loopDelayMs: loopDelay.percentile(99) / 1e6,
    callMsP99: quantile(callMs, 0.99),
  };
  callMs = [];
  loopDelay.reset();
  lastAt = at;
  tellParent({ type: "sample", sample });
}, 1000);

serveParent(async (message) => {
  if (message.type === "close") {
    clearInterval(sampler);
    await example.close();
    return { loggedCalls };
  }
  return { error: `unknown request ${String(message.type)}` };
}, maxLifetimeMs);

httpServer.listen(0, "127.0.0.1", () => {
  tellParent({ type: "listening", port: (httpServer.address() as AddressInfo).port });
});
