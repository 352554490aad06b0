import { liveviewRegistry } from "../../server/index";
import { call, closeClients, connectClient, connectError } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;
let logger: MockLogger;

beforeAll(() => {
  liveviewRegistry.register("origin_ping")(() => undefined);
});

beforeEach(() => {
  logger = mockLogger();
});

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

afterAll(() => liveviewRegistry.unregister("origin_ping"));

const hostOf = (s: TestServer) => new URL(s.url).host;

describe("origin check (on by default)", () => {
  it("accepts a handshake from the page's own origin, the Host header's", async () => {
    server = await startServer({ logger });
    const client = await connectClient(server.url, { extraHeaders: { origin: server.url } });
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });

  it("refuses a cross-site page that opens a socket with the visitor's cookies, with a clear reason and one log line", async () => {
    server = await startServer({ logger });
    const error = await connectError(server.url, { extraHeaders: { origin: "https://evil.example", cookie: "sid=victim" } });
    expect(error.message).toBe(
      "Origin refused: https://evil.example is not this site's origin; list it in allowedOrigins to allow it",
    );
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]![0])).toMatch(/refused a connection from .*Origin refused/);
  });

  it("refuses an origin that only shares the host's name with another port", async () => {
    server = await startServer({ logger });
    const error = await connectError(server.url, { extraHeaders: { origin: "http://127.0.0.1:1" } });
    expect(error.message).toMatch(/^Origin refused/);
  });

  it("accepts a handshake with no Origin at all (not a browser: it cannot carry a victim's cookie by accident)", async () => {
    server = await startServer({ logger, allowedOrigins: ["https://app.example"] });
    const client = await connectClient(server.url);
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });

  it("accepts an origin listed in allowedOrigins", async () => {
    server = await startServer({ logger, allowedOrigins: ["https://app.example", "http://localhost:3000"] });
    const client = await connectClient(server.url, { extraHeaders: { origin: "http://localhost:3000" } });
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });

  it('accepts any origin with allowedOrigins: "*"', async () => {
    server = await startServer({ logger, allowedOrigins: "*" });
    const client = await connectClient(server.url, { extraHeaders: { origin: "https://anywhere.example" } });
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });

  it("accepts https behind a TLS-ending proxy without trustProxy (the host is compared, not the scheme)", async () => {
    server = await startServer({ logger });
    const client = await connectClient(server.url, { extraHeaders: { origin: `https://${hostOf(server)}` } });
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });

  describe("with trustProxy", () => {
    it("takes the scheme and host from X-Forwarded-Proto and X-Forwarded-Host", async () => {
      server = await startServer({ logger, trustProxy: true });
      const headers = { origin: "https://shop.example", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example" };
      const client = await connectClient(server.url, { extraHeaders: headers });
      expect(await call(client, "origin_ping")).toEqual({ ok: true });
    });

    it("refuses an http page when the proxy says the site is https", async () => {
      server = await startServer({ logger, trustProxy: true });
      const headers = { origin: "http://shop.example", "x-forwarded-proto": "https", "x-forwarded-host": "shop.example" };
      await expect(connectError(server.url, { extraHeaders: headers })).resolves.toBeInstanceOf(Error);
    });
  });

  it("ignores X-Forwarded-* without trustProxy, so a client cannot claim another site", async () => {
    server = await startServer({ logger });
    const headers = { origin: "https://evil.example", "x-forwarded-host": "evil.example" };
    const error = await connectError(server.url, { extraHeaders: headers });
    expect(error.message).toMatch(/^Origin refused/);
  });
});
