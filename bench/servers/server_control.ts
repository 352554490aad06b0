// What both benchmark servers answer over IPC: CPU time, memory after a full GC, the number of open
// connections, and a broadcast stamped with the monotonic clock the load client also reads.
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { serveParent, tellParent } from "../support/processes";
import { broadcastUpdate } from "./payload";

export interface ServerHooks {
  broadcast(update: { target: string; html: string }): void;
  connections(): number;
}

const MAX_LIFETIME_MS = 300_000;

/** Listens on 127.0.0.1, answers the parent and tells it the port. */
export function runBenchServer(httpServer: HttpServer, hooks: ServerHooks): void {
  serveParent(async (message) => {
    switch (message.type) {
      case "cpu": {
        const usage = process.cpuUsage();
        return { user: usage.user, system: usage.system };
      }
      case "memory":
        return measureMemory();
      case "connections":
        return { count: hooks.connections() };
      case "broadcast": {
        const update = broadcastUpdate(Number(message.seq));
        const at = process.hrtime.bigint();
        hooks.broadcast(update);
        return { at: at.toString() };
      }
      default:
        return { error: `unknown request ${String(message.type)}` };
    }
  }, MAX_LIFETIME_MS);
  httpServer.listen(0, "127.0.0.1", () => {
    tellParent({ type: "ready", port: (httpServer.address() as AddressInfo).port });
  });
}

/** RSS and heap after two full collections (the process runs with --expose-gc). */
async function measureMemory(): Promise<Record<string, number>> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 2; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const usage = process.memoryUsage();
  return { rss: usage.rss, heapUsed: usage.heapUsed, external: usage.external };
}
