import { existsSync } from "node:fs";
import net from "node:net";
import { eventually, freePort, spawnChild, type Child } from "./processes";

/** Debian's redis-server (`npm test` installs it through scripts/ensure-test-deps.mjs). */
export const REDIS_SERVER_PATH = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";

export interface RedisServer {
  port: number;
  url: string;
  child: Child;
  stop(): Promise<void>;
}

export const redisAvailable = (): boolean => existsSync(REDIS_SERVER_PATH);

/** Starts a throwaway redis-server on a free loopback port, without persistence, and waits until it answers PING. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawnChild(REDIS_SERVER_PATH, [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
  ]);
  try {
    await eventually(() => ping(port), 10_000);
  } catch (error) {
    await child.stop("SIGKILL");
    throw new Error(`redis-server did not answer on port ${port}: ${String(error)}\n${child.output()}`);
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    child,
    stop: async () => void (await child.stop("SIGTERM", 2000)),
  };
}

/** One PING over a raw connection: true on +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });
}
