import type { Socket } from "socket.io-client";
import * as v from "valibot";
import { z } from "zod";
import { defineHandler, liveviewHandler, liveviewRegistry, send, type Middleware, type StandardSchemaV1 } from "../../server/index";
import { testPage } from "../../testing/index";
import { call, closeClients, connectClient, recordUpdates, signedRoom } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

const names: string[] = [];
/** Every handler a test defines, unregistered after it. */
function define<H extends { name: string }>(definition: H): H {
  names.push(definition.name);
  return definition;
}

let logger: MockLogger;
let server: TestServer | null = null;

beforeEach(() => {
  logger = mockLogger();
});

afterEach(async () => {
  for (const name of names.splice(0)) liveviewRegistry.unregister(name);
  closeClients();
  await server?.close();
  server = null;
});

/** A handler that records what it got, to show invalid input never reaches it. */
function recorder() {
  const seen: unknown[] = [];
  return { seen, record: (value: unknown) => void seen.push(value) };
}

describe("defineHandler with zod", () => {
  const schema = z.object({ title: z.string().min(1, "Title is required"), count: z.coerce.number().int() });

  it("hands the handler the values the schema returns, typed", async () => {
    const { seen, record } = recorder();
    define(
      defineHandler("dh_zod_ok", { form: schema, data: z.object({ id: z.coerce.number() }) }, (consumer, content) => {
        // Typed from the schemas: these lines do not compile if the types are lost.
        const title: string = content.form.title;
        const count: number = content.form.count;
        const id: number = content.data.id;
        // @ts-expect-error not in the schema
        void content.form.missing;
        record({ title, count, id });
        send(consumer, { target: "#out", html: `${title} x${count}` });
      }),
    );
    const page = await testPage({ html: '<p id="out"></p>' });
    const ack = await page.call("dh_zod_ok", { form: { title: "Tea", count: "3" }, data: { id: "7" } });
    expect(ack).toEqual({ ok: true });
    expect(seen).toEqual([{ title: "Tea", count: 3, id: 7 }]);
    expect(page.text("#out")).toBe("Tea x3");
    page.close();
  });

  it("refuses invalid input with invalid_input naming each failing field, and never runs the handler", async () => {
    const { seen, record } = recorder();
    define(defineHandler("dh_zod_bad", { form: schema }, (_consumer, content) => record(content)));
    const page = await testPage();
    const ack = await page.call("dh_zod_bad", { form: { title: "", count: "x" } });
    expect(ack).toMatchObject({ ok: false, code: "invalid_input" });
    expect(seen).toEqual([]);
    expect(page.errors).toHaveLength(1);
    const [error] = page.errors;
    expect(error.code).toBe("invalid_input");
    expect(error.function).toBe("dh_zod_bad");
    expect(error.fields?.["form.title"]).toEqual(["Title is required"]);
    expect(error.fields?.["form.count"]).toHaveLength(1);
    expect(Object.keys(error.fields ?? {}).sort()).toEqual(["form.count", "form.title"]);
    expect(error.error).toContain("form.title: Title is required");
    page.close();
  });

  it("waits for an async refinement before deciding", async () => {
    const taken = new Set(["ada"]);
    const username = z.object({ name: z.string().refine(async (name) => !taken.has(name), "Taken") });
    const { seen, record } = recorder();
    define(defineHandler("dh_zod_async", { form: username }, (_consumer, content) => record(content.form.name)));
    const page = await testPage();
    expect(await page.call("dh_zod_async", { form: { name: "ada" } })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(page.errors[0].fields).toEqual({ "form.name": ["Taken"] });
    expect(await page.call("dh_zod_async", { form: { name: "grace" } })).toEqual({ ok: true });
    expect(seen).toEqual(["grace"]);
    page.close();
  });
});

describe("defineHandler with valibot", () => {
  it("validates and types data and form the same way", async () => {
    const { seen, record } = recorder();
    const form = v.object({ email: v.pipe(v.string(), v.email("Not an email")) });
    const data = v.object({ page: v.pipe(v.string(), v.transform(Number)) });
    define(
      defineHandler("dh_valibot", { form, data }, (_consumer, content) => {
        const email: string = content.form.email;
        const pageNumber: number = content.data.page;
        record({ email, pageNumber });
      }),
    );
    const page = await testPage();
    expect(await page.call("dh_valibot", { form: { email: "a@b.co" }, data: { page: "2" } })).toEqual({ ok: true });
    expect(seen).toEqual([{ email: "a@b.co", pageNumber: 2 }]);
    expect(await page.call("dh_valibot", { form: { email: "nope" }, data: {} })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(page.errors[0].fields).toEqual({ "form.email": ["Not an email"], "data.page": [expect.stringContaining("page")] });
    expect(seen).toHaveLength(1);
    page.close();
  });
});

describe("a validator that misbehaves", () => {
  const handmade = (validate: (value: unknown) => unknown): StandardSchemaV1 => ({
    "~standard": { version: 1, vendor: "test", validate: validate as StandardSchemaV1["~standard"]["validate"] },
  });

  it.each([
    ["throws", () => { throw new Error("boom"); }, "the form validator threw: boom"],
    ["returns neither value nor issues", () => ({ nope: true }), "the form validator returned neither a value nor issues"],
    ["rejects", () => Promise.reject(new Error("later")), "the form validator failed: later"],
  ])("gets a clear error, a log line and onError when it %s; other handlers still answer", async (_what, validate, message) => {
    const { seen, record } = recorder();
    define(defineHandler("dh_broken", { form: handmade(validate) }, (_consumer, content) => record(content)));
    define({ name: "dh_fine", ...liveviewHandler("dh_fine", () => record("fine")) });
    const reported: unknown[] = [];
    const page = await testPage({ onError: (error, _consumer, content) => reported.push([String(error), content.function]) });
    const { setLogger } = await import("../../server/logger");
    setLogger(logger);
    const ack = await page.call("dh_broken", { form: {} });
    expect(ack.ok).toBe(false);
    expect(page.errors[0].code).toBe("handler_error");
    expect(page.errors[0].error).toContain(message);
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining(message), expect.anything());
    expect(reported).toEqual([[expect.stringContaining(message), "dh_broken"]]);
    expect(await page.call("dh_fine")).toEqual({ ok: true });
    expect(seen).toEqual(["fine"]);
    setLogger(undefined);
    page.close();
  });

  it("refuses a schema that is not a Standard Schema when the handler is defined", () => {
    expect(() => defineHandler("dh_not_schema", { form: { parse: () => 1 } as unknown as StandardSchemaV1 }, () => {})).toThrow(
      /"form" must be a Standard Schema/,
    );
  });
});

describe("a handler's own middleware", () => {
  it("runs after validation with the validated values, may cancel, and sees the ack", async () => {
    const order: string[] = [];
    const acks: unknown[] = [];
    const own: Middleware = (_consumer, content) => {
      order.push(`own:${String(content.form.n)}`);
      if (content.form.n === 0) return false;
      return (ack) => void acks.push(ack);
    };
    const global: Middleware = (_consumer, content) => void order.push(`global:${typeof content.form.n}`);
    liveviewRegistry.addMiddleware(global);
    try {
      define(defineHandler("dh_mw", { form: z.object({ n: z.coerce.number() }), middleware: [own] }, () => void order.push("handler")));
      const page = await testPage();
      expect(await page.call("dh_mw", { form: { n: "2" } })).toEqual({ ok: true });
      expect(await page.call("dh_mw", { form: { n: "0" } })).toEqual({ ok: false, error: "Cancelled: dh_mw" });
      expect(await page.call("dh_mw", { form: { n: "x" } })).toMatchObject({ code: "invalid_input" });
      expect(order).toEqual(["global:string", "own:2", "handler", "global:string", "own:0", "global:string"]);
      expect(acks).toEqual([{ ok: true }]);
      page.close();
    } finally {
      liveviewRegistry.removeMiddleware(global);
    }
  });

  it("works on liveviewHandler too", async () => {
    const order: string[] = [];
    define({ name: "dh_plain_mw", ...liveviewHandler("dh_plain_mw", () => void order.push("handler"), { middleware: [() => void order.push("own")] }) });
    const page = await testPage();
    expect(await page.call("dh_plain_mw")).toEqual({ ok: true });
    expect(order).toEqual(["own", "handler"]);
    page.close();
  });
});

describe("over a real socket", () => {
  it("sends the invalid_input update to that tab only and reports handler errors to onError", async () => {
    const reported: string[] = [];
    server = await startServer({ logger, onError: (error, consumer, content) => void reported.push(`${content.function}:${String(error)}:${consumer.room}`) });
    define(defineHandler("dh_socket", { form: z.object({ title: z.string().min(1, "Required") }) }, () => {}));
    define({ name: "dh_throws", ...liveviewHandler("dh_throws", () => { throw new Error("kaput"); }) });
    const tab: Socket = await connectClient(server.url, { room: signedRoom("dh-room") });
    const other: Socket = await connectClient(server.url, { room: signedRoom("dh-room") });
    const updates = recordUpdates(tab);
    const otherUpdates = recordUpdates(other);
    expect(await call(tab, "dh_socket", { form: { title: "" } })).toMatchObject({ ok: false, code: "invalid_input" });
    expect(updates).toEqual([expect.objectContaining({ code: "invalid_input", fields: { "form.title": ["Required"] } })]);
    expect(await call(tab, "dh_throws")).toMatchObject({ ok: false });
    expect(reported).toEqual(["dh_throws:Error: kaput:dh-room"]);
    expect(await call(other, "dh_socket", { form: { title: "ok" } })).toEqual({ ok: true });
    expect(otherUpdates).toEqual([]);
  });
});
