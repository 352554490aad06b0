// Broadcast fan-out over two nodes behind Redis (issue 8): a redis-server started for the run, two
// express-liveview processes sharing it, 1,000 idle connections from one lean client spread over both
// (500 each), and broadcasts made on the first node, timed until the last connection on either node got
// them. Compared with one in-memory node measured in the same run (figures/connections.ts).
import type { HoldOptions } from "../load/lean_client";
import { startChild } from "../support/processes";
import { median, sleep } from "../support/stats";
import { startRedis } from "../../test/support/redis";
import { CLIENT_CPU, startServer } from "./round_trip";

export interface ClusterFanOut {
  connections: number;
  fanOutMs: number;
  samples: number[];
}

export async function measureClusterFanOut(opts: { connections: number; broadcasts: number }): Promise<ClusterFanOut> {
  const redis = await startRedis();
  const nodes = [await startServer("liveview", [], [`--redis=${redis.url}`]), await startServer("liveview", [], [`--redis=${redis.url}`])];
  const hold: HoldOptions = { mode: "hold", url: nodes[0].url, urls: nodes.map((node) => node.url), connections: opts.connections };
  const client = startChild("load/lean_client.ts", [JSON.stringify(hold)], { cpu: CLIENT_CPU, maxLifetimeMs: 180_000 });
  try {
    await client
      .next((m) => m.type === "connected" || m.type === "failed", 120_000)
      .then((m) => {
        if (m.type === "failed") throw new Error(`lean client: ${String(m.error)}`);
      });
    // Each node's Redis stream reader starts a moment after it listens: give them time before measuring.
    await sleep(1000);
    const samples: number[] = [];
    for (let seq = -3; seq < opts.broadcasts; seq++) {
      const arrived = client.next<{ at: string }>((m) => m.type === "fanout" && m.seq === seq, 10_000);
      const { at: sent } = await nodes[0].child.request<{ at: string }>({ type: "broadcast", seq });
      const { at } = await arrived;
      if (seq >= 0) samples.push(Number(BigInt(at) - BigInt(sent)) / 1e6);
      await sleep(20);
    }
    return { connections: opts.connections, fanOutMs: median(samples), samples };
  } finally {
    await client.stop();
    await Promise.all(nodes.map((node) => node.child.stop()));
    await redis.stop();
  }
}
