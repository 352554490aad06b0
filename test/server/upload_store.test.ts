import { UploadStore } from "../../server/uploads/upload_store";
import {
  handlerLimits,
  resolveUploadCaps,
  resolveUploadLimits,
  typeAllowed,
  type HandlerUploadOptions,
  type UploadOptions,
} from "../../server/uploads/upload_limits";

const PNG_HEAD = Buffer.from("89504e470d0a1a0a0000000d494844520000000100000001080600000000000000000000000049444154", "hex");
type Start = { uploadId: string; function: string; field: string; name: string; type: string; size: number; count: number };
const start = (overrides: Partial<Start> = {}): Start => ({
  uploadId: "u1",
  function: "upload_avatar",
  field: "avatar",
  name: "a.png",
  type: "image/png",
  size: PNG_HEAD.length,
  count: 1,
  ...overrides,
});

const storeWith = (options: UploadOptions = {}) => new UploadStore(resolveUploadCaps(options));
/** Reserves and admits, as the socket does once the middleware let the upload through. */
function begin(store: UploadStore, owner: string, announced: Start, limits: HandlerUploadOptions = {}) {
  const reserved = store.reserve(owner, announced, resolveUploadLimits(limits));
  return reserved.ok ? store.admit(owner, announced.uploadId) : reserved;
}

