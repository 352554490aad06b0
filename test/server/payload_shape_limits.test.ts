import type { Socket } from "socket.io-client";
import { liveviewRegistry, type CallAck } from "../../server/index";
import { call, closeClients, connectClient, flush, recordUpdates } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let logger: MockLogger;
let client: Socket;
let runs = 0;

/** `levels` levels of objects, `data` itself being the first: nested(1) is `{}`, nested(2) is `{ a: {} }`. */
const nested = (levels: number, leaf: unknown = {}): Record<string, unknown> => {
  let value: unknown = leaf;
  for (let i = 1; i < levels; i++) value = { a: value };
  return value as Record<string, unknown>;
};
/** An object of `count` keys. */
const keys = (count: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, "v"]));

beforeAll(async () => {
  liveviewRegistry.register("shape_counted")(() => {
    runs++;
  });
  logger = mockLogger();
  server = await startServer({ logger });
});

beforeEach(async () => {
  runs = 0;
  logger.warn.mockClear();
  client = await connectClient(server.url);
});

afterEach(() => {
  closeClients();
  jest.restoreAllMocks();
});

afterAll(async () => {
  liveviewRegistry.unregister("shape_counted");
  await server.close();
});

/** The call is refused with `code`, one error update, and the handler never runs; the socket stays usable. */
async function expectRefused(extra: Record<string, unknown>, code: string, socket = client): Promise<void> {
  runs = 0;
  const updates = recordUpdates(socket);
  const ack = await call(socket, "shape_counted", extra);
  await flush(server.liveview, [socket]);
  expect(ack).toEqual({ ok: false, error: expect.any(String) });
  expect(updates).toEqual([{ error: (ack as { error: string }).error, code }]);
  expect(runs).toBe(0);
  expect(await call(socket, "shape_counted")).toEqual({ ok: true });
}

describe("payload depth (maxPayloadDepth, default 32)", () => {
  it("runs data 32 levels deep and refuses 33 with too_deep, naming where", async () => {
    expect(await call(client, "shape_counted", { data: nested(32) })).toEqual({ ok: true });
    await expectRefused({ data: nested(33) }, "too_deep");
    const ack = (await call(client, "shape_counted", { data: nested(33) })) as { error: string };
    expect(ack.error).toMatch(/data(\.a){32} is nested too deeply \(at most 32 levels\)/);
  });

  it("counts arrays as levels and checks form too", async () => {
    expect(await call(client, "shape_counted", { form: nested(31, [[]]) })).toEqual({ ok: true });
    await expectRefused({ form: nested(31, [[[]]]) }, "too_deep");
  });

  it("takes the limit from the option", async () => {
    const shallow = await startServer({ logger, maxPayloadDepth: 3 });
    try {
      const socket = await connectClient(shallow.url);
      expect(await call(socket, "shape_counted", { data: nested(3) })).toEqual({ ok: true });
      runs = 0;
      const updates = recordUpdates(socket);
      expect((await call(socket, "shape_counted", { data: nested(4) })).ok).toBe(false);
      await flush(shallow.liveview, [socket]);
      expect(updates).toEqual([expect.objectContaining({ code: "too_deep" })]);
      expect(runs).toBe(0);
    } finally {
      await shallow.close();
    }
  });
});

describe("payload keys (maxPayloadKeys, default 1,000)", () => {
  it("runs 1,000 keys and refuses 1,001 with too_many_keys", async () => {
    expect(await call(client, "shape_counted", { data: keys(1000) })).toEqual({ ok: true });
    await expectRefused({ data: keys(1001) }, "too_many_keys");
  });

  it("counts data and form together, nested keys and array items included", async () => {
    // 500 + (1 key "list" + 499 items) = 1,000 in all: accepted; one item more is refused.
    const list = (items: number) => ({ list: Array.from({ length: items }, () => "x") });
    expect(await call(client, "shape_counted", { data: keys(500), form: list(499) })).toEqual({ ok: true });
    await expectRefused({ data: keys(500), form: list(500) }, "too_many_keys");
    await expectRefused({ data: { a: keys(1000) } }, "too_many_keys");
  });

  it("takes the limit from the option", async () => {
    const small = await startServer({ logger, maxPayloadKeys: 10 });
    try {
      const socket = await connectClient(small.url);
      expect(await call(socket, "shape_counted", { form: keys(10) })).toEqual({ ok: true });
      expect(await call(socket, "shape_counted", { form: keys(11) })).toEqual({
        ok: false,
        error: expect.stringMatching(/too many keys \(at most 10 keys and items\)/),
      });
    } finally {
      await small.close();
    }
  });
});

describe("refusals of payload shape", () => {
  it("log one line per socket per burst, not one per message", async () => {
    // The clock stands still: the burst is one however long the machine takes over these 20 calls.
    const now = Date.now();
    jest.spyOn(Date, "now").mockImplementation(() => now);
    const acks: Array<Promise<CallAck>> = [];
    for (let i = 0; i < 10; i++) acks.push(call(client, "shape_counted", { data: nested(40) }));
    for (let i = 0; i < 10; i++) acks.push(call(client, "shape_counted", { data: keys(2000) }));
    expect((await Promise.all(acks)).every((ack) => !ack.ok)).toBe(true);
    const lines = logger.warn.mock.calls.map(([line]) => String(line));
    expect(lines.filter((line) => /nested too deeply/.test(line))).toHaveLength(1);
    expect(lines.filter((line) => /too many keys/.test(line))).toHaveLength(1);
    expect(lines).toHaveLength(2);
  });

  it("leave other sockets alone", async () => {
    const other = await connectClient(server.url);
    const otherUpdates = recordUpdates(other);
    await call(client, "shape_counted", { data: nested(100) });
    await flush(server.liveview, [client, other]);
    expect(otherUpdates).toEqual([]);
    expect(await call(other, "shape_counted")).toEqual({ ok: true });
  });
});
