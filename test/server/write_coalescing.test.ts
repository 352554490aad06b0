import type { Socket as NetSocket } from "node:net";
import type { Socket as ClientSocket } from "socket.io-client";
import { liveviewRegistry, send } from "../../server/index";
import { call, closeClients, connectClient, recordUpdates } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;

beforeAll(async () => {
  liveviewRegistry.register("two_updates")((consumer) => {
    send(consumer, { target: "#a", html: "first" });
    send(consumer, { target: "#b", html: "second" });
  });
  liveviewRegistry.register("later_update")(async (consumer) => {
    await new Promise((resolve) => setImmediate(resolve));
    send(consumer, { target: "#a", html: "after a wait" });
  });
  liveviewRegistry.register("update_then_close")((consumer) => {
    send(consumer, { target: "#a", html: "goodbye" });
    consumer.socket.disconnect(true);
  });
  // 50 calls sent at once from one socket: over the default burst of 40, which this test is not about.
  server = await startServer({ logger: mockLogger(), rateLimit: { points: 100 } });
});

afterEach(() => closeClients());

afterAll(async () => {
  for (const name of ["two_updates", "later_update", "update_then_close"]) liveviewRegistry.unregister(name);
  await server.close();
});

/** Counts the writes the server's TCP socket of `client` hands to the kernel (one per `write`/`writev`). */
function countTcpWrites(client: ClientSocket): { readonly count: number } {
  const serverSocket = server.liveview.io.sockets.sockets.get(client.id!);
  if (!serverSocket) throw new Error("no server socket for this client");
  const tcp = serverSocket.request.socket as NetSocket & {
    _write: (...args: unknown[]) => void;
    _writev: (...args: unknown[]) => void;
  };
  const counter = { count: 0 };
  for (const method of ["_write", "_writev"] as const) {
    const original = tcp[method];
    tcp[method] = function (this: NetSocket, ...args: unknown[]) {
      counter.count++;
      return original.apply(this, args);
    };
  }
  return counter;
}

describe("write coalescing", () => {
  it("sends a handler's updates and the call's ack in one TCP write", async () => {
    const client = await connectClient(server.url);
    const updates = recordUpdates(client);
    const writes = countTcpWrites(client);

    expect(await call(client, "two_updates")).toEqual({ ok: true });

    expect(updates).toEqual([
      { target: "#a", html: "first" },
      { target: "#b", html: "second" },
    ]);
    expect(writes.count).toBe(1);
  });

  it("joins an async handler's last update and the ack in one TCP write", async () => {
    const client = await connectClient(server.url);
    const updates = recordUpdates(client);
    const writes = countTcpWrites(client);

    expect(await call(client, "later_update")).toEqual({ ok: true });

    expect(updates).toEqual([{ target: "#a", html: "after a wait" }]);
    expect(writes.count).toBe(1);
  });

  it("keeps every socket writable across many calls, in order", async () => {
    const client = await connectClient(server.url);
    const updates = recordUpdates(client);
    const acks = await Promise.all(Array.from({ length: 50 }, () => call(client, "two_updates")));

    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(updates).toHaveLength(100);
    expect(updates.map((update) => update.html)).toEqual(Array.from({ length: 50 }, () => ["first", "second"]).flat());
  });

  it("still delivers the update and closes when the handler disconnects the socket", async () => {
    const client = await connectClient(server.url);
    const updates = recordUpdates(client);
    const closed = new Promise<string>((resolve) => client.once("disconnect", resolve));

    client.emit("liveview", { id: "close-1", function: "update_then_close", data: {}, form: {} });

    expect(await closed).toBe("io server disconnect");
    expect(updates).toEqual([{ target: "#a", html: "goodbye" }]);
  });
});
