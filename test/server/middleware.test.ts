import type { Socket } from "socket.io-client";
import { liveviewRegistry, send, type CallContent, type Consumer, type Middleware } from "../../server/index";
import { call, closeClients, connectClient, recordUpdates, signedRoom } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let logger: MockLogger;
let client: Socket;
let added: Middleware[] = [];
const handlerRuns: string[] = [];

const use = (middleware: Middleware): Middleware => {
  liveviewRegistry.addMiddleware(middleware);
  added.push(middleware);
  return middleware;
};

beforeAll(async () => {
  liveviewRegistry.register("mw_target")((consumer) => {
    handlerRuns.push("mw_target");
    send(consumer, { target: "#out", html: "handler ran" });
  });
  logger = mockLogger();
  server = await startServer({ logger });
});

beforeEach(async () => {
  handlerRuns.length = 0;
  logger.error.mockClear();
  client = await connectClient(server.url, { room: signedRoom("middleware-room") });
});

afterEach(() => {
  for (const middleware of added) liveviewRegistry.removeMiddleware(middleware);
  added = [];
  closeClients();
});

afterAll(async () => {
  liveviewRegistry.unregister("mw_target");
  await server.close();
});

describe("middleware", () => {
  it("runs every middleware in the order added, before the handler", async () => {
    const order: string[] = [];
    use(() => void order.push("first"));
    use(() => void order.push("second"));
    use(() => {
      order.push(`third saw handler runs: ${handlerRuns.length}`);
    });
    expect(await call(client, "mw_target")).toEqual({ ok: true });
    expect(order).toEqual(["first", "second", "third saw handler runs: 0"]);
    expect(handlerRuns).toEqual(["mw_target"]);
  });

  it("runs before every call, not only the first", async () => {
    let count = 0;
    use(() => void count++);
    await call(client, "mw_target");
    await call(client, "mw_target");
    await call(client, "mw_target");
    expect(count).toBe(3);
    expect(handlerRuns).toHaveLength(3);
  });

  it("passes the consumer, the content and the function name", async () => {
    const seen: Array<[Consumer, CallContent, string]> = [];
    use((consumer, content, functionName) => void seen.push([consumer, content, functionName]));
    await call(client, "mw_target", { data: { page: "2" }, form: { name: "Ada" }, lang: "en" });
    expect(seen).toHaveLength(1);
    const [consumer, content, functionName] = seen[0]!;
    expect(functionName).toBe("mw_target");
    expect(consumer.id).toBe(client.id);
    expect(consumer.room).toBe("middleware-room");
    expect(content).toEqual({
      function: "mw_target",
      data: { page: "2" },
      form: { name: "Ada" },
      lang: "en",
      room: "middleware-room",
      files: {},
      params: {},
    });
  });

  it("waits for an async middleware before running the next one and the handler", async () => {
    const order: string[] = [];
    use(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push("async done");
    });
    use(() => void order.push(`next, handler runs so far: ${handlerRuns.length}`));
    expect(await call(client, "mw_target")).toEqual({ ok: true });
    expect(order).toEqual(["async done", "next, handler runs so far: 0"]);
    expect(handlerRuns).toHaveLength(1);
  });

  it("cancels the call when a middleware returns false: the handler does not run and the ack says why", async () => {
    const later = jest.fn();
    use(() => false);
    use(later);
    const ack = await call(client, "mw_target");
    expect(ack.ok).toBe(false);
    expect(ack).toEqual({ ok: false, error: expect.any(String) });
    expect(handlerRuns).toEqual([]);
    expect(later).not.toHaveBeenCalled();
  });

  it("cancels the call when an async middleware resolves to false", async () => {
    use(async () => false);
    const ack = await call(client, "mw_target");
    expect(ack.ok).toBe(false);
    expect(handlerRuns).toEqual([]);
  });

  it("lets a cancelling middleware send an explanation that arrives before the ack", async () => {
    const updates = recordUpdates(client);
    use((consumer) => {
      send(consumer, { target: "#error", html: "You must be logged in" });
      return false;
    });
    const ack = await call(client, "mw_target");
    expect(ack.ok).toBe(false);
    expect(updates).toEqual([{ target: "#error", html: "You must be logged in" }]);
    expect(handlerRuns).toEqual([]);
  });

  it("continues when a middleware returns undefined or true (only false cancels)", async () => {
    use(() => undefined);
    use(() => true);
    use(async () => true);
    use(async () => undefined);
    use((() => 0) as unknown as Middleware);
    use((() => null) as unknown as Middleware);
    expect(await call(client, "mw_target")).toEqual({ ok: true });
    expect(handlerRuns).toEqual(["mw_target"]);
  });

  it("treats a throwing middleware as a handler error", async () => {
    use(() => {
      throw new Error("middleware exploded");
    });
    const updates = recordUpdates(client);
    const ack = await call(client, "mw_target");
    expect(ack.ok).toBe(false);
    expect(handlerRuns).toEqual([]);
    expect(updates).toEqual([
      expect.objectContaining({ error: "Handler error: middleware exploded", function: "mw_target" }),
    ]);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(client.connected).toBe(true);
  });

  it("treats a rejecting async middleware as a handler error", async () => {
    use(async () => {
      throw new Error("async middleware exploded");
    });
    const updates = recordUpdates(client);
    const ack = await call(client, "mw_target");
    expect(ack.ok).toBe(false);
    expect(handlerRuns).toEqual([]);
    expect(updates).toEqual([
      expect.objectContaining({ error: "Handler error: async middleware exploded", function: "mw_target" }),
    ]);
  });

  it("stops applying a middleware once it is removed", async () => {
    const blocker = use(() => false);
    expect((await call(client, "mw_target")).ok).toBe(false);
    liveviewRegistry.removeMiddleware(blocker);
    expect(await call(client, "mw_target")).toEqual({ ok: true });
    expect(handlerRuns).toEqual(["mw_target"]);
  });
});

describe("after-call functions", () => {
  it("calls a function a middleware returned with the ack once the handler finished, last middleware first", async () => {
    const seen: string[] = [];
    const outer = () => (ack: { ok: boolean }) => void seen.push(`outer ${ack.ok}`);
    const inner = () => (ack: { ok: boolean }) => void seen.push(`inner ${ack.ok}`);
    liveviewRegistry.addMiddleware(outer);
    liveviewRegistry.addMiddleware(inner);
    try {
      expect(await call(client, "mw_target")).toEqual({ ok: true });
      expect(seen).toEqual(["inner true", "outer true"]);
    } finally {
      liveviewRegistry.removeMiddleware(outer);
      liveviewRegistry.removeMiddleware(inner);
    }
  });
});
