import type { Manager } from "socket.io-client";
import { resolveConfig } from "../../controllers/transport/connection_config";
import path from "node:path";

/** A websocket that is refused a moment after it is made, on the (fake) clock: no real I/O. */
class RefusedWebSocket {
  onopen: (() => void) | null = null;
  onerror: ((error: Error) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onmessage: (() => void) | null = null;
  constructor() {
    setTimeout(() => {
      this.onerror?.(new Error("connection refused"));
      this.onclose?.({ code: 1006, reason: "" });
    }, 0);
  }
  close() {}
  send() {}
}

// engine.io-client opens websockets with its own copy of `ws` in Node: replace that copy.
const wsOfEngine = require.resolve("ws", { paths: [path.dirname(require.resolve("engine.io-client"))] });
jest.doMock(wsOfEngine, () => ({ WebSocket: RefusedWebSocket }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SocketIoConnection } = require("../../controllers/transport/socket_io_connection") as typeof import("../../controllers/transport/socket_io_connection");

/** Lets promise callbacks run between fake timer steps. */
const settle = () => Promise.resolve();

const REFUSED = { host: "127.0.0.1:9", protocol: "http:" };

function connectionTo(reconnect: Record<string, number> = {}) {
  const disconnects: string[] = [];
  const config = resolveConfig({ host: REFUSED.host, reconnect }, REFUSED);
  const connection = new SocketIoConnection(config, { room: "room" }, {
    update: () => undefined,
    ready: () => undefined,
    connected: () => undefined,
    disconnected: (reason) => disconnects.push(reason),
    reconnected: () => undefined,
    sessionLost: () => undefined,
  });
  const manager = (connection as unknown as { socket: { io: Manager } }).socket.io;
  return { connection, manager, disconnects };
}

/**
 * Runs the fake clock until the manager gives up (or `limit` attempts), returning each wait between
 * a failed try (the loss, then each refused attempt) and the next attempt.
 */
async function runSchedule(manager: Manager, limit = 20): Promise<{ delays: number[]; gaveUp: boolean }> {
  const delays: number[] = [];
  let failedAt: number | null = null;
  let gaveUp = false;
  manager.on("error", () => (failedAt = Date.now()));
  manager.on("reconnect_error", () => (failedAt = Date.now()));
  manager.on("reconnect_attempt", () => {
    if (failedAt !== null) delays.push(Date.now() - failedAt);
  });
  manager.on("reconnect_failed", () => (gaveUp = true));
  for (let step = 0; step < 200_000 && !gaveUp && delays.length < limit; step++) {
    jest.advanceTimersByTime(1);
    await settle();
  }
  return { delays, gaveUp };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

async function schedule(reconnect: Record<string, number> = {}) {
  const { connection, manager, disconnects } = connectionTo(reconnect);
  connection.connect();
  const result = await runSchedule(manager);
  connection.disconnect();
  return { ...result, disconnects };
}

it("retries 5 times, 3 s after the loss and then x1.5 each time, and then gives up", async () => {
  const { delays, gaveUp, disconnects } = await schedule();
  expect(delays).toEqual([3000, 4500, 6750, 10125, 15187]);
  expect(gaveUp).toBe(true);
  expect(disconnects).toContain("reconnect_failed");
});

it("takes delay, factor, cap and number of tries from window.webSocketConfig.reconnect", async () => {
  const { delays } = await schedule({ delay: 1000, factor: 2, maxDelay: 5000, attempts: 4 });
  expect(delays).toEqual([1000, 2000, 4000, 5000]);
});

it("reports the status as disconnected once it gave up, and connect() starts again", async () => {
  const { connection, manager } = connectionTo({ delay: 100, attempts: 1 });
  connection.connect();
  expect(connection.status()).toBe("connecting");
  expect(await runSchedule(manager)).toEqual({ delays: [100], gaveUp: true });
  expect(connection.status()).toBe("disconnected");
  connection.connect();
  expect(connection.status()).toBe("connecting");
  expect((await runSchedule(manager, 1)).delays).toEqual([100]);
  connection.disconnect();
});

it("spreads each wait by the jitter factor when one is set", async () => {
  const { delays } = await schedule({ delay: 1000, factor: 2, maxDelay: 100_000, attempts: 5, jitter: 0.5 });
  expect(delays).toHaveLength(5);
  delays.forEach((delay, i) => {
    const base = 1000 * 2 ** i;
    expect(delay).toBeGreaterThanOrEqual(base * 0.5);
    expect(delay).toBeLessThanOrEqual(base * 1.5);
  });
});
