import type { Socket } from "socket.io-client";
import { z } from "zod";
import { defineHandler, liveviewRegistry, type HandlerContent } from "../../server/index";
import { validateCall } from "../../protocol/index";
import { testPage } from "../../testing/index";
import { call, closeClients, connectClient, flush, recordUpdates } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let client: Socket;
const seen: HandlerContent[] = [];

beforeAll(async () => {
  liveviewRegistry.register("params_seen")((_consumer, content) => void seen.push(content));
  server = await startServer({ logger: mockLogger(), maxPayloadDepth: 3, maxPayloadKeys: 10 });
});

beforeEach(async () => {
  seen.length = 0;
  client = await connectClient(server.url);
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("params_seen");
  await server.close();
});

/** The call is refused with one error update naming the problem, and the handler never runs. */
async function expectRefused(extra: Record<string, unknown>, error: RegExp, code: string): Promise<void> {
  const updates = recordUpdates(client);
  const ack = await call(client, "params_seen", extra);
  await flush(server.liveview, [client]);
  expect(ack).toEqual({ ok: false, error: expect.stringMatching(error) });
  expect(updates).toEqual([{ error: expect.stringMatching(error), code }]);
  expect(seen).toEqual([]);
}

describe("content.params over a real socket", () => {
  it("hands the handler the call's params as they were sent (numbers, booleans, objects stay typed)", async () => {
    expect(await call(client, "params_seen", { params: { id: 3, done: true, filter: { tag: "a" } } })).toEqual({ ok: true });
    expect(seen[0].params).toEqual({ id: 3, done: true, filter: { tag: "a" } });
  });

  it("gives the handler an empty object when the call has no params", async () => {
    expect(await call(client, "params_seen")).toEqual({ ok: true });
    expect(seen[0].params).toEqual({});
  });

  it("refuses params that are not an object", async () => {
    await expectRefused({ params: [1, 2] }, /"params" must be an object/, "invalid_message");
  });

  it("refuses params nested deeper than maxPayloadDepth, naming where", async () => {
    await expectRefused({ params: { a: { b: { c: {} } } } }, /params\.a\.b\.c is nested too deeply \(at most 3 levels\)/, "too_deep");
  });

  it("counts params with data and form against maxPayloadKeys", async () => {
    const five = (prefix: string) => Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`${prefix}${i}`, i]));
    expect(await call(client, "params_seen", { data: five("d"), params: five("p") })).toEqual({ ok: true });
    seen.length = 0;
    await expectRefused({ data: five("d"), form: { one: "1" }, params: five("p") }, /data, form and params hold too many keys/, "too_many_keys");
  });

  it("refuses __proto__, constructor and prototype keys in params at any depth", async () => {
    // JSON text, as a browser sends it: JSON.parse makes __proto__ an own key.
    const params = JSON.parse('{"ok": {"__proto__": {"polluted": true}}}') as Record<string, unknown>;
    await expectRefused({ params }, /params\.ok has the forbidden key "__proto__"/, "invalid_message");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("validateCall", () => {
  it("normalises params to an object", () => {
    const result = validateCall({ function: "f" });
    expect(result.ok && result.call.params).toEqual({});
  });
});

describe("defineHandler with a params schema", () => {
  afterEach(() => liveviewRegistry.unregister("params_typed"));

  it("hands the handler the params the schema returns, typed, and refuses bad ones with invalid_input naming params.FIELD", async () => {
    const got: number[] = [];
    defineHandler("params_typed", { params: z.object({ id: z.number().int().positive() }) }, (_consumer, content) => {
      const id: number = content.params.id; // typed from the schema
      got.push(id);
    });
    const page = await testPage();
    expect(await page.call("params_typed", { params: { id: 3 } })).toEqual({ ok: true });
    const refused = await page.call("params_typed", { params: { id: "3" } });
    expect(refused).toMatchObject({ ok: false, code: "invalid_input" });
    expect(page.errors[0]).toMatchObject({ code: "invalid_input", fields: { "params.id": [expect.any(String)] } });
    expect(got).toEqual([3]);
    page.close();
  });
});
