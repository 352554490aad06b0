import type { Socket } from "socket.io-client";
import { liveviewRegistry, send } from "../../server/index";
import { call, closeClients, connectClient, flush, nextUpdate, recordUpdates } from "../support/client";
import { mockLogger, withNodeEnv, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let logger: MockLogger;
let client: Socket;

const handlerNames = ["err_ok", "err_sync_throw", "err_async_reject", "err_throw_string", "err_throw_unprintable"];

beforeAll(async () => {
  liveviewRegistry.register("err_ok")((consumer) => send(consumer, { target: "#ok", html: "fine" }));
  liveviewRegistry.register("err_sync_throw")(() => {
    throw new Error("sync boom");
  });
  liveviewRegistry.register("err_async_reject")(async () => {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error("async boom");
  });
  liveviewRegistry.register("err_throw_string")(() => {
    throw "a bare string";
  });
  liveviewRegistry.register("err_throw_unprintable")(() => {
    // A value String() cannot convert: describing it must not break the error path.
    throw Object.create(null);
  });
  logger = mockLogger();
  server = await startServer({ logger });
});

beforeEach(async () => {
  logger.info.mockClear();
  logger.warn.mockClear();
  logger.error.mockClear();
  client = await connectClient(server.url);
});

afterEach(() => closeClients());

afterAll(async () => {
  for (const name of handlerNames) liveviewRegistry.unregister(name);
  await server.close();
});

/** The next call still works on this socket. */
async function expectStillWorks(socket: Socket): Promise<void> {
  expect(socket.connected).toBe(true);
  const update = nextUpdate(socket);
  expect(await call(socket, "err_ok")).toEqual({ ok: true });
  expect(await update).toEqual({ target: "#ok", html: "fine" });
}

describe("unknown function", () => {
  it("answers an unknown function with an error update listing the available names", async () => {
    const update = nextUpdate(client);
    const ack = await call(client, "err_nobody_registered_this");
    expect(ack).toEqual({ ok: false, error: expect.stringContaining("Unknown function: err_nobody_registered_this") });
    const received = await update;
    expect(received.error).toBe("Unknown function: err_nobody_registered_this");
    expect(received.availableFunctions).toEqual(expect.arrayContaining(handlerNames));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await expectStillWorks(client);
  });

  it("leaves the available names out in production", async () => {
    await withNodeEnv("production", async () => {
      const update = nextUpdate(client);
      const ack = await call(client, "err_nobody_registered_this");
      expect(ack.ok).toBe(false);
      const received = await update;
      expect(received.error).toBe("Unknown function: err_nobody_registered_this");
      expect(received).not.toHaveProperty("availableFunctions");
      expect(JSON.stringify(received)).not.toContain("err_ok");
    });
  });
});

describe("handler errors", () => {
  it.each([
    ["a throwing sync handler", "err_sync_throw", "sync boom"],
    ["a rejecting async handler", "err_async_reject", "async boom"],
    ["a handler throwing a non-Error", "err_throw_string", "a bare string"],
  ])("answers %s with a handler error update, logs it once and keeps the socket", async (_label, name, message) => {
    const updates = recordUpdates(client);
    const ack = await call(client, name);
    expect(ack).toEqual({ ok: false, error: expect.any(String) });
    expect(updates).toEqual([expect.objectContaining({ error: `Handler error: ${message}`, function: name })]);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(logger.error.mock.calls[0])).toContain(message);
    await expectStillWorks(client);
  });

  it.each([
    ["err_sync_throw", "sync boom"],
    ["err_async_reject", "async boom"],
  ])("sends a generic message for %s in production and keeps the detail in the log", async (name, message) => {
    await withNodeEnv("production", async () => {
      const update = nextUpdate(client);
      const ack = await call(client, name);
      expect(ack.ok).toBe(false);
      const received = await update;
      expect(received.error).toMatch(/^Handler error: /);
      expect(received.function).toBe(name);
      expect(JSON.stringify(received)).not.toContain(message);
      expect(JSON.stringify(ack)).not.toContain(message);
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(logger.error.mock.calls[0])).toContain(message);
    });
  });

  it("sends the error update to the calling client only", async () => {
    const bystander = await connectClient(server.url);
    const bystanderUpdates = recordUpdates(bystander);
    await call(client, "err_sync_throw");
    await flush(server.liveview, [client, bystander]);
    expect(bystanderUpdates).toEqual([]);
    await expectStillWorks(bystander);
  });

  it("answers a handler that throws a value that cannot be printed and keeps the socket", async () => {
    const update = nextUpdate(client);
    const ack = await call(client, "err_throw_unprintable");
    expect(ack.ok).toBe(false);
    expect(await update).toEqual(
      expect.objectContaining({ error: expect.stringMatching(/^Handler error: /), function: "err_throw_unprintable" }),
    );
    expect(logger.error).toHaveBeenCalledTimes(1);
    await expectStillWorks(client);
  });

  it("still acks the call and keeps the socket when the logger itself throws", async () => {
    logger.warn.mockImplementationOnce(() => {
      throw new Error("log sink down");
    });
    const ack = await call(client, "err_nobody_registered_this");
    expect(ack).toEqual({ ok: false, error: expect.any(String) });
    await expectStillWorks(client);
  });

  it("keeps serving a socket after many failing calls in a row", async () => {
    for (let i = 0; i < 5; i++) {
      expect((await call(client, i % 2 ? "err_sync_throw" : "err_async_reject")).ok).toBe(false);
    }
    expect(logger.error).toHaveBeenCalledTimes(5);
    await expectStillWorks(client);
  });
});
