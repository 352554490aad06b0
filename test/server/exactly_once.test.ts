import { io, type Socket } from "socket.io-client";
import { DEFAULT_PATH, LIVEVIEW_EVENT, type Update } from "../../protocol/index";
import { MemoryCallLedger, liveviewRegistry, send } from "../../server/index";
import { callMessage, callWithAck, closeClients, connectClient, gate, recordUpdates, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let runs: string[] = [];
let slowGate: ReturnType<typeof gate>;

beforeAll(async () => {
  liveviewRegistry.register("eo_count")((consumer, content) => {
    runs.push(String(content.data.n));
    send(consumer, { target: "#n", html: String(content.data.n) });
  });
  liveviewRegistry.register("eo_slow")(async (consumer, content) => {
    runs.push(String(content.data.n));
    await slowGate.promise;
    send(consumer, { target: "#n", html: "slow done" });
  });
  liveviewRegistry.register("eo_fails")(() => {
    runs.push("fails");
    throw new Error("nope");
  });
  server = await startServer({ logger: mockLogger() });
});

beforeEach(() => {
  runs = [];
  slowGate = gate();
});

afterEach(() => closeClients());

afterAll(async () => {
  for (const name of ["eo_count", "eo_slow", "eo_fails"]) liveviewRegistry.unregister(name);
  await server.close();
});

describe("calls resent with the same id", () => {
  it("runs the handler once and answers the duplicate with the same ack", async () => {
    const client = await connectClient(server.url, { room: signedRoom("eo-room-1") });
    const updates = recordUpdates(client);
    const message = callMessage("eo_count", { data: { n: "1" } });
    expect(await callWithAck(client, message)).toEqual({ ok: true });
    expect(await callWithAck(client, message)).toEqual({ ok: true });
    expect(runs).toEqual(["1"]);
    expect(updates).toHaveLength(1);
  });

  it("gives a duplicate of a failed call the same error ack without a second error update", async () => {
    const client = await connectClient(server.url, { room: signedRoom("eo-room-2") });
    const updates = recordUpdates(client);
    const message = callMessage("eo_fails");
    const first = await callWithAck(client, message);
    expect(first).toEqual({ ok: false, error: expect.stringMatching(/Handler error: nope/) });
    expect(await callWithAck(client, message)).toEqual(first);
    expect(runs).toEqual(["fails"]);
    expect(updates.filter((update: Update) => update.error)).toHaveLength(1);
  });

  it("makes a duplicate from a new connection of the same tab wait for the first run still in progress", async () => {
    const before = await connectClient(server.url, { room: signedRoom("eo-room-3"), tab: "eo-tab-3" });
    const message = callMessage("eo_slow", { data: { n: "slow" } });
    const firstAck = callWithAck(before, message);
    while (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const after = await connectClient(server.url, { room: signedRoom("eo-room-3"), tab: "eo-tab-3" });
    const secondAck = callWithAck(after, message);
    slowGate.open();
    expect(await Promise.all([firstAck, secondAck])).toEqual([{ ok: true }, { ok: true }]);
    expect(runs).toEqual(["slow"]);
  });

  it("runs the same id once in each room", async () => {
    const a = await connectClient(server.url, { room: signedRoom("eo-room-a") });
    const b = await connectClient(server.url, { room: signedRoom("eo-room-b") });
    const message = callMessage("eo_count", { data: { n: "x" } });
    await callWithAck(a, message);
    await callWithAck(b, message);
    expect(runs).toEqual(["x", "x"]);
  });

  it("refuses an id longer than 128 characters", async () => {
    const client = await connectClient(server.url, { room: signedRoom("eo-room-4") });
    const ack = await callWithAck(client, { ...callMessage("eo_count"), id: "x".repeat(129) });
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/"id"/) });
    expect(runs).toEqual([]);
  });
});

