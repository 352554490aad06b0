import { liveviewRegistry, send } from "../../server/index";
import { call, closeClients, connectClient, flush, nextUpdate, recordUpdates, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;

beforeAll(async () => {
  liveviewRegistry.register("send_to_me")((consumer) => send(consumer, { target: "#me", html: "just you" }));
  liveviewRegistry.register("send_to_all")((consumer) =>
    send(consumer, { target: "#all", html: "everyone", append: true }, { broadcast: true }),
  );
  server = await startServer({ logger: mockLogger() });
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("send_to_me");
  liveviewRegistry.unregister("send_to_all");
  await server.close();
});

describe("send", () => {
  it("sends an update only to the socket of the consumer, not to others in its room", async () => {
    const caller = await connectClient(server.url, { room: signedRoom("shared-room") });
    const sameRoom = await connectClient(server.url, { room: signedRoom("shared-room") });
    const elsewhere = await connectClient(server.url, { room: signedRoom("other-room") });
    const callerUpdates = recordUpdates(caller);
    const sameRoomUpdates = recordUpdates(sameRoom);
    const elsewhereUpdates = recordUpdates(elsewhere);

    expect(await call(caller, "send_to_me")).toEqual({ ok: true });
    await flush(server.liveview, [caller, sameRoom, elsewhere]);

    expect(callerUpdates).toEqual([{ target: "#me", html: "just you" }]);
    expect(sameRoomUpdates).toEqual([]);
    expect(elsewhereUpdates).toEqual([]);
  });

  it("sends an update to every connected client with { broadcast: true }", async () => {
    const caller = await connectClient(server.url, { room: signedRoom("room-a") });
    const sameRoom = await connectClient(server.url, { room: signedRoom("room-a") });
    const elsewhere = await connectClient(server.url, { room: signedRoom("room-b") });
    const noRoom = await connectClient(server.url);
    const expected = { target: "#all", html: "everyone", append: true };
    const arrivals = [sameRoom, elsewhere, noRoom].map((socket) => nextUpdate(socket));
    const callerUpdates = recordUpdates(caller);

    expect(await call(caller, "send_to_all")).toEqual({ ok: true });

    expect(await Promise.all(arrivals)).toEqual([expected, expected, expected]);
    expect(callerUpdates).toEqual([expected]);
  });
});

describe("liveview.broadcast and liveview.sendToRoom (outside a handler)", () => {
  it("broadcasts an update to every connected client", async () => {
    const clients = await Promise.all([
      connectClient(server.url, { room: signedRoom("bc-1") }),
      connectClient(server.url, { room: signedRoom("bc-2") }),
      connectClient(server.url),
    ]);
    const arrivals = clients.map((socket) => nextUpdate(socket));
    server.liveview.broadcast({ target: "#clock", html: "12:00" });
    expect(await Promise.all(arrivals)).toEqual([
      { target: "#clock", html: "12:00" },
      { target: "#clock", html: "12:00" },
      { target: "#clock", html: "12:00" },
    ]);
  });

  it("sends to the sockets of one room only", async () => {
    const inRoomA = await connectClient(server.url, { room: signedRoom("news") });
    const inRoomB = await connectClient(server.url, { room: signedRoom("news") });
    const outside = await connectClient(server.url, { room: signedRoom("sports") });
    const updatesA = recordUpdates(inRoomA);
    const updatesB = recordUpdates(inRoomB);
    const outsideUpdates = recordUpdates(outside);

    server.liveview.sendToRoom("news", { target: "#headline", html: "Extra!" });
    await flush(server.liveview, [inRoomA, inRoomB, outside]);

    expect(updatesA).toEqual([{ target: "#headline", html: "Extra!" }]);
    expect(updatesB).toEqual([{ target: "#headline", html: "Extra!" }]);
    expect(outsideUpdates).toEqual([]);
  });

  it("sends to a room nobody is in without error", async () => {
    const client = await connectClient(server.url, { room: signedRoom("somewhere") });
    const updates = recordUpdates(client);
    expect(() => server.liveview.sendToRoom("empty-room", { html: "nobody" })).not.toThrow();
    await flush(server.liveview, [client]);
    expect(updates).toEqual([]);
  });

  it("drops quietly a send to a consumer whose client has gone", async () => {
    let kept: Parameters<typeof send>[0] | undefined;
    liveviewRegistry.register("send_keep_consumer")((consumer) => {
      kept = consumer;
    });
    try {
      const client = await connectClient(server.url);
      await call(client, "send_keep_consumer");
      const serverSocket = kept!.socket;
      const gone = new Promise<void>((resolve) => serverSocket.once("disconnect", () => resolve()));
      client.disconnect();
      await gone;
      expect(() => send(kept!, { html: "late" })).not.toThrow();
    } finally {
      liveviewRegistry.unregister("send_keep_consumer");
    }
  });
});
