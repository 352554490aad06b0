import { READY_EVENT } from "../../protocol/index";
import { DEFAULT_MAX_PAYLOAD_BYTES, liveviewRegistry } from "../../server/index";
import { call, closeClients, connectClient, connectError, createClient, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;

beforeAll(() => {
  liveviewRegistry.register("conn_ping")(() => undefined);
});

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

afterAll(() => liveviewRegistry.unregister("conn_ping"));

describe("connection", () => {
  it("serves socket.io at /ws/liveview/ by default", async () => {
    server = await startServer({ logger: mockLogger() });
    const client = await connectClient(server.url);
    expect(await call(client, "conn_ping")).toEqual({ ok: true });
  });

  it("serves socket.io at the path given as the path option, and not at the default one", async () => {
    server = await startServer({ logger: mockLogger(), path: "/custom/socket/" });
    const client = await connectClient(server.url, { path: "/custom/socket/" });
    expect(await call(client, "conn_ping")).toEqual({ ok: true });
    await expect(connectError(server.url)).resolves.toBeInstanceOf(Error);
  });

  it("primes every new connection with liveview:ready carrying its room and the size limit", async () => {
    server = await startServer({ logger: mockLogger() });
    const withRoom = createClient(server.url, { room: signedRoom("ready-room") });
    const withoutRoom = createClient(server.url);
    const ready = (socket: typeof withRoom) =>
      new Promise<{ room: string; maxPayloadBytes: number }>((resolve) => socket.once(READY_EVENT, resolve));
    const [first, second] = await Promise.all([ready(withRoom), ready(withoutRoom)]);
    expect(first).toEqual({ room: "ready-room", maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES, version: expect.any(String) });
    expect(second).toEqual({
      room: expect.stringMatching(/^[0-9a-f]{32}$/),
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
      roomToken: expect.stringMatching(/^[0-9a-f]{32}\./),
      version: expect.any(String),
    });
  });

  it("tells the client the configured size limit", async () => {
    server = await startServer({ logger: mockLogger(), maxPayloadBytes: 12_345 });
    const client = createClient(server.url);
    const ready = await new Promise<{ maxPayloadBytes: number }>((resolve) => client.once(READY_EVENT, resolve));
    expect(ready.maxPayloadBytes).toBe(12_345);
  });
});