describe("the upload store", () => {
  it("completes an upload sent in chunks and hands it once to a call of the same socket and function", async () => {
    const store = storeWith();
    const body = Buffer.concat([PNG_HEAD, Buffer.alloc(5000, 7)]);
    expect(begin(store, "s1", start({ size: body.length }))).toEqual({ ok: true, value: 0 });
    expect(await store.add("s1", "u1", 0, body.subarray(0, 3000))).toEqual({ ok: true, value: 3000 });
    expect(await store.add("s1", "u1", 3000, body.subarray(3000))).toEqual({ ok: true, value: body.length });
    expect(store.take("s2", "upload_avatar", { avatar: ["u1"] })).toMatchObject({ ok: false, code: "upload_rejected" });
    expect(store.take("s1", "upload_avatar", { photo: ["u1"] })).toMatchObject({ ok: false });
    const taken = store.take("s1", "upload_avatar", { avatar: ["u1"] });
    expect(taken).toMatchObject({ ok: true, value: { avatar: { name: "a.png", type: "image/png", size: body.length } } });
    expect(store.take("s1", "upload_avatar", { avatar: ["u1"] })).toMatchObject({ ok: false });
    expect(store.stats).toEqual({ uploads: 0, completed: 0, reservedBytes: 0, storedBytes: 0 });
  });

  it("refuses a call for another function than the one the files were announced for", async () => {
    const store = storeWith();
    begin(store, "s1", start());
    await store.add("s1", "u1", 0, PNG_HEAD);
    expect(store.take("s1", "delete_account", { avatar: ["u1"] })).toMatchObject({
      ok: false,
      code: "upload_rejected",
      error: "Upload refused: the files were announced for upload_avatar, not delete_account",
    });
    expect(store.stats.completed).toBe(1);
  });

  it("stores no chunk of an upload that is reserved but not admitted", async () => {
    const store = storeWith();
    expect(store.reserve("s1", start(), resolveUploadLimits())).toEqual({ ok: true, value: undefined });
    expect(await store.add("s1", "u1", 0, PNG_HEAD)).toMatchObject({ ok: false, error: "Unknown upload" });
    expect(store.stats).toEqual({ uploads: 1, completed: 0, reservedBytes: PNG_HEAD.length, storedBytes: 0 });
    store.release("u1");
    expect(store.stats).toEqual({ uploads: 0, completed: 0, reservedBytes: 0, storedBytes: 0 });
  });

  it("refuses more bytes than announced, chunks out of order, and someone else's upload", async () => {
    const store = storeWith();
    begin(store, "s1", start({ size: 10 }));
    expect(await store.add("s2", "u1", 0, Buffer.alloc(5))).toMatchObject({ ok: false, error: "Unknown upload" });
    expect(await store.add("s1", "u1", 5, Buffer.alloc(5))).toMatchObject({ ok: false, error: expect.stringMatching(/out of order/) });
    begin(store, "s1", start({ uploadId: "u2", size: 10 }));
    expect(await store.add("s1", "u2", 0, Buffer.alloc(11))).toMatchObject({ ok: false, error: expect.stringMatching(/larger than announced/) });
    expect(store.stats.uploads).toBe(0);
  });

  it("drops everything a socket that went away had not handed to a call, finished or not", async () => {
    const store = storeWith();
    begin(store, "s1", start({ size: 100 }));
    begin(store, "s1", start({ uploadId: "u3", field: "photo" }));
    await store.add("s1", "u3", 0, PNG_HEAD);
    begin(store, "s2", start({ uploadId: "u2", size: 100 }));
    expect(store.stats.completed).toBe(1);
    store.discard("s1");
    expect(store.stats).toEqual({ uploads: 1, completed: 0, reservedBytes: 100, storedBytes: 0 });
  });

  it("refuses files over the size limit and too many files before any byte, with the code upload_limit", () => {
    const store = storeWith();
    const limits = { maxFileBytes: 1000, maxFiles: 2 };
    expect(begin(store, "s1", start({ size: 1001 }), limits)).toMatchObject({ ok: false, code: "upload_limit", error: expect.stringMatching(/File too large/) });
    expect(begin(store, "s1", start({ count: 3 }), limits)).toMatchObject({ ok: false, code: "upload_limit", error: expect.stringMatching(/Too many files/) });
    // A client that lies about the count still cannot have more than maxFiles files waiting for one handler.
    expect(begin(store, "s1", start({ uploadId: "a" }), limits)).toMatchObject({ ok: true });
    expect(begin(store, "s1", start({ uploadId: "b" }), limits)).toMatchObject({ ok: true });
    expect(begin(store, "s1", start({ uploadId: "c" }), limits)).toMatchObject({ ok: false, code: "upload_limit" });
  });

  it("checks the type from the first bytes against allowedTypes", async () => {
    const store = storeWith();
    const pdf = Buffer.from("%PDF-1.7\n" + "x".repeat(100));
    begin(store, "s1", start({ name: "x.png", size: pdf.length }), { allowedTypes: ["image/*"] });
    expect(await store.add("s1", "u1", 0, pdf)).toMatchObject({ ok: false, error: "File type not allowed: x.png is application/pdf" });
    begin(store, "s1", start({ uploadId: "u2" }), { allowedTypes: ["image/*"] });
    expect(await store.add("s1", "u2", 0, PNG_HEAD)).toMatchObject({ ok: true });
  });

  describe("expiry", () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it("forgets a finished upload nobody took when its time is up, without any other call", async () => {
      const store = storeWith({ pendingTtlMs: 1000 });
      begin(store, "s1", start());
      await store.add("s1", "u1", 0, PNG_HEAD);
      expect(store.stats).toEqual({ uploads: 1, completed: 1, reservedBytes: PNG_HEAD.length, storedBytes: PNG_HEAD.length });
      jest.advanceTimersByTime(999);
      expect(store.stats.completed).toBe(1);
      jest.advanceTimersByTime(1);
      expect(store.stats).toEqual({ uploads: 0, completed: 0, reservedBytes: 0, storedBytes: 0 });
    });

    it("forgets an unfinished upload whose next chunk does not come, counting from its latest chunk", async () => {
      const store = storeWith({ pendingTtlMs: 1000 });
      begin(store, "s1", start({ size: 8000 }));
      jest.advanceTimersByTime(600);
      await store.add("s1", "u1", 0, Buffer.concat([PNG_HEAD, Buffer.alloc(5000 - PNG_HEAD.length)]));
      jest.advanceTimersByTime(600);
      expect(store.stats.storedBytes).toBe(5000);
      jest.advanceTimersByTime(400);
      expect(store.stats).toEqual({ uploads: 0, completed: 0, reservedBytes: 0, storedBytes: 0 });
    });

    it("leaves no timer behind on close", () => {
      const store = storeWith();
      begin(store, "s1", start());
      begin(store, "s1", start({ uploadId: "u2", size: 100 }));
      expect(jest.getTimerCount()).toBe(2);
      store.close();
      expect(jest.getTimerCount()).toBe(0);
      expect(store.stats.uploads).toBe(0);
    });
  });

  describe("caps", () => {
    it("bounds the uploads and bytes one tab may have waiting, counting a size when it is announced", () => {
      const store = storeWith({ maxPendingUploads: 3, maxPendingBytes: 1000 });
      expect(begin(store, "s1", start({ uploadId: "a", field: "a", size: 600 }))).toMatchObject({ ok: true });
      expect(begin(store, "s1", start({ uploadId: "b", field: "b", size: 401 }))).toMatchObject({
        ok: false,
        code: "upload_limit",
        error: "Too much upload data waiting on this tab: the limit is 1000 bytes",
      });
      expect(begin(store, "s1", start({ uploadId: "b", function: "f2", size: 1 }))).toMatchObject({ ok: true });
      expect(begin(store, "s1", start({ uploadId: "c", function: "f3", size: 1 }))).toMatchObject({ ok: true });
      expect(begin(store, "s1", start({ uploadId: "d", function: "f4", size: 1 }))).toMatchObject({
        ok: false,
        code: "upload_limit",
        error: "Too many uploads waiting on this tab: the limit is 3",
      });
      expect(begin(store, "s2", start({ uploadId: "e", size: 1000 }))).toMatchObject({ ok: true });
    });

    it("bounds the uploads and bytes of every tab together", () => {
      const store = storeWith({ maxProcessPendingUploads: 3, maxProcessPendingBytes: 1000 });
      expect(begin(store, "s1", start({ uploadId: "a", size: 900 }))).toMatchObject({ ok: true });
      expect(begin(store, "s2", start({ uploadId: "b", size: 101 }))).toMatchObject({ ok: false, code: "upload_limit" });
      expect(begin(store, "s2", start({ uploadId: "b", size: 50 }))).toMatchObject({ ok: true });
      expect(begin(store, "s3", start({ uploadId: "c", size: 50 }))).toMatchObject({ ok: true });
      expect(begin(store, "s4", start({ uploadId: "d", size: 0, type: "" }))).toMatchObject({
        ok: false,
        error: "The server is receiving too many uploads: please try again in a moment",
      });
      store.discard("s1");
      expect(begin(store, "s4", start({ uploadId: "d", size: 900 }))).toMatchObject({ ok: true });
    });
  });
});

