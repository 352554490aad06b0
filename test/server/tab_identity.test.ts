import { io, type Socket } from "socket.io-client";
import { DEFAULT_PATH, LIVEVIEW_EVENT, READY_EVENT, type ReadyMessage, type Update } from "../../protocol/index";
import { liveviewRegistry, type Consumer } from "../../server/index";
import { call, closeClients, connectClient, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

/** Which user each `x-session` header value is logged in as: deleting one is a logout. */
const sessions = new Map<string, { id: string }>();
let server: TestServer;
const seen: Consumer[] = [];
const opened = new Set<Socket>();

beforeAll(async () => {
  liveviewRegistry.register("ti_capture")((consumer) => void seen.push(consumer));
  server = await startServer({
    logger: mockLogger(),
    getUser: (req) => sessions.get(String(req.headers["x-session"])) ?? null,
  });
});

beforeEach(() => {
  seen.length = 0;
  sessions.clear();
});

afterEach(() => {
  closeClients();
  opened.forEach((socket) => socket.disconnect());
  opened.clear();
});

afterAll(async () => {
  liveviewRegistry.unregister("ti_capture");
  await server.close();
});

/** A tab that reconnects by itself after a drop, recording the HTML of its updates. */
async function tab(session: string, auth: Record<string, string> = { room: signedRoom("ti-room") }) {
  const socket = io(server.url, {
    path: DEFAULT_PATH,
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay: 30,
    reconnectionDelayMax: 30,
    randomizationFactor: 0,
    auth,
    extraHeaders: { "x-session": session },
  });
  opened.add(socket);
  const received: string[] = [];
  socket.on(LIVEVIEW_EVENT, (update: Update) => received.push(String(update.html)));
  const ready = await new Promise<ReadyMessage>((resolve) => socket.once(READY_EVENT, resolve));
  return { socket, received, ready };
}

/** Drops the connection from the server side, sends `html` to the room while the tab is away; resolves `recovered`. */
async function dropAndSend(socket: Socket, room: string, html: string, whileAway: () => void = () => undefined) {
  const back = new Promise<boolean>((resolve) => socket.once("connect", () => resolve(socket.recovered)));
  server.liveview.io.sockets.sockets.get(socket.id!)!.conn.close();
  server.liveview.sendToRoom(room, { html });
  whileAway();
  return back;
}

describe("a recovered connection", () => {
  it("resumes with the updates it missed when it is still the same user in the same session", async () => {
    sessions.set("s1", { id: "ada" });
    const { socket, received } = await tab("s1");
    expect(await dropAndSend(socket, "ti-room", "missed")).toBe(true);
    await call(socket, "ti_capture");
    expect(received).toContain("missed");
    expect(seen[0]!.scope.user).toEqual({ id: "ada" });
  });

  it("starts afresh (recovered: false) when its user logged out meanwhile, and gets nothing sent to the old session", async () => {
    sessions.set("s1", { id: "ada" });
    const { socket, received } = await tab("s1");
    const recovered = await dropAndSend(socket, "ti-room", "for ada only", () => sessions.delete("s1"));
    expect(recovered).toBe(false);
    await call(socket, "ti_capture");
    expect(seen[0]!.scope.user).toBeNull();
    expect(received).not.toContain("for ada only");
  });

  it("starts afresh when another user logged in in the same browser meanwhile", async () => {
    sessions.set("s1", { id: "ada" });
    const { socket } = await tab("s1");
    const recovered = await dropAndSend(socket, "ti-room", "x", () => sessions.set("s1", { id: "grace" }));
    expect(recovered).toBe(false);
    await call(socket, "ti_capture");
    expect(seen[0]!.scope.user).toEqual({ id: "grace" });
  });

  it("resumes an anonymous tab that is still anonymous", async () => {
    const { socket, received } = await tab("nobody");
    expect(await dropAndSend(socket, "ti-room", "for visitors")).toBe(true);
    await call(socket, "ti_capture");
    expect(received).toContain("for visitors");
  });
});

describe("disconnectUser", () => {
  it("closes every socket of that user and no other's", async () => {
    sessions.set("s1", { id: "ada" });
    sessions.set("s2", { id: "ada" });
    sessions.set("s3", { id: "grace" });
    const ada1 = await connectClient(server.url, { room: signedRoom("r"), extraHeaders: { "x-session": "s1" } });
    const ada2 = await connectClient(server.url, { room: signedRoom("r"), extraHeaders: { "x-session": "s2" } });
    const grace = await connectClient(server.url, { room: signedRoom("r"), extraHeaders: { "x-session": "s3" } });
    const closed = (socket: Socket) => new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const reasons = Promise.all([closed(ada1), closed(ada2)]);
    server.liveview.disconnectUser("ada");
    expect(await reasons).toEqual(["io server disconnect", "io server disconnect"]);
    expect(grace.connected).toBe(true);
    expect(await call(grace, "ti_capture")).toEqual({ ok: true });
  });

  it("closes every socket of a room with disconnectRoom", async () => {
    const inside = await connectClient(server.url, { room: signedRoom("closing") });
    const outside = await connectClient(server.url, { room: signedRoom("staying") });
    const closed = new Promise<string>((resolve) => inside.once("disconnect", resolve));
    server.liveview.disconnectRoom("closing");
    expect(await closed).toBe("io server disconnect");
    expect(await call(outside, "ti_capture")).toEqual({ ok: true });
  });
});

describe("the room the server chooses for a page without data-room", () => {
  it("is shared by the tabs of one visitor and replaced when another user logs in with it", async () => {
    const first = await tab("nobody", {});
    const token = first.ready.roomToken!;
    const again = await tab("nobody", { storedRoom: token });
    expect(again.ready.room).toBe(first.ready.room);
    sessions.set("s1", { id: "ada" });
    const ada = await tab("s1", { storedRoom: token });
    expect(ada.ready.room).not.toBe(first.ready.room);
    expect(ada.ready.roomToken).toBeDefined();
    // Ada's own room is hers across her tabs; an anonymous tab holding her token does not get in.
    expect((await tab("s1", { storedRoom: ada.ready.roomToken! })).ready.room).toBe(ada.ready.room);
    expect((await tab("nobody", { storedRoom: ada.ready.roomToken! })).ready.room).not.toBe(ada.ready.room);
  });
});
