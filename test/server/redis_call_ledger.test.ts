// The exactly-once ledger of several nodes, against a real redis-server: two ledgers on one Redis stand for
// two nodes.
import { createClient } from "redis";
import { RedisCallLedger, type Claim } from "../../server/index";
import { INTERRUPTED_ACK } from "../../server/redis/redis_call_ledger";
import { startRedis, type RedisServer } from "../support/redis";

let redis: RedisServer;
let client: ReturnType<typeof createClient>;

beforeAll(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
});

afterAll(async () => {
  await client?.close();
  await redis?.stop();
});

let counter = 0;
const freshId = () => `id-${++counter}`;
const ackOf = async (claim: Claim) => (claim.first ? "first" : await claim.ack);

describe("the Redis call ledger", () => {
  it("lets one node claim an id and answers every later claim, on any node, with the stored ack", async () => {
    const [nodeA, nodeB] = [new RedisCallLedger(client), new RedisCallLedger(client)];
    const id = freshId();
    expect(await nodeA.claim("room", id)).toEqual({ first: true });
    nodeA.settle("room", id, { ok: false, error: "Handler error: no" });
    await nodeA.flush();
    expect(await ackOf(await nodeB.claim("room", id))).toEqual({ ok: false, error: "Handler error: no" });
    expect(await ackOf(await nodeA.claim("room", id))).toEqual({ ok: false, error: "Handler error: no" });
    expect(await nodeB.claim("other-room", id)).toEqual({ first: true });
    nodeB.settle("other-room", id, { ok: true });
    await nodeB.flush();
  });

  it("makes a duplicate on another node wait for the first run and get its ack", async () => {
    const [nodeA, nodeB] = [new RedisCallLedger(client), new RedisCallLedger(client)];
    const id = freshId();
    await nodeA.claim("room", id);
    const duplicate = await nodeB.claim("room", id);
    expect(duplicate.first).toBe(false);
    let answered = false;
    const ack = ackOf(duplicate).then((value) => ((answered = true), value));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(answered).toBe(false);
    nodeA.settle("room", id, { ok: true });
    expect(await ack).toEqual({ ok: true });
    await nodeA.flush();
  });

  it("keeps the first run alive past its lease while its node renews it", async () => {
    // Renewed every third of the lease: the run outlives two leases and a busy event loop does not end it.
    const [nodeA, nodeB] = [new RedisCallLedger(client, { leaseMs: 900 }), new RedisCallLedger(client)];
    const id = freshId();
    await nodeA.claim("room", id);
    const duplicate = ackOf(await nodeB.claim("room", id));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    nodeA.settle("room", id, { ok: true });
    expect(await duplicate).toEqual({ ok: true });
  });

  it("answers duplicates of a run whose node died with the interrupted error, never running it twice", async () => {
    const [nodeA, nodeB] = [new RedisCallLedger(client, { leaseMs: 150 }), new RedisCallLedger(client)];
    const id = freshId();
    await nodeA.claim("room", id);
    nodeA.stop(); // the node is gone: nobody renews its lease
    expect(await ackOf(await nodeB.claim("room", id))).toEqual(INTERRUPTED_ACK);
    expect(await ackOf(await nodeB.claim("room", id))).toEqual(INTERRUPTED_ACK);
  });

  it("keeps every key for at most ttlMs, then forgets the id", async () => {
    const ledger = new RedisCallLedger(client, { ttlMs: 300, keyPrefix: "ttl-test:" });
    const id = freshId();
    await ledger.claim("room", id);
    ledger.settle("room", id, { ok: true });
    await ledger.flush();
    const keys = await client.keys("ttl-test:*");
    // The tab's list and the entry: the lease went with the settle.
    expect(keys.sort()).toEqual(["ttl-test:{room}", `ttl-test:{room}:${id}`]);
    for (const key of keys) {
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
    }
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await client.keys("ttl-test:*")).toEqual([]);
    expect(await ledger.claim("room", id)).toEqual({ first: true });
    ledger.settle("room", id, { ok: true });
    await ledger.flush();
  });

  it("answers a local duplicate from memory while the first run is still going", async () => {
    const ledger = new RedisCallLedger(client);
    const id = freshId();
    await ledger.claim("room", id);
    const duplicate = ackOf(await ledger.claim("room", id));
    ledger.settle("room", id, { ok: true });
    expect(await duplicate).toEqual({ ok: true });
    await ledger.flush();
  });

  it("keeps a tab's ids apart and bounded: past its bound a tab forgets its own oldest, never another tab's", async () => {
    const nodeA = new RedisCallLedger(client, { keyPrefix: "bound-test:", maxEntriesPerTab: 3 });
    const nodeB = new RedisCallLedger(client, { keyPrefix: "bound-test:", maxEntriesPerTab: 3 });
    const claimAndSettle = async (scope: string, id: string) => {
      expect(await nodeA.claim(scope, id)).toEqual({ first: true });
      nodeA.settle(scope, id, { ok: true });
    };
    await claimAndSettle("room/other", "o-0");
    for (let i = 0; i < 5; i++) await claimAndSettle("room/busy", `b-${i}`);
    await nodeA.flush();
    expect(await client.lLen("bound-test:{room/busy}")).toBe(3);
    for (const id of ["b-4", "b-3", "b-2"]) {
      expect(await ackOf(await nodeB.claim("room/busy", id))).toEqual({ ok: true });
    }
    expect(await ackOf(await nodeB.claim("room/other", "o-0"))).toEqual({ ok: true });
    expect(await client.keys("bound-test:{room/busy}:b-[01]*")).toEqual([]);
    expect(await nodeB.claim("room/busy", "b-0")).toEqual({ first: true });
    nodeB.settle("room/busy", "b-0", { ok: true });
    await nodeB.flush();
  });
});