describe("the in-memory ledger", () => {
  it("tells apart two calls whose fingerprints share their first half, and still dedupes both", async () => {
    const ledger = new MemoryCallLedger({ maxEntries: 100 });
    // Find two ids whose fingerprints collide in the first half (a birthday search over 30 bits).
    const probe = ledger as unknown as {
      tabOf(scope: string, create: boolean): number;
      fingerprint(tab: number, id: string): void;
      high: number;
      low: number;
    };
    const tab = probe.tabOf("room", true);
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let i = 0; !pair; i++) {
      probe.fingerprint(tab, `id-${i}`);
      const other = seen.get(probe.high);
      if (other !== undefined) pair = [other, `id-${i}`];
      else seen.set(probe.high, `id-${i}`);
    }
    const [first, second] = pair;
    expect(ledger.claim("room", first)).toEqual({ first: true });
    expect(ledger.claim("room", second)).toEqual({ first: true });
    ledger.settle("room", first, { ok: false, error: "first failed" });
    ledger.settle("room", second, { ok: true });

    const again = [ledger.claim("room", first), ledger.claim("room", second)];
    expect(await Promise.all(again.map((claim) => (claim.first ? "ran again" : claim.ack)))).toEqual([
      { ok: false, error: "first failed" },
      { ok: true },
    ]);
  });

  it("finds every remembered call while thousands come and go through its table", () => {
    const ledger = new MemoryCallLedger({ maxEntries: 500 });
    const call = (i: number) => [`room-${i % 7}`, `id-${i}`] as const;
    for (let i = 0; i < 20_000; i++) {
      expect(ledger.claim(...call(i))).toEqual({ first: true });
      ledger.settle(...call(i), { ok: true });
      if (i % 97 !== 0) continue;
      // Each of the last 500 is still known, whatever was evicted around it in the table.
      for (let back = 0; back < Math.min(500, i + 1); back += 7) expect(ledger.claim(...call(i - back)).first).toBe(false);
    }
    expect(ledger.size).toBe(500);
    expect(ledger.claim(...call(20_000 - 501)).first).toBe(true);
  });

  it("keeps each room's use of an id apart, and forgets one without the others", async () => {
    const ledger = new MemoryCallLedger({ maxEntries: 3 });
    expect(ledger.claim("a", "shared")).toEqual({ first: true });
    expect(ledger.claim("b", "shared")).toEqual({ first: true });
    expect(ledger.claim("c", "shared")).toEqual({ first: true });
    ledger.settle("a", "shared", { ok: true });
    ledger.settle("b", "shared", { ok: false, error: "b failed" });
    ledger.settle("c", "shared", { ok: false, error: "c failed" });
    ledger.claim("d", "other"); // past maxEntries: room a's entry, the oldest, goes

    expect(ledger.size).toBe(3);
    const b = ledger.claim("b", "shared");
    const c = ledger.claim("c", "shared");
    expect(b.first || (await b.ack)).toEqual({ ok: false, error: "b failed" });
    expect(c.first || (await c.ack)).toEqual({ ok: false, error: "c failed" });
    expect(ledger.claim("a", "shared")).toEqual({ first: true });
  });

  it("remembers at most maxEntries ids, forgetting the oldest", () => {
    const ledger = new MemoryCallLedger({ maxEntries: 3 });
    for (let i = 0; i < 10; i++) ledger.claim("room", `id-${i}`);
    expect(ledger.size).toBe(3);
    expect(ledger.claim("room", "id-9")).toMatchObject({ first: false });
    expect(ledger.claim("room", "id-0")).toEqual({ first: true });
  });

  it("forgets ids after their time to live", () => {
    jest.useFakeTimers();
    try {
      const ledger = new MemoryCallLedger({ ttlMs: 1000 });
      ledger.claim("room", "a");
      jest.advanceTimersByTime(999);
      expect(ledger.claim("room", "a")).toMatchObject({ first: false });
      jest.advanceTimersByTime(2);
      expect(ledger.claim("room", "a")).toEqual({ first: true });
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("missed updates", () => {
  it("delivers updates sent while a client was cut off, in order, once it reconnects", async () => {
    const client: Socket = io(server.url, {
      path: DEFAULT_PATH,
      transports: ["websocket"],
      forceNew: true,
      reconnectionDelay: 50,
      randomizationFactor: 0,
      auth: { room: signedRoom("eo-recover") },
    });
    try {
      const received: string[] = [];
      client.on(LIVEVIEW_EVENT, (update: Update) => received.push(String(update.html)));
      await new Promise<void>((resolve) => client.once("liveview:ready", () => resolve()));
      const serverSocket = server.liveview.io.sockets.sockets.get(client.id!)!;
      const reconnected = new Promise<boolean>((resolve) => client.once("connect", () => resolve(client.recovered)));
      serverSocket.conn.close(); // the network drops: the client will reconnect by itself
      server.liveview.sendToRoom("eo-recover", { target: "#x", html: "one" });
      server.liveview.broadcast({ target: "#x", html: "two" });
      expect(await reconnected).toBe(true);
      while (received.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(received).toEqual(["one", "two"]);
    } finally {
      client.disconnect();
    }
  });
});
