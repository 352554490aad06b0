import type { Socket } from "socket.io-client";
import { liveviewRegistry, type CallAck, type Update } from "../../server/index";
import { call, closeClients, connectClient, flush, recordUpdates, serverReceived, serverSocketOf } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

// The limiter and the refusal log read Date.now(): the tests hold the clock still and move it themselves, so how
// long the machine takes between two calls never matters.
let clock = 1_000_000;
let runs = 0;
let logger: MockLogger;
const servers: TestServer[] = [];

beforeAll(() => {
  liveviewRegistry.register("rate_counted")(() => {
    runs++;
  });
});

beforeEach(() => {
  runs = 0;
  clock += 60_000;
  jest.spyOn(Date, "now").mockImplementation(() => clock);
  logger = mockLogger();
});

afterEach(async () => {
  closeClients();
  jest.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(() => liveviewRegistry.unregister("rate_counted"));

async function start(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const server = await startServer({ logger, ...options });
  servers.push(server);
  return server;
}

/** Sends `count` calls at once and resolves with their acks, in order. */
async function burst(server: TestServer, client: Socket, count: number): Promise<CallAck[]> {
  const arrived = serverReceived(serverSocketOf(server.liveview, client), count);
  const acks = Array.from({ length: count }, () => call(client, "rate_counted"));
  await arrived;
  return Promise.all(acks);
}

const ok = (count: number): CallAck[] => Array.from({ length: count }, () => ({ ok: true }));
const limited = (count: number): CallAck[] =>
  Array.from({ length: count }, () => ({ ok: false, error: expect.stringMatching(/Too many calls/) }));
const rateLines = (): string[] =>
  logger.warn.mock.calls.map(([line]) => String(line)).filter((line) => /too many calls per second/.test(line));

describe("call rate per socket (rateLimit)", () => {
  it("by default runs a burst of 40 calls and refuses the rest with rate_limited, one error update each", async () => {
    const server = await start();
    const client = await connectClient(server.url);
    const updates = recordUpdates(client);
    expect(await burst(server, client, 45)).toEqual([...ok(40), ...limited(5)]);
    await flush(server.liveview, [client]);
    expect(runs).toBe(40);
    expect(updates).toEqual(
      Array.from({ length: 5 }, (): Update => ({ error: expect.stringMatching(/Too many calls/), code: "rate_limited" })),
    );
    expect(client.connected).toBe(true);
  });

  it("runs later calls once the window has passed: 20 per second, the burst allowance spent until it refills", async () => {
    const server = await start();
    const client = await connectClient(server.url);
    expect(await burst(server, client, 41)).toEqual([...ok(40), ...limited(1)]);
    clock += 1000;
    // A new window brings 20 calls; the 20 of the burst allowance come back only after 10 windows.
    expect(await burst(server, client, 21)).toEqual([...ok(20), ...limited(1)]);
    clock += 10_000;
    expect(await burst(server, client, 41)).toEqual([...ok(40), ...limited(1)]);
    expect(runs).toBe(100);
  });

  it("takes points, durationMs and burst from the option", async () => {
    const server = await start({ rateLimit: { points: 3, durationMs: 200, burst: 4 } });
    const client = await connectClient(server.url);
    expect(await burst(server, client, 6)).toEqual([...ok(4), ...limited(2)]);
    clock += 199;
    expect(await burst(server, client, 1)).toEqual(limited(1));
    clock += 1;
    expect(await burst(server, client, 4)).toEqual([...ok(3), ...limited(1)]);
  });

  it("logs one line per socket per burst of refusals, and again after a quiet window", async () => {
    const server = await start({ rateLimit: { points: 2, durationMs: 1000, burst: 2 } });
    const client = await connectClient(server.url);
    await burst(server, client, 12);
    expect(rateLines()).toHaveLength(1);
    expect(rateLines()[0]).toEqual(expect.stringContaining(`socket ${client.id}`));
    clock += 999; // still the same burst: refused, not logged
    await burst(server, client, 3);
    expect(rateLines()).toHaveLength(1);
    clock += 1000; // quiet for a window: a new burst, whose line counts what the last one did not log
    await burst(server, client, 3);
    expect(rateLines()).toEqual([expect.anything(), expect.stringContaining("12 more of its previous burst")]);
  });

  it("limits each socket on its own: a flooding socket does not use up another's calls", async () => {
    const server = await start({ rateLimit: { points: 2, durationMs: 1000, burst: 2 } });
    const flooder = await connectClient(server.url);
    const other = await connectClient(server.url);
    expect(await burst(server, flooder, 10)).toEqual([...ok(2), ...limited(8)]);
    expect(await burst(server, other, 2)).toEqual(ok(2));
  });

  it("is off with rateLimit: false", async () => {
    const server = await start({ rateLimit: false });
    const client = await connectClient(server.url);
    expect(await burst(server, client, 200)).toEqual(ok(200));
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it("refuses an option it cannot honour", async () => {
    await expect(startServer({ rateLimit: { points: 0 } })).rejects.toThrow(/points/);
    await expect(startServer({ rateLimit: { points: 10, burst: 5 } })).rejects.toThrow(/burst/);
  });
});
