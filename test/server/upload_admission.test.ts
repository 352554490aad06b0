import type { Socket } from "socket.io-client";
import { LiveViewRegistry, type HandlerContent, type UploadOptions, type UploadedFile } from "../../server/index";
import { call, closeClients, connectClient, gate, nextUpdate, recordUpdates } from "../support/client";
import { waitFor } from "../support/e2e";
import { mockLogger, withNodeEnv, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";
import { memoryAfterGc, pngOf, uploadFile, uploadStats } from "../support/uploads";

const MB = 1024 * 1024;
let server: TestServer | null = null;
let registry: LiveViewRegistry;
let logger: MockLogger;
let received: Array<HandlerContent["files"]>;

async function serve(uploads: UploadOptions = {}, quietMs?: number): Promise<TestServer> {
  logger = mockLogger();
  // A refusal burst ends after the rate limit's window of quiet.
  const rateLimit = quietMs === undefined ? undefined : { points: 1000, durationMs: quietMs, burst: 1000 };
  server = await startServer({ logger, registry, uploads, ...(rateLimit ? { rateLimit } : {}) });
  return server;
}
const connect = (): Promise<Socket> => connectClient(server!.url);
const stats = () => uploadStats(server!.liveview);
const EMPTY = { uploads: 0, completed: 0, reservedBytes: 0, storedBytes: 0 };

beforeEach(() => {
  registry = new LiveViewRegistry();
  received = [];
  const keep = (_consumer: unknown, content: HandlerContent) => void received.push(content.files);
  registry.register("no_files")(keep);
  registry.register("avatar", { uploads: { maxFileBytes: 2 * MB, maxFiles: 2, allowedTypes: ["image/png"] } })(keep);
  registry.register("gallery", { uploads: true })(keep);
});

afterEach(async () => {
  closeClients();
  await server?.close();
  server = null;
});

describe("a handler that declares no files", () => {
  it("stores nothing, from 50 anonymous sockets that send their chunks anyway", async () => {
    await serve();
    const clients = await Promise.all(Array.from({ length: 50 }, connect));
    const refusals = clients.map((client) => nextUpdate(client));
    const results = await Promise.all(clients.map((client) => uploadFile(client, { function: "no_files", data: pngOf(MB), hostile: true })));
    for (const result of results) {
      expect(result.start).toEqual({ ok: false, error: "Upload refused: no_files does not accept files" });
      expect(result.chunks.every((ack) => !ack.ok)).toBe(true);
    }
    for (const update of await Promise.all(refusals)) expect(update).toMatchObject({ code: "upload_rejected" });
    expect(stats()).toEqual(EMPTY);
    // One line per socket, not one per chunk.
    expect(logger.warn).toHaveBeenCalledTimes(50);
    expect(await call(clients[0], "no_files", { uploads: { avatar: [results[0].uploadId] } })).toMatchObject({ ok: false });
    expect(received).toEqual([]);
  });

  it("refuses an upload for an unknown function, and an announcement that names none", async () => {
    await serve();
    const client = await connect();
    expect((await uploadFile(client, { function: "nobody", data: pngOf(100) })).start).toEqual({
      ok: false,
      error: "Upload refused: Unknown function: nobody",
    });
    expect((await uploadFile(client, { function: "", data: pngOf(100) })).start).toMatchObject({ ok: false, error: /"function"/ });
    expect(stats()).toEqual(EMPTY);
  });
});

describe("uploads from many anonymous sockets", () => {
  it("keep memory bounded by the server's cap: 50 sockets sending 100 MB hold at most 8 MB", async () => {
    await serve({ maxProcessPendingBytes: 8 * MB });
    const clients = await Promise.all(Array.from({ length: 50 }, connect));
    const file = pngOf(MB);
    const before = await memoryAfterGc();
    const results = await Promise.all(
      clients.flatMap((client) => ["one", "two"].map((field) => uploadFile(client, { function: "avatar", field, data: file, count: 2, hostile: true }))),
    );
    const admitted = results.filter((result) => result.start.ok);
    expect(admitted).toHaveLength(8);
    expect(admitted.every((result) => result.chunks.every((ack) => ack.ok))).toBe(true);
    for (const result of results.filter((r) => !r.start.ok)) {
      expect(result.start).toEqual({ ok: false, error: "The server is receiving too many uploads: please try again in a moment" });
      expect(result.chunks.every((ack) => !ack.ok)).toBe(true);
    }
    expect(stats()).toEqual({ uploads: 8, completed: 8, reservedBytes: 8 * MB, storedBytes: 8 * MB });
    // The heap and Buffers hold the 8 MB kept, not the 100 MB offered (the slack is for socket.io and jest).
    const grown = (await memoryAfterGc()) - before;
    if (process.env.SHOW_MEMORY) console.log(`memory grew by ${(grown / MB).toFixed(1)} MB`);
    expect(grown).toBeLessThan(8 * MB + 24 * MB);
    closeClients();
    await waitFor(() => stats().uploads === 0);
    expect(stats()).toEqual(EMPTY);
  });
});

describe("middleware", () => {
  it("runs before the first byte: a visitor the login check refuses has not one byte stored", async () => {
    const seen: Array<[HandlerContent, string]> = [];
    registry.addMiddleware((consumer, content, functionName) => {
      seen.push([content, functionName]);
      return consumer.scope.user ? true : false;
    });
    await serve();
    const client = await connect();
    const updates = recordUpdates(client);
    const result = await uploadFile(client, { function: "avatar", data: pngOf(MB), hostile: true });
    expect(result.start).toEqual({ ok: false, error: "Cancelled: avatar" });
    expect(result.chunks).toHaveLength(4);
    expect(result.chunks.every((ack) => !ack.ok)).toBe(true);
    expect(stats()).toEqual(EMPTY);
    expect(seen).toEqual([[{ function: "avatar", data: {}, form: {}, lang: null, room: expect.any(String), files: {}, params: {} }, "avatar"]]);
    // As for a cancelled call, the page hears only what the middleware sends; the chunks sent anyway add nothing.
    expect(updates).toEqual([]);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("stores no chunk that arrives while the middleware is still deciding", async () => {
    const deciding = gate();
    let admit = false;
    registry.addMiddleware(async () => {
      await deciding.promise;
      return admit;
    });
    await serve();
    const client = await connect();
    const upload = uploadFile(client, { function: "avatar", data: pngOf(600 * 1024), hostile: true });
    await waitFor(() => stats().uploads === 1);
    admit = true;
    deciding.open();
    const result = await upload;
    expect(result.start).toEqual({ ok: true, received: 0 });
    expect(result.chunks.every((ack) => !ack.ok)).toBe(true);
    expect(stats()).toMatchObject({ completed: 0, storedBytes: 0 });
  });

  it("gives an after-call function the announcement's ack", async () => {
    const acks: unknown[] = [];
    registry.addMiddleware(() => (ack) => void acks.push(ack));
    await serve();
    const client = await connect();
    const result = await uploadFile(client, { function: "avatar", data: pngOf(1000) });
    expect(result.start).toEqual({ ok: true, received: 0 });
    expect(acks).toEqual([{ ok: true, received: 0 }]);
  });

  it("that throws refuses the upload, with its detail only outside production", async () => {
    registry.addMiddleware(() => {
      throw new Error("session store down");
    });
    await serve();
    const client = await connect();
    const development = nextUpdate(client);
    expect((await uploadFile(client, { function: "avatar", data: pngOf(1000) })).start).toMatchObject({ ok: false });
    expect((await development).error).toMatch(/session store down/);
    await withNodeEnv("production", async () => {
      const production = nextUpdate(client);
      expect((await uploadFile(client, { function: "avatar", data: pngOf(1000) })).start).toMatchObject({ ok: false });
      const update = await production;
      expect(update.error).not.toMatch(/session store down/);
      expect(update.error).toMatch(/could not complete/);
    });
    expect(logger.error.mock.calls.filter(([line]) => /session store down/.test(String(line)))).toHaveLength(2);
    expect(stats()).toEqual(EMPTY);
  });
});

describe("the call that takes the files", () => {
  it("must be for the function the files were announced for", async () => {
    await serve();
    const client = await connect();
    const { uploadId } = await uploadFile(client, { function: "avatar", data: pngOf(1000) });
    const refusal = nextUpdate(client);
    expect(await call(client, "gallery", { uploads: { avatar: [uploadId] } })).toEqual({
      ok: false,
      error: "Upload refused: the files were announced for avatar, not gallery",
    });
    expect(await refusal).toMatchObject({ code: "upload_rejected" });
    expect(await call(client, "avatar", { uploads: { avatar: [uploadId] } })).toEqual({ ok: true });
    expect((received[0].avatar as UploadedFile).size).toBe(1000);
    expect(stats()).toEqual(EMPTY);
  });

  it("keeps its files when its socket goes while it is running", async () => {
    const middlewareGate = gate();
    let calling = false;
    let entered = false;
    registry.addMiddleware(async () => {
      if (!calling) return;
      entered = true;
      await middlewareGate.promise;
    });
    await serve();
    const client = await connect();
    const { uploadId } = await uploadFile(client, { function: "avatar", data: pngOf(1000) });
    calling = true;
    client.emit("liveview", { id: "c1", function: "avatar", data: {}, form: {}, lang: null, room: null, uploads: { avatar: [uploadId] } });
    // The call is running (in its middleware) when the socket goes.
    await waitFor(() => entered);
    client.disconnect();
    await waitFor(() => server!.liveview.io.of("/").sockets.size === 0);
    middlewareGate.open();
    await waitFor(() => received.length === 1);
    expect((received[0].avatar as UploadedFile).size).toBe(1000);
  });
});

describe("finished files nobody takes", () => {
  it("expire on a timer, without any call", async () => {
    await serve({ pendingTtlMs: 300 });
    const client = await connect();
    const { uploadId } = await uploadFile(client, { function: "avatar", data: pngOf(1000) });
    expect(stats()).toMatchObject({ completed: 1, storedBytes: 1000 });
    await waitFor(() => stats().uploads === 0);
    expect(stats()).toEqual(EMPTY);
    expect(await call(client, "avatar", { uploads: { avatar: [uploadId] } })).toMatchObject({ ok: false, error: /has expired/ });
  });

  it("go with their socket when it disconnects", async () => {
    await serve();
    const [leaving, staying] = await Promise.all([connect(), connect()]);
    await uploadFile(leaving, { function: "avatar", data: pngOf(1000) });
    await uploadFile(staying, { function: "avatar", data: pngOf(500) });
    expect(stats()).toMatchObject({ completed: 2, storedBytes: 1500 });
    leaving.disconnect();
    await waitFor(() => stats().uploads === 1);
    expect(stats()).toEqual({ uploads: 1, completed: 1, reservedBytes: 500, storedBytes: 500 });
  });

  it("go when the LiveView server closes", async () => {
    await serve();
    const client = await connect();
    await uploadFile(client, { function: "avatar", data: pngOf(1000) });
    const closed = server!;
    server = null;
    await closed.close();
    expect(uploadStats(closed.liveview)).toEqual(EMPTY);
  });
});

describe("caps", () => {
  it("refuse a tab past its pending uploads or bytes with upload_limit, and the tab stays usable", async () => {
    await serve({ maxPendingUploads: 2, maxPendingBytes: 3 * MB });
    const client = await connect();
    await uploadFile(client, { function: "avatar", field: "a", data: pngOf(2 * MB), count: 2 });
    const tooBig = nextUpdate(client);
    expect((await uploadFile(client, { function: "gallery", data: pngOf(1.5 * MB) })).start).toEqual({
      ok: false,
      error: "Too much upload data waiting on this tab: the limit is 3.0 MB",
    });
    expect(await tooBig).toMatchObject({ code: "upload_limit" });
    await uploadFile(client, { function: "gallery", data: pngOf(1000) });
    const tooMany = nextUpdate(client);
    expect((await uploadFile(client, { function: "gallery", field: "b", data: pngOf(1000) })).start).toEqual({
      ok: false,
      error: "Too many uploads waiting on this tab: the limit is 2",
    });
    expect(await tooMany).toMatchObject({ code: "upload_limit", error: "Too many uploads waiting on this tab: the limit is 2" });
    // Another tab is not affected.
    expect((await uploadFile(await connect(), { function: "gallery", data: pngOf(1000) })).start).toMatchObject({ ok: true });
    expect(stats()).toMatchObject({ uploads: 3 });
    expect(await call(client, "ping_nobody")).toMatchObject({ ok: false, error: /Unknown function/ });
  });

  it("log one line per burst of refusals, not one per message", async () => {
    await serve({ maxPendingUploads: 1 });
    const client = await connect();
    await uploadFile(client, { function: "gallery", data: pngOf(1000) });
    for (let i = 0; i < 20; i++) await uploadFile(client, { function: "gallery", field: `f${i}`, data: pngOf(1000) });
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });

  it("log the next burst after a quiet spell, with how many of the last one went unlogged", async () => {
    await serve({ maxPendingUploads: 1 }, 300);
    const client = await connect();
    await uploadFile(client, { function: "gallery", data: pngOf(1000) });
    for (let i = 0; i < 5; i++) await uploadFile(client, { function: "gallery", field: `f${i}`, data: pngOf(1000) });
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    await uploadFile(client, { function: "gallery", field: "later", data: pngOf(1000) });
    expect(logger.warn).toHaveBeenCalledTimes(2);
    expect(String(logger.warn.mock.calls[1][0])).toMatch(/upload refused: Too many uploads waiting on this tab.*\(4 more of its previous burst were not logged\)/);
  });
});
