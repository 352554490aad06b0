// Exactly-once per tab: the ids of each tab's calls are kept apart and bounded per tab, so one client sending
// unique ids (a flood) never makes another client's resent call run twice.
import type { Socket } from "socket.io-client";
import { MemoryCallLedger, liveviewRegistry, type Claim } from "../../server/index";
import {
  callMessage,
  callWithAck,
  closeClients,
  connectClient,
  connectError,
  gate,
  serverSocketOf,
  signedRoom,
} from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const runs: string[] = [];
let slowGate = gate();

beforeAll(async () => {
  liveviewRegistry.register("pt_record")((_consumer, content) => void runs.push(String(content.data.n)));
  liveviewRegistry.register("pt_slow")(async (_consumer, content) => {
    runs.push(String(content.data.n));
    await slowGate.promise;
  });
  liveviewRegistry.register("pt_noop")(() => undefined);
  server = await startServer({
    logger: mockLogger(),
    rateLimit: false, // the flood must reach the ledger: what a flood costs the rate limit is tested in rate_limit.test.ts
  });
});

beforeEach(() => {
  runs.length = 0;
  slowGate = gate();
});

afterEach(() => closeClients());

afterAll(async () => {
  for (const name of ["pt_record", "pt_slow", "pt_noop"]) liveviewRegistry.unregister(name);
  await server.close();
});

/** Sends `count` calls with unique ids, `inFlight` at a time (under the 1,000 a socket may have waiting). */
async function flood(client: Socket, count: number, inFlight = 500): Promise<void> {
  for (let sent = 0; sent < count; sent += inFlight) {
    const size = Math.min(inFlight, count - sent);
    const batch = Array.from({ length: size }, () => callWithAck(client, callMessage("pt_noop")));
    const acks = await Promise.all(batch);
    expect(acks.every((ack) => ack.ok)).toBe(true);
  }
}

const ackOf = async (claim: Claim) => (claim.first ? "ran" : await claim.ack);

