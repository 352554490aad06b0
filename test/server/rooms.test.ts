import { READY_EVENT, type ReadyMessage } from "../../protocol/index";
import { liveviewRegistry, type Consumer } from "../../server/index";
import { RoomTokens } from "../../server/security/room_tokens";
import {
  call,
  closeClients,
  connectClient,
  connectError,
  createClient,
  nextUpdate,
  serverSocketOf,
  signedRoom,
  type ClientOptions,
} from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, TEST_SECRET, type TestServer } from "../support/server";

let signed: TestServer;
let unsigned: TestServer;
let logger: MockLogger;
const consumers: Consumer[] = [];

beforeAll(async () => {
  liveviewRegistry.register("room_capture")((consumer) => void consumers.push(consumer));
  logger = mockLogger();
  signed = await startServer({ logger });
  unsigned = await startServer({ logger, rooms: "unsigned" });
});

beforeEach(() => {
  consumers.length = 0;
  logger.warn.mockClear();
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("room_capture");
  await signed.close();
  await unsigned.close();
});

describe("signed rooms (the default)", () => {
  it("puts the socket in the room a signed token names, under its plain name", async () => {
    const token = signed.liveview.signRoom("kitchen");
    expect(token).toMatch(/^kitchen\.[A-Za-z0-9_-]+$/);
    const client = await connectClient(signed.url, { room: token });
    expect(serverSocketOf(signed.liveview, client).rooms.has("kitchen")).toBe(true);
    const arrived = nextUpdate(client);
    signed.liveview.sendToRoom("kitchen", { html: "for the kitchen" });
    expect(await arrived).toEqual({ html: "for the kitchen" });
    await call(client, "room_capture");
    expect(consumers[0]!.room).toBe("kitchen");
  });

  it.each([
    ["an unsigned name", "kitchen", /not signed/],
    ["a forged signature", "kitchen." + "A".repeat(51), /signature is not valid/],
    ["another room's signature", "pantry." + signedRoom("kitchen").split(".")[1], /signature is not valid/],
    ["a token signed with another secret", new RoomTokens("another-secret-of-enough-length").sign("kitchen"), /signature/],
    ["a truncated token", signedRoom("kitchen").slice(0, -3), /malformed/],
    ["a number", 42, /no room token|malformed/],
    ["an object", { room: "x" }, /no room token|malformed/],
  ])("refuses %s with a clear connect_error and one log line", async (_label, room, reason) => {
    const error = await connectError(signed.url, { room });
    expect(error.message).toMatch(/^Room refused: /);
    expect(error.message).toMatch(reason);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]![0])).toMatch(/refused a connection from .*Room refused/);
  });

  it("refuses an expired token", async () => {
    const old = new RoomTokens(TEST_SECRET, 1000, () => Date.now() - 5000).sign("kitchen");
    const error = await connectError(signed.url, { room: old });
    expect(error.message).toBe("Room refused: the room token has expired");
  });

  it("gives a tab with no room a random room it signed, sent back in the ready event", async () => {
    const first = createAndReady(signed.url, {});
    const { socket, ready } = await first;
    expect(ready.room).toMatch(/^[0-9a-f]{32}$/);
    expect(ready.roomToken).toMatch(new RegExp(`^${ready.room}\\.`));
    expect(serverSocketOf(signed.liveview, socket).rooms.has(ready.room)).toBe(true);
    // The browser keeps the token and sends it as its stored room: another tab joins the same room.
    const second = await createAndReady(signed.url, { storedRoom: ready.roomToken });
    expect(second.ready.room).toBe(ready.room);
    expect(second.ready.roomToken).toBeUndefined();
  });

  it("replaces a stored room it did not sign with a new one instead of refusing", async () => {
    const { ready } = await createAndReady(signed.url, { storedRoom: "a-name-from-before-signing" });
    expect(ready.room).not.toBe("a-name-from-before-signing");
    expect(ready.roomToken).toMatch(/^[0-9a-f]{32}\./);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("keeps serving after refusing a room", async () => {
    await connectError(signed.url, { room: "bad room" });
    const client = await connectClient(signed.url, { room: signedRoom("good-room") });
    expect(await call(client, "room_capture")).toEqual({ ok: true });
  });
});

describe('rooms: "unsigned" (migration)', () => {
  it("puts the socket in the room sent as auth.room", async () => {
    const client = await connectClient(unsigned.url, { room: "kitchen" });
    expect(serverSocketOf(unsigned.liveview, client).rooms.has("kitchen")).toBe(true);
    await call(client, "room_capture");
    expect(consumers[0]!.room).toBe("kitchen");
    expect(unsigned.liveview.signRoom("kitchen")).toBe("kitchen");
  });

  it("accepts a room of 128 letters, digits, '-' and '_'", async () => {
    const room = ("aZ09-_".repeat(22) + "abcdefgh").slice(0, 128);
    expect(room).toHaveLength(128);
    const client = await connectClient(unsigned.url, { room });
    await call(client, "room_capture");
    expect(consumers[0]!.room).toBe(room);
  });

  it.each([
    ["too long (129 characters)", "a".repeat(129)],
    ["with a space", "my room"],
    ["a path", "../x"],
    ["with a slash", "a/b"],
    ["with a dot", "a.b"],
    ["a number", 42],
    ["an object", { room: "x" }],
    ["an array", ["x"]],
    ["a boolean", true],
  ])("refuses a room that is %s with a connect_error mentioning 'Invalid room'", async (_label, room) => {
    const error = await connectError(unsigned.url, { room });
    expect(error.message).toMatch(/Invalid room/);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("gives a socket that sent no room a room of its own", async () => {
    const first = await connectClient(unsigned.url);
    const second = await connectClient(unsigned.url, { room: "" });
    await call(first, "room_capture");
    await call(second, "room_capture");
    const [firstRoom, secondRoom] = consumers.map((consumer) => consumer.room);
    expect(firstRoom).toBe(first.id);
    expect(secondRoom).toBe(second.id);
    expect(serverSocketOf(unsigned.liveview, first).rooms.has(firstRoom!)).toBe(true);
  });

  it("takes the stored room a browser sends as its room", async () => {
    const { ready } = await createAndReady(unsigned.url, { storedRoom: "kept-in-storage" });
    expect(ready).toEqual({ room: "kept-in-storage", maxPayloadBytes: expect.any(Number), version: expect.any(String) });
  });
});

/** A client with these handshake options and the ready event it got. */
async function createAndReady(url: string, options: ClientOptions) {
  const socket = createClient(url, options);
  const ready = await new Promise<ReadyMessage>((resolve) => socket.once(READY_EVENT, resolve));
  return { socket, ready };
}
