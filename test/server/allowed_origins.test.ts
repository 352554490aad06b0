import { liveviewRegistry } from "../../server/index";
import { call, closeClients, connectClient, connectError } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;

beforeAll(() => {
  liveviewRegistry.register("origin_ping")(() => undefined);
});

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

afterAll(() => liveviewRegistry.unregister("origin_ping"));

describe("allowedOrigins", () => {
  it("refuses a handshake whose Origin is not listed", async () => {
    server = await startServer({ logger: mockLogger(), allowedOrigins: ["https://app.example"] });
    const error = await connectError(server.url, { extraHeaders: { origin: "https://evil.example" } });
    expect(error).toBeInstanceOf(Error);
  });

  it("refuses a handshake with no Origin when origins are listed", async () => {
    server = await startServer({ logger: mockLogger(), allowedOrigins: ["https://app.example"] });
    await expect(connectError(server.url)).resolves.toBeInstanceOf(Error);
  });

  it("accepts a handshake whose Origin is listed", async () => {
    server = await startServer({
      logger: mockLogger(),
      allowedOrigins: ["https://app.example", "http://localhost:3000"],
    });
    const client = await connectClient(server.url, { extraHeaders: { origin: "http://localhost:3000" } });
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });

  it("accepts any Origin when allowedOrigins is not set", async () => {
    server = await startServer({ logger: mockLogger() });
    const client = await connectClient(server.url, { extraHeaders: { origin: "https://anywhere.example" } });
    expect(await call(client, "origin_ping")).toEqual({ ok: true });
  });
});