describe("exactly once per tab, over real sockets", () => {
  it("runs a call resent after a drop once while another client floods with more unique ids than the old ring held", async () => {
    const before = await connectClient(server.url, { room: signedRoom("pt-honest"), tab: "tab-honest" });
    const message = callMessage("pt_slow", { data: { n: "honest" } });
    void callWithAck(before, message); // its ack is lost with the connection
    while (runs.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    serverSocketOf(server.liveview, before).conn.close(); // the network drops while the call runs

    const flooder = await connectClient(server.url, { room: signedRoom("pt-flood") });
    await flood(flooder, 12_000);

    const after = await connectClient(server.url, { room: signedRoom("pt-honest"), tab: "tab-honest" }); // the page's new socket
    const resent = callWithAck(after, message);
    slowGate.open();
    expect(await resent).toEqual({ ok: true });
    expect(runs).toEqual(["honest"]);
  });

  it("remembers a tab's ids for the whole recovery window when it is longer than the ledger's own ten minutes, and forgets them after it", async () => {
    const windowed = await startServer({ logger: mockLogger(), recoveryWindowMs: 30 * 60_000 });
    const realNow = Date.now.bind(Date);
    let offset = 0;
    // Date.now only: the ledger reads it. Each client lives within one setting of the clock, since
    // engine.io-client reads it too (a jump would look like a missed ping).
    const clock = jest.spyOn(Date, "now").mockImplementation(() => realNow() + offset);
    const message = callMessage("pt_record", { data: { n: "late" } });
    const resendAt = async (ms: number) => {
      offset = ms;
      const client = await connectClient(windowed.url, { room: signedRoom("pt-window"), tab: "tab-window" });
      expect(await callWithAck(client, message)).toEqual({ ok: true });
      client.disconnect();
    };
    try {
      await resendAt(0);
      await resendAt(20 * 60_000); // past the ledger's ten minutes, within the window
      expect(runs).toEqual(["late"]);
      await resendAt(20 * 60_000 + 30 * 60_000 + 1); // the window after the tab's last call has passed
      expect(runs).toEqual(["late", "late"]);
    } finally {
      clock.mockRestore();
      closeClients();
      await windowed.close();
    }
  });

  it("keeps the same id apart in another room even when the tab id is the same", async () => {
    const message = callMessage("pt_record", { data: { n: "x" } });
    const mine = await connectClient(server.url, { room: signedRoom("pt-room-1"), tab: "tab-guessed" });
    const theirs = await connectClient(server.url, { room: signedRoom("pt-room-2"), tab: "tab-guessed" });
    await callWithAck(mine, message);
    await callWithAck(theirs, message);
    expect(runs).toEqual(["x", "x"]);
  });

  it("treats each socket that names no tab as a tab of its own", async () => {
    const message = callMessage("pt_record", { data: { n: "y" } });
    const one = await connectClient(server.url, { room: signedRoom("pt-no-tab") });
    const other = await connectClient(server.url, { room: signedRoom("pt-no-tab") });
    await callWithAck(one, message);
    await callWithAck(one, message);
    await callWithAck(other, message);
    expect(runs).toEqual(["y", "y"]);
  });

  it("refuses a handshake that names an invalid tab, with a clear reason", async () => {
    const logger = mockLogger();
    const strict = await startServer({ logger });
    try {
      const error = await connectError(strict.url, { room: signedRoom("pt-room"), tab: "not a tab!" });
      expect(error.message).toMatch(/Invalid tab/);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(await connectClient(strict.url, { room: signedRoom("pt-room"), tab: "a-good-tab_1" })).toBeTruthy();
    } finally {
      closeClients();
      await strict.close();
    }
  });
});

describe("the in-memory ledger, per tab", () => {
  it("keeps a tab's id while another tab of the same room claims twenty thousand unique ids", async () => {
    const ledger = new MemoryCallLedger();
    expect(ledger.claim("room/honest", "mine")).toEqual({ first: true });
    ledger.settle("room/honest", "mine", { ok: false, error: "kept" });
    for (let i = 0; i < 20_000; i++) {
      ledger.claim("room/flooder", `f-${i}`);
      ledger.settle("room/flooder", `f-${i}`, { ok: true });
    }
    expect(await ackOf(ledger.claim("room/honest", "mine"))).toEqual({ ok: false, error: "kept" });
  });

  it("past its own bound a tab forgets only its own oldest ids", () => {
    const ledger = new MemoryCallLedger({ maxEntriesPerTab: 3 });
    ledger.claim("room/other", "o-0");
    for (let i = 0; i < 5; i++) ledger.claim("room/busy", `b-${i}`);
    expect(ledger.size).toBe(4);
    for (const id of ["b-4", "b-3", "b-2"]) expect(ledger.claim("room/busy", id).first).toBe(false);
    expect(ledger.claim("room/other", "o-0").first).toBe(false);
    expect(ledger.claim("room/busy", "b-1").first).toBe(true);
    expect(ledger.claim("room/busy", "b-0").first).toBe(true);
  });

  it("forgets a tab's ids one time to live after its last call, and the tab with them", () => {
    jest.useFakeTimers();
    try {
      const ledger = new MemoryCallLedger({ ttlMs: 1000 });
      ledger.claim("room/tab", "early");
      jest.advanceTimersByTime(500);
      ledger.claim("room/tab", "late");
      jest.advanceTimersByTime(999);
      expect(ledger.claim("room/tab", "late").first).toBe(false);
      ledger.claim("room/other", "tick"); // a claim anywhere sweeps what expired: "early"
      expect(ledger.size).toBe(2);
      jest.advanceTimersByTime(2);
      ledger.claim("room/other", "tick-2"); // and now "late", the tab's last
      expect(ledger.size).toBe(2);
      expect((ledger as unknown as { tabs: Map<string, number> }).tabs.has("room/tab")).toBe(false);
      expect(ledger.claim("room/tab", "late")).toEqual({ first: true });
    } finally {
      jest.useRealTimers();
    }
  });

  it("agrees with a plain model of both bounds while uneven tabs interleave", () => {
    const ledger = new MemoryCallLedger({ maxEntries: 300, maxEntriesPerTab: 50 });
    // The model: ids in claim order, per tab and over all; a tab past 50 drops its oldest, all past 300 the oldest.
    const all: [string, string][] = [];
    const byTab = new Map<string, string[]>();
    let forgotten: [string, string] | undefined;
    const forget = (scope: string, id: string) => {
      forgotten = [scope, id];
      all.splice(all.findIndex(([s, i]) => s === scope && i === id), 1);
      byTab.get(scope)!.shift();
    };
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 6_000; i++) {
      const scope = random() < 0.5 ? "room/heavy" : `room/light-${Math.floor(random() * 9)}`;
      const id = `id-${i}`;
      expect(ledger.claim(scope, id)).toEqual({ first: true });
      ledger.settle(scope, id, { ok: true });
      const mine = byTab.get(scope) ?? [];
      byTab.set(scope, mine);
      if (mine.length >= 50) forget(scope, mine[0]!);
      else if (all.length >= 300) forget(all[0]![0], all[0]![1]);
      mine.push(id);
      all.push([scope, id]);
      if (i % 97 !== 0) continue;
      for (const [knownScope, knownId] of all) expect(ledger.claim(knownScope, knownId).first).toBe(false);
      expect(ledger.size).toBe(all.length);
    }
    expect(byTab.get("room/heavy")).toHaveLength(50);
    expect(ledger.size).toBe(300);
    expect(ledger.claim(...forgotten!).first).toBe(true);
  });
});
