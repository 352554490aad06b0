// The recovery guard (server/security/recovery_guard.ts) relies on three socket.io internals. If an upgrade
// renames one, this test fails and names it, instead of recovered tabs silently keeping an old user's updates.
import { Socket as ServerSocket } from "socket.io";
import { closeClients, connectClient, serverSocketOf, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ logger: mockLogger() });
});
afterAll(async () => {
  closeClients();
  await server.close();
});

describe("socket.io internals the recovery guard relies on", () => {
  it("Socket#pid: the private session id, a string on every socket with connection state recovery", async () => {
    const socket = serverSocketOf(server.liveview, await connectClient(server.url, { room: signedRoom("contract") }));
    expect(typeof (socket as unknown as { pid?: unknown }).pid).toBe("string");
  });

  it("Socket#packet(packet): writes one packet to the socket's client", () => {
    expect(typeof (ServerSocket.prototype as unknown as { packet?: unknown }).packet).toBe("function");
  });

  it("Socket#recovered: a plain writable field", async () => {
    const socket = serverSocketOf(server.liveview, await connectClient(server.url, { room: signedRoom("contract") }));
    expect(Object.getOwnPropertyDescriptor(socket, "recovered")).toMatchObject({ writable: true, value: false });
  });
});
