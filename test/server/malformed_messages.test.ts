import type { Socket } from "socket.io-client";
import { LIVEVIEW_EVENT } from "../../protocol/index";
import { liveviewRegistry, send } from "../../server/index";
import {
  call,
  callWithAck,
  closeClients,
  connectClient,
  flush,
  nextUpdate,
  recordUpdates,
} from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let logger: MockLogger;
let client: Socket;
let runs = 0;

beforeAll(async () => {
  // The malformed calls below name this handler: if one got through, it would run and ack { ok: true }.
  liveviewRegistry.register("bad_target")((consumer) => {
    runs++;
    send(consumer, { target: "#ok", html: "ran" });
  });
  logger = mockLogger();
  server = await startServer({ logger });
});

beforeEach(async () => {
  runs = 0;
  logger.warn.mockClear();
  logger.error.mockClear();
  client = await connectClient(server.url);
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("bad_target");
  await server.close();
});

/** Sends `payload` as a call and checks the error update, the { ok: false } ack, the log line and the socket. */
async function expectRefused(payload: unknown, error: RegExp = /Invalid message/): Promise<void> {
  const updates = recordUpdates(client);
  const warnings = logger.warn.mock.calls.length;
  const ack = await callWithAck(client, payload);
  expect(ack).toEqual({ ok: false, error: expect.stringMatching(error) });
  expect(updates).toEqual([expect.objectContaining({ error: expect.stringMatching(error) })]);
  expect(logger.warn.mock.calls.length).toBe(warnings + 1);
  expect(runs).toBe(0);
  expect(client.connected).toBe(true);
}

const raw = (json: string): unknown => JSON.parse(json);

describe("malformed messages", () => {
  it.each([
    ["a string", "bad_target"],
    ["a number", 42],
    ["null", null],
    ["an array", [{ function: "bad_target" }]],
    ["a boolean", true],
  ])("refuses a message that is %s", async (_label, payload) => {
    await expectRefused(payload);
  });

  it("refuses a call with no payload at all", async () => {
    const updates = recordUpdates(client);
    const ack = await new Promise((resolve) => client.emit(LIVEVIEW_EVENT, resolve));
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/Invalid message/) });
    expect(updates).toHaveLength(1);
  });

  it.each([
    ["missing", { data: {}, form: {} }],
    ["a number", { function: 5 }],
    ["null", { function: null }],
    ["an object", { function: { name: "bad_target" } }],
    ["empty", { function: "" }],
  ])("refuses a call whose function is %s", async (_label, payload) => {
    await expectRefused(payload);
  });

  it.each([
    ["data is a string", { function: "bad_target", data: "page=2" }],
    ["data is an array", { function: "bad_target", data: ["2"] }],
    ["data is null", { function: "bad_target", data: null }],
    ["form is a string", { function: "bad_target", form: "name=Ada" }],
    ["form is an array", { function: "bad_target", form: [["name", "Ada"]] }],
    ["form is a number", { function: "bad_target", form: 1 }],
  ])("refuses a call where %s", async (_label, payload) => {
    await expectRefused(payload);
  });

  it.each([
    ["__proto__ at the top level", '{"function":"bad_target","__proto__":{"polluted":true}}'],
    ["constructor at the top level", '{"function":"bad_target","constructor":{"prototype":{"polluted":true}}}'],
    ["__proto__ in data", '{"function":"bad_target","data":{"__proto__":{"polluted":true}}}'],
    ["__proto__ in form", '{"function":"bad_target","form":{"__proto__":{"polluted":true}}}'],
    ["constructor in data", '{"function":"bad_target","data":{"constructor":{"prototype":{"polluted":true}}}}'],
    ["constructor in form", '{"function":"bad_target","form":{"constructor":{"prototype":{"polluted":true}}}}'],
    [
      "__proto__ nested deeper in form",
      '{"function":"bad_target","form":{"a":{"b":[{"__proto__":{"polluted":true}}]}}}',
    ],
  ])("refuses a call with %s and pollutes no prototype", async (_label, json) => {
    const payload = raw(json);
    // The key travels as an own property, as JSON.parse made it.
    expect(JSON.stringify(payload)).toMatch(/__proto__|constructor/);
    await expectRefused(payload, /forbidden key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("refuses an unknown event name with an ack saying so", async () => {
    const updates = recordUpdates(client);
    const ack = await callWithAck(client, {}, "hack");
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/Unknown event/) });
    expect(updates).toEqual([expect.objectContaining({ error: expect.stringMatching(/Unknown event: hack/) })]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(client.connected).toBe(true);
  });

  // Found by the fuzzer: these passed the internal-event prefix check and reached no listener, so the ack never came.
  it.each(["liveview:ready", "liveview:", "liveview:upload", "liveview:x"])(
    "refuses an unknown internal event %s with an ack saying so",
    async (event) => {
      const updates = recordUpdates(client);
      const ack = await callWithAck(client, { function: "bad_target" }, event);
      expect(ack).toEqual({ ok: false, error: `Unknown event: ${event}` });
      expect(updates).toEqual([expect.objectContaining({ code: "unknown_event" })]);
      expect(runs).toBe(0);
      expect(client.connected).toBe(true);
    },
  );

  it("answers an unknown event sent without an ack with an error update", async () => {
    const update = nextUpdate(client);
    client.emit("hack", { function: "bad_target" });
    expect((await update).error).toMatch(/Unknown event/);
    expect(runs).toBe(0);
  });

  it("keeps the socket usable after a run of malformed messages", async () => {
    for (const payload of ["x", 1, null, [], { function: "" }, { function: "bad_target", form: "x" }]) {
      expect((await callWithAck(client, payload)).ok).toBe(false);
    }
    expect((await callWithAck(client, {}, "hack")).ok).toBe(false);
    expect(client.connected).toBe(true);
    expect(await call(client, "bad_target")).toEqual({ ok: true });
    expect(runs).toBe(1);
  });
});

describe("isolation", () => {
  it("never lets one misbehaving client affect another connected client", async () => {
    const bystander = await connectClient(server.url);
    const bystanderUpdates = recordUpdates(bystander);
    liveviewRegistry.register("bad_throws")(() => {
      throw new Error("boom");
    });
    try {
      const attacks = [
        callWithAck(client, "garbage"),
        callWithAck(client, raw('{"function":"bad_target","form":{"__proto__":{"polluted":true}}}')),
        callWithAck(client, { function: "bad_nobody" }),
        callWithAck(client, { function: "bad_throws" }),
        callWithAck(client, {}, "hack"),
      ];
      expect(await call(bystander, "bad_target")).toEqual({ ok: true });
      expect((await Promise.all(attacks)).every((ack) => !ack.ok)).toBe(true);
      expect(await call(bystander, "bad_target")).toEqual({ ok: true });
      await flush(server.liveview, [client, bystander]);
    } finally {
      liveviewRegistry.unregister("bad_throws");
    }
    expect(bystander.connected).toBe(true);
    expect(bystanderUpdates).toEqual([
      { target: "#ok", html: "ran" },
      { target: "#ok", html: "ran" },
    ]);
  });
});

describe("binary values", () => {
  it("refuses binary data inside form, which is for JSON values only", async () => {
    await expectRefused({ function: "bad_target", form: { avatar: Buffer.from("not json") } }, /not JSON/);
  });
});
