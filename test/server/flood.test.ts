import { liveviewRegistry, type CallAck } from "../../server/index";
import { call, closeClients, connectClient, gate, serverReceived, serverSocketOf } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

const MAX_QUEUED = 5;
const CALLS = 20;
let server: TestServer;
let logger: MockLogger;
let release = gate();
let runs = 0;

beforeAll(async () => {
  liveviewRegistry.register("flood_slow")(async () => {
    runs++;
    await release.promise;
  });
  liveviewRegistry.register("flood_fast")(() => {
    runs++;
  });
  logger = mockLogger();
  server = await startServer({ logger, maxQueuedCalls: MAX_QUEUED });
});

beforeEach(() => {
  runs = 0;
  release = gate();
});

afterEach(() => {
  release.open();
  closeClients();
});

afterAll(async () => {
  liveviewRegistry.unregister("flood_slow");
  liveviewRegistry.unregister("flood_fast");
  await server.close();
});

describe("flood protection (maxQueuedCalls)", () => {
  it("refuses the calls past the queue limit with 'Too many calls', then works again once drained", async () => {
    const client = await connectClient(server.url);
    const allReceived = serverReceived(serverSocketOf(server.liveview, client), CALLS);
    const acks: Array<Promise<CallAck>> = [];
    for (let i = 0; i < CALLS; i++) acks.push(call(client, "flood_slow", { data: { n: String(i) } }));

    // Every call reached the server while the first one is still held: the queue is as full as it gets.
    await allReceived;
    release.open();
    const results = await Promise.all(acks);

    const accepted = results.filter((ack) => ack.ok);
    const refused = results.filter((ack) => !ack.ok);
    // One call running plus MAX_QUEUED waiting (or MAX_QUEUED in all, if the running one counts).
    expect(accepted.length).toBeGreaterThanOrEqual(MAX_QUEUED);
    expect(accepted.length).toBeLessThanOrEqual(MAX_QUEUED + 1);
    expect(refused.length).toBe(CALLS - accepted.length);
    for (const ack of refused) expect(ack).toEqual({ ok: false, error: expect.stringMatching(/Too many calls/) });
    // The first calls are the ones kept; the overflow is the tail.
    expect(results.slice(0, accepted.length).every((ack) => ack.ok)).toBe(true);
    expect(runs).toBe(accepted.length);

    expect(client.connected).toBe(true);
    expect(await call(client, "flood_fast")).toEqual({ ok: true });
    expect(runs).toBe(accepted.length + 1);
  });

  it("logs the overflow once per burst, not once per refused call", async () => {
    logger.warn.mockClear();
    const client = await connectClient(server.url);
    const allReceived = serverReceived(serverSocketOf(server.liveview, client), CALLS);
    const acks = Array.from({ length: CALLS }, () => call(client, "flood_slow"));
    await allReceived;
    release.open();
    await Promise.all(acks);
    expect(logger.warn.mock.calls.filter(([line]) => /too many calls/i.test(String(line)))).toHaveLength(1);
  });

  it("keeps other clients served while one floods", async () => {
    const flooder = await connectClient(server.url);
    const other = await connectClient(server.url);
    const allReceived = serverReceived(serverSocketOf(server.liveview, flooder), CALLS);
    const acks = Array.from({ length: CALLS }, () => call(flooder, "flood_slow"));
    await allReceived;
    expect(await call(other, "flood_fast")).toEqual({ ok: true });
    release.open();
    await Promise.all(acks);
  });
});