describe("a handler's limits", () => {
  const ceiling = resolveUploadLimits({ maxFileBytes: 1000, maxFiles: 5, allowedTypes: ["image/*"] });

  it("are the server's for uploads: true, and only narrow them otherwise", () => {
    expect(handlerLimits(ceiling, true)).toEqual(ceiling);
    expect(handlerLimits(ceiling, { maxFileBytes: 5000, maxFiles: 1, allowedTypes: ["image/png", "application/pdf"] })).toEqual({
      maxFileBytes: 1000,
      maxFiles: 1,
      allowedTypes: ["image/png"],
    });
    expect(handlerLimits(resolveUploadLimits(), { allowedTypes: ["image/*"] }).allowedTypes).toEqual(["image/*"]);
  });

  it("allow no type when the handler's and the server's have none in common", () => {
    const store = storeWith();
    const limits = handlerLimits(ceiling, { allowedTypes: ["application/pdf"] });
    expect(limits.allowedTypes).toEqual([]);
    expect(store.reserve("s1", start(), limits)).toMatchObject({ ok: false, error: expect.stringMatching(/File type not allowed/) });
  });
});

describe("allowed types", () => {
  it("matches exact types and families", () => {
    expect(typeAllowed("image/png", ["image/*"])).toBe(true);
    expect(typeAllowed("image/png", ["image/jpeg"])).toBe(false);
    expect(typeAllowed("application/pdf", ["image/*", "application/pdf"])).toBe(true);
  });
});
