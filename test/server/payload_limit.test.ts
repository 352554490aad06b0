import type { Socket } from "socket.io-client";
import { liveviewRegistry, send } from "../../server/index";
import { call, closeClients, connectClient, flush, nextUpdate, recordUpdates } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

const LIMIT = 10_000;
let server: TestServer;
let logger: MockLogger;
let client: Socket;
const received: number[] = [];

beforeAll(async () => {
  liveviewRegistry.register("size_echo")((consumer, content) => {
    const text = String(content.form.text ?? "");
    received.push(text.length);
    send(consumer, { target: "#size", html: String(text.length) });
  });
  logger = mockLogger();
  server = await startServer({ logger, maxPayloadBytes: LIMIT });
});

beforeEach(async () => {
  received.length = 0;
  logger.warn.mockClear();
  client = await connectClient(server.url);
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("size_echo");
  await server.close();
});

describe("maxPayloadBytes", () => {
  it("answers a message over the limit with a 'too large' error and keeps the socket", async () => {
    const updates = recordUpdates(client);
    const ack = await call(client, "size_echo", { form: { text: "x".repeat(20_000) } });
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/too large/i) });
    expect(updates).toEqual([expect.objectContaining({ error: expect.stringMatching(/too large/i) })]);
    expect(received).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(client.connected).toBe(true);
  });

  it("counts bytes, not characters: multi-byte text over the limit is refused", async () => {
    // 4,000 characters of 3 bytes each: 12,000 bytes.
    const ack = await call(client, "size_echo", { form: { text: "€".repeat(4_000) } });
    expect(ack.ok).toBe(false);
    expect(received).toEqual([]);
  });

  it("still runs a message under the limit, before and after one over it", async () => {
    expect(await call(client, "size_echo", { form: { text: "y".repeat(5_000) } })).toEqual({ ok: true });
    expect((await call(client, "size_echo", { form: { text: "z".repeat(20_000) } })).ok).toBe(false);
    const update = nextUpdate(client);
    expect(await call(client, "size_echo", { form: { text: "y".repeat(9_000) } })).toEqual({ ok: true });
    expect(await update).toEqual({ target: "#size", html: "9000" });
    expect(received).toEqual([5_000, 9_000]);
  });

  it("counts binary attachments: a Buffer over the limit gets 'too large' and the socket stays", async () => {
    const updates = recordUpdates(client);
    const ack = await call(client, "size_echo", { form: { file: Buffer.alloc(20_000) } });
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/too large/i) });
    expect(updates).toEqual([expect.objectContaining({ error: expect.stringMatching(/too large/i) })]);
    expect(received).toEqual([]);
    expect(client.connected).toBe(true);
    expect(await call(client, "size_echo", { form: { text: "after" } })).toEqual({ ok: true });
    expect(received).toEqual([5]);
  });

  it("adds up several attachments of one message", async () => {
    const ack = await call(client, "size_echo", { form: { a: Buffer.alloc(6_000), b: Buffer.alloc(6_000) } });
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/too large/i) });
    expect(received).toEqual([]);
    expect(await call(client, "size_echo", { form: { text: "still here" } })).toEqual({ ok: true });
  });

  it("counts the text part of a message with attachments", async () => {
    const ack = await call(client, "size_echo", { form: { text: "x".repeat(20_000), file: Buffer.alloc(10) } });
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/too large/i) });
    expect(received).toEqual([]);
    expect(await call(client, "size_echo", { form: { text: "ok" } })).toEqual({ ok: true });
  });

  it("does not call a message with small attachments too large", async () => {
    const updates = recordUpdates(client);
    const ack = await call(client, "size_echo", { form: { file: Buffer.alloc(1_000) } });
    // Under the size limit it reaches validation, which refuses binary data in form (JSON values only): that is the
    // error it gets, not "too large".
    expect(ack).toEqual({ ok: false, error: expect.stringMatching(/not JSON/) });
    expect(updates).toEqual([expect.objectContaining({ code: "invalid_message" })]);
    expect(received).toEqual([]);
    expect(client.connected).toBe(true);
    expect(await call(client, "size_echo", { form: { text: "ok" } })).toEqual({ ok: true });
  });

  it("sends the 'too large' error to the sender only", async () => {
    const bystander = await connectClient(server.url);
    const bystanderUpdates = recordUpdates(bystander);
    await call(client, "size_echo", { form: { text: "x".repeat(20_000) } });
    await flush(server.liveview, [client, bystander]);
    expect(bystanderUpdates).toEqual([]);
    expect(await call(bystander, "size_echo", { form: { text: "ok" } })).toEqual({ ok: true });
  });
});
