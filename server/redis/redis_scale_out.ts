import type * as RedisStreamsAdapter from "@socket.io/redis-streams-adapter";
import { optionalPackage } from "../packages/optional_package.js";
import type * as NodeRedis from "redis";
import type { ServerOptions } from "socket.io";
import { getLogger } from "../logger.js";
import { withHandledPromises } from "./handled_promises.js";
import { RedisCallLedger, type RedisEvalClient } from "./redis_call_ledger.js";

/**
 * A node-redis client (`createClient()` or `createCluster()` from "redis"), connected or connecting. The
 * adapter opens its own duplicates of it for reading the stream and for pub/sub.
 */
export interface RedisClientLike extends RedisEvalClient {
  duplicate(): unknown;
}

/** What several nodes share through Redis: the socket.io adapter and the call ledger. */
export interface RedisScaleOut {
  client: RedisClientLike;
  /** The socket.io Redis Streams adapter on this client (its readers start with the first call). */
  createAdapter(): NonNullable<ServerOptions["adapter"]>;
  ledger: RedisCallLedger;
  /** Stores the acks still being written and closes the client when createLiveView opened it. */
  close(): Promise<void>;
}

// Loaded only when a node is set up for Redis. node-redis is several hundred modules and megabytes of heap:
// an app on one process never loads it, so its every major collection has that much less to walk.
const redisStreamsAdapter = () => require("@socket.io/redis-streams-adapter") as typeof RedisStreamsAdapter;
// An optional peer dependency: needed only when createLiveView opens its own client from a URL.
const nodeRedis = () => optionalPackage<typeof NodeRedis>("redis", "The `redis` option with a URL");

/** How long closing waits for the commands in flight before dropping the connection. */
const CLOSE_TIMEOUT_MS = 2000;

/**
 * Connects the socket.io Redis Streams adapter and the Redis call ledger to `redis`: a URL (createLiveView
 * opens, and later closes, its own client) or a client of the app's (left open).
 */
export function setUpRedis(redis: string | RedisClientLike, ledgerTtlMs?: number): RedisScaleOut {
  const own = typeof redis === "string" ? openClient(redis) : null;
  const client: RedisClientLike = own?.client ?? (redis as RedisClientLike);
  const ledger = new RedisCallLedger(client, ledgerTtlMs === undefined ? {} : { ttlMs: ledgerTtlMs });
  // The adapter's own connections (stream reader, pub/sub). It closes them itself, the reader only after its
  // blocking read (up to 5 s): we close those that are up at once. One still connecting is left alone (closing
  // it then would reject promises the adapter does not handle); the adapter closes it once it connects.
  const copies = new Set<{ destroy?: () => void; isReady?: boolean }>();
  return {
    client,
    createAdapter: () => redisStreamsAdapter().createAdapter(withHandledPromises(client, (copy) => copies.add(copy))),
    ledger,
    close: async () => {
      for (const copy of copies) {
        try {
          if (copy.isReady) copy.destroy?.();
        } catch {
          // already closed
        }
      }
      ledger.stop();
      // With Redis down, writes wait for a reconnection that may never come: give them a moment, no more.
      await withTimeout(ledger.flush(), CLOSE_TIMEOUT_MS);
      if (!own) return;
      // node-redis leaves a socket open when closed while still connecting: let the attempt finish first.
      await withTimeout(own.connecting, CLOSE_TIMEOUT_MS);
      const clean = await withTimeout(own.client.close(), CLOSE_TIMEOUT_MS);
      if (!clean && own.client.isOpen) own.client.destroy();
    },
  };
}

/** True if `work` settled in time (either way), false if it was still going. */
async function withTimeout(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  const done = work.then(
    () => true,
    () => false,
  );
  const result = await Promise.race([done, late]);
  clearTimeout(timer);
  return result;
}

/** A client of our own: connecting in the background (commands wait for it), errors logged once per outage. */
function openClient(url: string) {
  const client = nodeRedis().createClient({ url });
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    getLogger().error(`[liveview] Redis at ${redactUrl(url)}: ${error.message}; retrying`);
  });
  client.on("ready", () => {
    if (down) getLogger().info(`[liveview] Redis at ${redactUrl(url)} is back`);
    down = false;
  });
  const connecting = client.connect().catch(() => undefined); // failures are reported through "error"
  return { client, connecting };
}

/** The URL without its password, for log lines. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}
