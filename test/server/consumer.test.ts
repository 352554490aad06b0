import session from "express-session";
import { liveviewRegistry, type CallContent, type Consumer, type LiveViewRequest } from "../../server/index";
import { call, closeClients, connectClient, connectError, serverSocketOf, signedRoom } from "../support/client";
import { httpGet } from "../support/http";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;
const seen: Array<{ consumer: Consumer; content: CallContent; lang: string | null }> = [];

beforeAll(() => {
  liveviewRegistry.register("cons_capture")((consumer, content) => {
    // scope.lang is read at call time: a later call may change it on the same consumer.
    seen.push({ consumer, content, lang: consumer.scope.lang });
  });
});

beforeEach(() => {
  seen.length = 0;
});

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

afterAll(() => liveviewRegistry.unregister("cons_capture"));

describe("consumer", () => {
  it("has the socket id, the room, the scope and the server socket", async () => {
    server = await startServer({ logger: mockLogger() });
    const client = await connectClient(server.url, { room: signedRoom("consumer-room"), extraHeaders: { "x-test": "hello" } });
    expect(await call(client, "cons_capture")).toEqual({ ok: true });
    const { consumer } = seen[0]!;
    expect(Object.keys(consumer).sort()).toEqual(["id", "room", "scope", "socket"]);
    expect(consumer.id).toBe(client.id);
    expect(consumer.room).toBe("consumer-room");
    expect(consumer.socket).toBe(serverSocketOf(server.liveview, client));
    expect(Object.keys(consumer.scope).sort()).toEqual(["headers", "lang", "session", "user"]);
    expect(consumer.scope.headers["x-test"]).toBe("hello");
    expect(consumer.scope.user).toBeNull();
    expect(consumer.scope.session).toBeNull();
  });

  it("is the same object for every call of one socket and a different one for another socket", async () => {
    server = await startServer({ logger: mockLogger() });
    const first = await connectClient(server.url);
    const second = await connectClient(server.url);
    await call(first, "cons_capture");
    await call(first, "cons_capture");
    await call(second, "cons_capture");
    expect(seen[0]!.consumer).toBe(seen[1]!.consumer);
    expect(seen[2]!.consumer).not.toBe(seen[0]!.consumer);
    expect(seen[2]!.consumer.id).toBe(second.id);
  });

  it("follows content.lang in scope.lang on each call", async () => {
    server = await startServer({ logger: mockLogger() });
    const client = await connectClient(server.url);
    await call(client, "cons_capture", { lang: "fr" });
    await call(client, "cons_capture", { lang: "de" });
    await call(client, "cons_capture", { lang: null });
    expect(seen.map((entry) => [entry.content.lang, entry.lang])).toEqual([
      ["fr", "fr"],
      ["de", "de"],
      [null, null],
    ]);
  });

  it("gives content.room as the consumer's room, whatever room the message claims", async () => {
    server = await startServer({ logger: mockLogger() });
    const client = await connectClient(server.url, { room: signedRoom("real-room") });
    await call(client, "cons_capture", { room: "someone-elses-room" });
    await call(client, "cons_capture", { room: null });
    expect(seen.map((entry) => entry.content.room)).toEqual(["real-room", "real-room"]);
  });

  it("fills scope.user from a sync getUser(req)", async () => {
    const getUser = jest.fn((req: LiveViewRequest) => ({ name: req.headers["x-user"] }));
    server = await startServer({ logger: mockLogger(), getUser });
    const client = await connectClient(server.url, { extraHeaders: { "x-user": "ada" } });
    await call(client, "cons_capture");
    expect(seen[0]!.consumer.scope.user).toEqual({ name: "ada" });
    expect(getUser).toHaveBeenCalledTimes(1);
  });

  it("fills scope.user from an async getUser(req)", async () => {
    server = await startServer({
      logger: mockLogger(),
      getUser: async (req) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { name: `async ${String(req.headers["x-user"])}` };
      },
    });
    const client = await connectClient(server.url, { extraHeaders: { "x-user": "grace" } });
    await call(client, "cons_capture");
    expect(seen[0]!.consumer.scope.user).toEqual({ name: "async grace" });
  });

  it("refuses the connection, and keeps serving others, when getUser throws", async () => {
    const logger = mockLogger();
    server = await startServer({
      logger,
      getUser: (req) => {
        if (req.headers["x-user"] === "broken") throw new Error("user lookup failed");
        return "fine";
      },
    });
    const error = await connectError(server.url, { extraHeaders: { "x-user": "broken" } });
    expect(error.message).toMatch(/refused/i);
    expect(logger.error).toHaveBeenCalledTimes(1);
    const client = await connectClient(server.url, { extraHeaders: { "x-user": "someone" } });
    expect(await call(client, "cons_capture")).toEqual({ ok: true });
    expect(seen[0]!.consumer.scope.user).toBe("fine");
  });

  it("fills scope.session from the express-session middleware given as the session option", async () => {
    const sessionMiddleware = session({ secret: "test secret", resave: false, saveUninitialized: false });
    const getUser = jest.fn((req: LiveViewRequest) => req.session?.name ?? null);
    server = await startServer({ logger: mockLogger(), session: sessionMiddleware, getUser });
    server.app.use(sessionMiddleware);
    server.app.get("/login", (req, res) => {
      (req.session as unknown as Record<string, unknown>).name = "Ada";
      res.send("logged in");
    });

    const login = await httpGet(`${server.url}/login`);
    expect(login.status).toBe(200);
    const cookie = String(login.headers["set-cookie"]?.[0] ?? "").split(";")[0]!;
    expect(cookie).toMatch(/^connect\.sid=/);

    const client = await connectClient(server.url, { extraHeaders: { cookie } });
    await call(client, "cons_capture");
    const scope = seen[0]!.consumer.scope;
    expect((scope.session as Record<string, unknown>).name).toBe("Ada");
    expect(scope.user).toBe("Ada");

    const anonymous = await connectClient(server.url);
    await call(anonymous, "cons_capture");
    expect((seen[1]!.consumer.scope.session as Record<string, unknown>).name).toBeUndefined();
    expect(seen[1]!.consumer.scope.user).toBeNull();
  });
});
