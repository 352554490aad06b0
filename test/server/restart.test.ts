import { liveviewRegistry, send } from "../../server/index";
import { call, closeClients, connectClient, nextUpdate } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;

beforeAll(() => {
  liveviewRegistry.register("restart_ping")((consumer, content) => {
    send(consumer, { target: "#pong", html: `pong ${String(content.data.n)}` });
  });
});

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

afterAll(() => liveviewRegistry.unregister("restart_ping"));

describe("restart", () => {
  it("answers with the same registered handlers after closing and creating LiveView on a new HTTP server", async () => {
    server = await startServer({ logger: mockLogger() });
    const before = await connectClient(server.url);
    const firstUpdate = nextUpdate(before);
    expect(await call(before, "restart_ping", { data: { n: "1" } })).toEqual({ ok: true });
    expect(await firstUpdate).toEqual({ target: "#pong", html: "pong 1" });

    const closedUrl = server.url;
    const disconnected = new Promise<string>((resolve) => before.once("disconnect", resolve));
    await server.close();
    server = undefined;
    expect(await disconnected).toBeTruthy();

    server = await startServer({ logger: mockLogger() });
    expect(server.url).not.toBe(closedUrl);
    const after = await connectClient(server.url);
    const secondUpdate = nextUpdate(after);
    expect(await call(after, "restart_ping", { data: { n: "2" } })).toEqual({ ok: true });
    expect(await secondUpdate).toEqual({ target: "#pong", html: "pong 2" });
  });

  it("restarts on the same port once the previous server is closed", async () => {
    server = await startServer({ logger: mockLogger() });
    const port = server.port;
    await server.close();
    server = await startServer({ logger: mockLogger(), port });
    const client = await connectClient(server.url);
    expect(await call(client, "restart_ping", { data: { n: "3" } })).toEqual({ ok: true });
  });
});
