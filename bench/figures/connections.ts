// Figures 2 and 3: idle memory per connection, and broadcast fan-out. A fresh server of each kind; the
// lean client (one process, pinned to the other core) opens N idle connections; RSS is read after a full
// GC before and after. With 1,000 connections open, the parent then asks the server for broadcasts and the
// client reports when the last of its sockets got each one (the same monotonic clock in both processes).
import type { HoldOptions } from "../load/lean_client";
import { startChild } from "../support/processes";
import { median, sleep } from "../support/stats";
import { CLIENT_CPU, startServer, type ServerKind } from "./round_trip";

export interface ConnectionFigures {
  connections: number;
  /** RSS growth per open connection, bytes. */
  rssPerConnection: number;
  heapPerConnection: number;
  /** Median time from the broadcast call until every connection had it, ms (only when measured). */
  fanOutMs?: number;
  fanOutSamples?: number[];
}

interface Memory {
  rss: number;
  heapUsed: number;
}

export interface ConnectionOptions {
  connections: number;
  /** Broadcasts to time once the connections are open (0: memory only). */
  broadcasts: number;
}

export async function measureConnections(kind: ServerKind, opts: ConnectionOptions): Promise<ConnectionFigures> {
  const server = await startServer(kind);
  const hold: HoldOptions = { mode: "hold", url: server.url, connections: opts.connections };
  const client = startChild("load/lean_client.ts", [JSON.stringify(hold)], { cpu: CLIENT_CPU, maxLifetimeMs: 180_000 });
  try {
    const before = await server.child.request<Memory>({ type: "memory" });
    await client
      .next((m) => m.type === "connected" || m.type === "failed", 120_000)
      .then((m) => {
        if (m.type === "failed") throw new Error(`lean client: ${String(m.error)}`);
      });
    const { count } = await server.child.request<{ count: number }>({ type: "connections" });
    if (count !== opts.connections) throw new Error(`${kind}: ${count} connections open, expected ${opts.connections}`);
    await sleep(500);
    const after = await server.child.request<Memory>({ type: "memory" });
    const figures: ConnectionFigures = {
      connections: opts.connections,
      rssPerConnection: (after.rss - before.rss) / opts.connections,
      heapPerConnection: (after.heapUsed - before.heapUsed) / opts.connections,
    };
    if (opts.broadcasts > 0) {
      const samples: number[] = [];
      // Two warm-up broadcasts, then the measured ones, each after the previous one arrived everywhere.
      for (let seq = -2; seq < opts.broadcasts; seq++) {
        const arrived = client.next<{ at: string }>((m) => m.type === "fanout" && m.seq === seq, 10_000);
        const { at: sent } = await server.child.request<{ at: string }>({ type: "broadcast", seq });
        const { at } = await arrived;
        if (seq >= 0) samples.push(Number(BigInt(at) - BigInt(sent)) / 1e6);
        await sleep(20);
      }
      figures.fanOutMs = median(samples);
      figures.fanOutSamples = samples;
    }
    return figures;
  } finally {
    await client.stop();
    await server.child.stop();
  }
}
