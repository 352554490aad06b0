import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Socket } from "socket.io-client";
import { LIVEVIEW_EVENT, type Update } from "../../protocol/index";
import { httpGet } from "./http";
import { REPO_ROOT, spawnChild, type Child } from "./processes";
import { startRedis, type RedisServer } from "./redis";

const NODE_FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "cluster_node.ts");

export interface ClusterNode {
  name: string;
  port: number;
  url: string;
  child: Child;
}

/** A redis-server and LiveView nodes as separate processes sharing it, with a call log in a temp dir. */
export interface Cluster {
  redis: RedisServer;
  nodes: ClusterNode[];
  dir: string;
  /** The `record` runs so far, one line each: "<node> <room> <n> start|end". */
  runs(): string[];
  /** Starts one more node (also used by the tests to restart one). */
  startNode(name: string, env?: Record<string, string>): Promise<ClusterNode>;
  /** Stops every node and redis-server and removes the temp dir. */
  stop(): Promise<void>;
}

export async function startCluster(
  names: string[],
  env: (name: string, index: number) => Record<string, string> = () => ({}),
): Promise<Cluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "liveview-cluster-"));
  const callLog = path.join(dir, "calls.log");
  writeFileSync(callLog, "");
  const redis = await startRedis();
  const nodes: ClusterNode[] = [];
  const children: Child[] = [];

  const startNode = async (name: string, extra: Record<string, string> = {}): Promise<ClusterNode> => {
    const child = spawnChild(process.execPath, ["--import", "tsx", NODE_FIXTURE], {
      PORT: "0",
      REDIS_URL: redis.url,
      NODE_NAME: name,
      CALL_LOG: callLog,
      NODE_ENV: "test",
      ...extra,
    });
    children.push(child);
    const [, port] = await child.waitFor(/LISTENING (\d+)/, 30_000);
    const node = { name, port: Number(port), url: `http://127.0.0.1:${port}`, child };
    nodes.push(node);
    return node;
  };

  const stop = async () => {
    await Promise.all(children.map((child) => child.stop("SIGKILL")));
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    await Promise.all(names.map((name, index) => startNode(name, env(name, index))));
  } catch (error) {
    await stop();
    throw error;
  }
  nodes.sort((a, b) => names.indexOf(a.name) - names.indexOf(b.name));
  return {
    redis,
    nodes,
    dir,
    runs: () => readFileSync(callLog, "utf8").split("\n").filter(Boolean),
    startNode,
    stop,
  };
}

/**
 * Each node's stream reader starts a moment after it listens: until then it misses what the other nodes
 * publish. Sends probes from every node until every listed client (one per node) has one from each other node.
 */
export async function warmUp(nodes: ClusterNode[], clients: Socket[], timeoutMs = 15_000): Promise<void> {
  const seen = clients.map(() => new Set<string>());
  const listeners = clients.map((client, index) => {
    const listener = (update: Update) => {
      const match = /^probe via (\S+)$/.exec(String(update.html));
      if (match && update.target === "#shout") seen[index]!.add(match[1]!);
    };
    client.on(LIVEVIEW_EVENT, listener);
    return listener;
  });
  const complete = () => seen.every((names) => nodes.every((node) => names.has(node.name)));
  const start = Date.now();
  try {
    while (!complete()) {
      if (Date.now() - start > timeoutMs) throw new Error("the nodes did not hear each other through Redis in time");
      await Promise.all(nodes.map((node) => httpGet(`${node.url}/broadcast?text=probe`)));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    clients.forEach((client, index) => client.off(LIVEVIEW_EVENT, listeners[index]!));
  }
}
