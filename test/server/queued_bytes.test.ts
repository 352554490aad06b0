import type { Socket } from "socket.io-client";
import { liveviewRegistry, type CallAck } from "../../server/index";
import { call, closeClients, connectClient, flush, gate, recordUpdates, serverReceived, serverSocketOf } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

// Each call below carries 1,000 characters of text plus about 140 of envelope: four wait within 5,000 bytes, a fifth
// does not. The byte budget counts what the parser measured of each packet as it arrived (characters of its text,
// bytes of its attachments), so these counts hold only if that measure reaches the queue.
const BUDGET = 5_000;
const TEXT = "x".repeat(1_000);
let server: TestServer;
let logger: MockLogger;
let client: Socket;
let release = gate();
let runs = 0;

beforeAll(async () => {
  liveviewRegistry.register("bytes_slow")(async () => {
    runs++;
    await release.promise;
  });
  logger = mockLogger();
  server = await startServer({ logger, maxQueuedBytes: BUDGET });
});

beforeEach(async () => {
  runs = 0;
  release = gate();
  logger.warn.mockClear();
  client = await connectClient(server.url);
});

afterEach(() => {
  release.open();
  closeClients();
  jest.restoreAllMocks();
});

afterAll(async () => {
  liveviewRegistry.unregister("bytes_slow");
  await server.close();
});

/** Sends the calls at once while the first holds the queue, then releases it; resolves with the acks in order. */
async function whileHeld(messages: Array<Record<string, unknown>>): Promise<CallAck[]> {
  const arrived = serverReceived(serverSocketOf(server.liveview, client), messages.length);
  const acks = messages.map((extra) => call(client, "bytes_slow", extra));
  await arrived;
  release.open();
  return Promise.all(acks);
}

const overloaded = { ok: false, error: expect.stringMatching(/Too many bytes of calls waiting/) };

describe("byte budget of waiting calls (maxQueuedBytes)", () => {
  it("refuses a call that would bring the waiting bytes over the budget with overloaded, and runs the rest", async () => {
    const updates = recordUpdates(client);
    const acks = await whileHeld(Array.from({ length: 7 }, () => ({ form: { text: TEXT } })));
    // One running (not waiting), four waiting, then the budget is spent.
    expect(acks).toEqual([...Array.from({ length: 5 }, () => ({ ok: true })), overloaded, overloaded]);
    expect(runs).toBe(5);
    await flush(server.liveview, [client]);
    expect(updates).toEqual([
      { error: expect.stringMatching(/Too many bytes/), code: "overloaded" },
      { error: expect.stringMatching(/Too many bytes/), code: "overloaded" },
    ]);
    expect(client.connected).toBe(true);
    expect(await call(client, "bytes_slow", { form: { text: TEXT } })).toEqual({ ok: true });
  });

  it("counts small calls by their small size: many of them wait", async () => {
    const acks = await whileHeld(Array.from({ length: 30 }, () => ({ form: { text: "y" } })));
    expect(acks.every((ack) => ack.ok)).toBe(true);
    expect(runs).toBe(30);
  });

  it("counts binary attachments by their bytes", async () => {
    // Binary data in form is then refused by validation, but while it waits it holds its bytes.
    const acks = await whileHeld([{}, { form: { file: Buffer.alloc(3_000) } }, { form: { file: Buffer.alloc(3_000) } }]);
    expect(acks[0]).toEqual({ ok: true });
    expect(acks[1]).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(acks[2]).toEqual(overloaded);
  });

  it("lets a call bigger than the whole budget wait when nothing else waits", async () => {
    const big = { form: { text: "z".repeat(BUDGET * 2) } };
    const acks = await whileHeld([{}, big, big]);
    expect(acks).toEqual([{ ok: true }, { ok: true }, overloaded]);
  });

  it("logs the refusals once per burst", async () => {
    const now = Date.now();
    jest.spyOn(Date, "now").mockImplementation(() => now);
    await whileHeld(Array.from({ length: 12 }, () => ({ form: { text: TEXT } })));
    const lines = logger.warn.mock.calls.map(([line]) => String(line));
    expect(lines).toEqual([expect.stringMatching(/too many bytes of calls waiting/)]);
  });
});
