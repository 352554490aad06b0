import { liveviewRegistry, type Consumer } from "../../server/index";
import { call, closeClients, connectClient, connectError, nextUpdate, serverSocketOf } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let logger: MockLogger;
const consumers: Consumer[] = [];

beforeAll(async () => {
  liveviewRegistry.register("room_capture")((consumer) => void consumers.push(consumer));
  logger = mockLogger();
  server = await startServer({ logger });
});

beforeEach(() => {
  consumers.length = 0;
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("room_capture");
  await server.close();
});

describe("rooms", () => {
  it("puts the socket in the room sent as auth.room", async () => {
    const client = await connectClient(server.url, { room: "kitchen" });
    expect(serverSocketOf(server.liveview, client).rooms.has("kitchen")).toBe(true);
    const arrived = nextUpdate(client);
    server.liveview.sendToRoom("kitchen", { html: "for the kitchen" });
    expect(await arrived).toEqual({ html: "for the kitchen" });
    await call(client, "room_capture");
    expect(consumers[0]!.room).toBe("kitchen");
  });

  it("accepts a room of 128 letters, digits, '-' and '_'", async () => {
    const room = ("aZ09-_".repeat(22) + "abcdefgh").slice(0, 128);
    expect(room).toHaveLength(128);
    const client = await connectClient(server.url, { room });
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
    logger.warn.mockClear();
    const error = await connectError(server.url, { room });
    expect(error.message).toMatch(/Invalid room/);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("gives a socket that sent no room a room of its own", async () => {
    const first = await connectClient(server.url);
    const second = await connectClient(server.url, { room: "" });
    await call(first, "room_capture");
    await call(second, "room_capture");
    const [firstRoom, secondRoom] = consumers.map((consumer) => consumer.room);
    expect(firstRoom).toBe(first.id);
    expect(secondRoom).toBe(second.id);
    expect(firstRoom).not.toBe(secondRoom);
    expect(serverSocketOf(server.liveview, first).rooms.has(firstRoom!)).toBe(true);
  });

  it("keeps serving the server after refusing a room", async () => {
    await connectError(server.url, { room: "bad room" });
    const client = await connectClient(server.url, { room: "good-room" });
    expect(await call(client, "room_capture")).toEqual({ ok: true });
  });
});
