import { io, type Socket } from "socket.io-client";
import { DEFAULT_PATH, LIVEVIEW_EVENT, READY_EVENT, type Update } from "../../protocol/index";
import { liveviewRegistry, send } from "../../server/index";
import { MAX_REPLIES_PER_TAB, type MissedUpdatesAdapter } from "../../server/wire/missed_updates_adapter";
import { callMessage, gate, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let shortWindow: TestServer;
let replyGate: ReturnType<typeof gate>;
let handlerStarted: ReturnType<typeof gate>;
const clients = new Set<Socket>();

beforeAll(async () => {
  liveviewRegistry.register("mu_reply")((consumer, content) => {
    send(consumer, { target: "#reply", html: String(content.data.n) });
  });
  liveviewRegistry.register("mu_late_reply")(async (consumer, content) => {
    handlerStarted.open();
    await replyGate.promise;
    const count = Number(content.data.count ?? 1);
    for (let i = 0; i < count; i++) send(consumer, { target: "#reply", html: count === 1 ? "late" : String(i) });
  });
  server = await startServer({ logger: mockLogger() });
  shortWindow = await startServer({ logger: mockLogger(), recoveryWindowMs: 150 });
});

beforeEach(() => {
  replyGate = gate();
  handlerStarted = gate();
});

afterEach(async () => {
  for (const client of clients) client.disconnect();
  clients.clear();
  // Each test counts what the adapter keeps: wait until the server saw every tab of this test leave.
  await until(() => server.liveview.io.sockets.sockets.size === 0 && shortWindow.liveview.io.sockets.sockets.size === 0);
});

afterAll(async () => {
  liveviewRegistry.unregister("mu_reply");
  liveviewRegistry.unregister("mu_late_reply");
  await Promise.all([server.close(), shortWindow.close()]);
});

/** A client that reconnects by itself after `reconnectionDelay` ms, recording the HTML of every update. */
async function recoveringClient(target: TestServer, room: string, reconnectionDelay = 30) {
  const client: Socket = io(target.url, {
    path: DEFAULT_PATH,
    transports: ["websocket"],
    forceNew: true,
    reconnectionDelay,
    reconnectionDelayMax: reconnectionDelay,
    randomizationFactor: 0,
    auth: { room: signedRoom(room) },
  });
  clients.add(client);
  const received: string[] = [];
  client.on(LIVEVIEW_EVENT, (update: Update) => received.push(String(update.html)));
  await new Promise<void>((resolve) => client.once(READY_EVENT, () => resolve()));
  return { client, received };
}

/** Cuts the client's connection from the server side; resolves with `recovered` once it is back. */
function dropAndReconnect(target: TestServer, client: Socket): Promise<boolean> {
  const back = new Promise<boolean>((resolve) => client.once("connect", () => resolve(client.recovered)));
  target.liveview.io.sockets.sockets.get(client.id!)!.conn.close();
  return back;
}

/**
 * A call whose handler sends `count` replies, let go once the connection dropped: resolves with the reconnection's
 * outcome (`recovered`) and what the tab received.
 */
async function burstWhileAway(room: string, count: number) {
  const { client, received } = await recoveringClient(server, room);
  client.emit(LIVEVIEW_EVENT, callMessage("mu_late_reply", { data: { count: String(count) } }));
  await handlerStarted.promise;
  const back = dropAndReconnect(server, client);
  replyGate.open();
  return { back, received };
}

const adapterOf = (target: TestServer) => target.liveview.io.of("/").adapter as unknown as MissedUpdatesAdapter;

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("missed updates (connection state recovery in one process)", () => {
  it("replays a reply its handler sent while the tab was cut off", async () => {
    const { client, received } = await recoveringClient(server, "mu-late");
    client.emit(LIVEVIEW_EVENT, callMessage("mu_late_reply"));
    await handlerStarted.promise;
    const back = dropAndReconnect(server, client);
    replyGate.open(); // the handler replies to a tab that is not connected

    expect(await back).toBe(true);
    await until(() => received.length >= 1);
    expect(received).toEqual(["late"]);
  });

  it("resumes after the last reply the tab got, without replaying it", async () => {
    const { client, received } = await recoveringClient(server, "mu-resume");
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "1" } }));
    expect(received).toEqual(["1"]);

    const back = dropAndReconnect(server, client);
    server.liveview.sendToRoom("mu-resume", { target: "#room", html: "while away" });

    expect(await back).toBe(true);
    await until(() => received.length >= 2);
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "2" } }));
    expect(received).toEqual(["1", "while away", "2"]);
  });

  it("replays to a returning tab neither another tab's replies nor other rooms' updates", async () => {
    const away = await recoveringClient(server, "mu-shared");
    const other = await recoveringClient(server, "mu-shared");
    const elsewhere = await recoveringClient(server, "mu-elsewhere");

    const back = dropAndReconnect(server, away.client);
    await other.client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "theirs" } }));
    server.liveview.sendToRoom("mu-elsewhere", { target: "#room", html: "not yours" });
    server.liveview.sendToRoom("mu-shared", { target: "#room", html: "yours" });

    expect(await back).toBe(true);
    await until(() => away.received.length >= 1 && elsewhere.received.length >= 1);
    await away.client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "mine" } }));
    expect(away.received).toEqual(["yours", "mine"]);
    expect(other.received).toEqual(["theirs", "yours"]);
  });

  it("starts a fresh session when the tab comes back after the recovery window", async () => {
    const { client, received } = await recoveringClient(shortWindow, "mu-expired", 300);
    const back = dropAndReconnect(shortWindow, client);
    shortWindow.liveview.sendToRoom("mu-expired", { target: "#room", html: "too old" });

    expect(await back).toBe(false);
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "fresh" } }));
    expect(received).toEqual(["fresh"]);
  });

  it("keeps replaying correctly after thousands of packets were dropped as too old", async () => {
    const { client, received } = await recoveringClient(shortWindow, "mu-many");
    for (let i = 0; i < 3000; i++) shortWindow.liveview.sendToRoom("mu-nobody", { target: "#x", html: String(i) });
    await new Promise((resolve) => setTimeout(resolve, 200)); // all of them are now older than the window
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "before" } }));

    const back = dropAndReconnect(shortWindow, client);
    shortWindow.liveview.sendToRoom("mu-many", { target: "#room", html: "missed" });

    expect(await back).toBe(true);
    await until(() => received.length >= 2);
    expect(received).toEqual(["before", "missed"]);
  });

  it("keeps at most MAX_REPLIES_PER_TAB replies for a connected tab", async () => {
    const { client } = await recoveringClient(server, "mu-bounded");
    for (let i = 0; i < MAX_REPLIES_PER_TAB + 40; i++) {
      await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: String(i) } }));
    }
    expect(adapterOf(server).stats().replies).toBe(MAX_REPLIES_PER_TAB);
  });

  it("starts a fresh session for a tab that missed more replies than its log holds", async () => {
    const { back, received } = await burstWhileAway("mu-overflow", MAX_REPLIES_PER_TAB + 1);

    expect(await back).toBe(false);
    expect(received).toEqual([]);
  });

  it("replays every reply of a burst that fits in the log", async () => {
    const { back, received } = await burstWhileAway("mu-burst", MAX_REPLIES_PER_TAB);

    expect(await back).toBe(true);
    await until(() => received.length >= MAX_REPLIES_PER_TAB);
    expect(received).toEqual(Array.from({ length: MAX_REPLIES_PER_TAB }, (_, i) => String(i)));
  });

  it("forgets a tab's replies when it leaves for good", async () => {
    const { client } = await recoveringClient(server, "mu-leaves");
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "1" } }));
    expect(adapterOf(server).stats().replies).toBe(2); // liveview:ready and the reply

    const gone = new Promise<void>((resolve) =>
      server.liveview.io.sockets.sockets.get(client.id!)!.once("disconnect", () => resolve()),
    );
    client.disconnect();
    await gone;
    expect(adapterOf(server).stats().replies).toBe(0);
  });

  it("drops a connected tab's replies once a heartbeat has passed since, and still recovers it", async () => {
    const { client, received } = await recoveringClient(server, "mu-aged");
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "old" } }));
    expect(adapterOf(server).stats().replies).toBe(2); // liveview:ready and the reply
    adapterOf(server).sweep(Date.now() + 46_000); // past engine.io's 25 s ping interval + 20 s timeout
    expect(adapterOf(server).stats().replies).toBe(0);

    const back = dropAndReconnect(server, client);
    server.liveview.sendToRoom("mu-aged", { target: "#room", html: "new" });
    expect(await back).toBe(true);
    await until(() => received.length >= 2);
    expect(received).toEqual(["old", "new"]);
  });

  it("replays replies that were written to the tab from what was kept of them, unchanged", async () => {
    const { client, received } = await recoveringClient(server, "mu-replay-written");
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "1" } }));
    // socket.io-client keeps the offset of the last packet it got; going back one reply makes the server replay it.
    const tracked = client as unknown as { _lastOffset: string };
    const afterFirst = tracked._lastOffset;
    await client.emitWithAck(LIVEVIEW_EVENT, callMessage("mu_reply", { data: { n: "2 <b>&amp;</b> \"quoted\"" } }));
    tracked._lastOffset = afterFirst;

    const back = dropAndReconnect(server, client);
    expect(await back).toBe(true);
    await until(() => received.length >= 3);
    expect(received).toEqual(["1", '2 <b>&amp;</b> "quoted"', '2 <b>&amp;</b> "quoted"']);
  });
});
