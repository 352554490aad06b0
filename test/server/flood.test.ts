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
  jest.restoreAllMocks();
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

    // The first call is running (its handler holds it) and MAX_QUEUED wait behind it: the rest, the tail, are refused.
    const kept = MAX_QUEUED + 1;
    expect(results.slice(0, kept)).toEqual(Array.from({ length: kept }, () => ({ ok: true })));
    expect(results.slice(kept)).toEqual(
      Array.from({ length: CALLS - kept }, () => ({ ok: false, error: expect.stringMatching(/Too many calls/) })),
    );
    expect(runs).toBe(kept);

    expect(client.connected).toBe(true);
    expect(await call(client, "flood_fast")).toEqual({ ok: true });
    expect(runs).toBe(kept + 1);
  });

  it("logs the overflow once per burst, not once per refused call", async () => {
    logger.warn.mockClear();
    // The clock stands still: the burst is one however long the machine takes over these calls.
    const now = Date.now();
    jest.spyOn(Date, "now").mockImplementation(() => now);
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
