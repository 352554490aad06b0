import { UploadStore } from "../../server/uploads/upload_store";
import { resolveUploadLimits, typeAllowed } from "../../server/uploads/upload_limits";

const PNG_HEAD = Buffer.from("89504e470d0a1a0a0000000d494844520000000100000001080600000000000000000000000049444154", "hex");
const start = (overrides: Partial<{ uploadId: string; field: string; name: string; type: string; size: number; count: number }> = {}) => ({
  uploadId: "u1",
  field: "avatar",
  name: "a.png",
  type: "image/png",
  size: PNG_HEAD.length,
  count: 1,
  ...overrides,
});

describe("the upload store", () => {
  it("completes an upload sent in chunks and hands it to the call of the same room once", async () => {
    const store = new UploadStore(resolveUploadLimits());
    const body = Buffer.concat([PNG_HEAD, Buffer.alloc(5000, 7)]);
    expect(store.begin("s1", "room", start({ size: body.length }))).toEqual({ ok: true, value: 0 });
    expect(await store.add("s1", "u1", 0, body.subarray(0, 3000))).toEqual({ ok: true, value: 3000 });
    expect(await store.add("s1", "u1", 3000, body.subarray(3000))).toEqual({ ok: true, value: body.length });
    expect(store.take("other-room", { avatar: ["u1"] })).toMatchObject({ ok: false });
    const taken = store.take("room", { avatar: ["u1"] });
    expect(taken).toMatchObject({ ok: true, value: { avatar: { name: "a.png", type: "image/png", size: body.length } } });
    expect(store.take("room", { avatar: ["u1"] })).toMatchObject({ ok: false });
  });

  it("refuses more bytes than announced, chunks out of order, and someone else's upload", async () => {
    const store = new UploadStore(resolveUploadLimits());
    store.begin("s1", "room", start({ size: 10 }));
    expect(await store.add("s2", "u1", 0, Buffer.alloc(5))).toMatchObject({ ok: false, error: "Unknown upload" });
    expect(await store.add("s1", "u1", 5, Buffer.alloc(5))).toMatchObject({ ok: false, error: expect.stringMatching(/out of order/) });
    store.begin("s1", "room", start({ uploadId: "u2", size: 10 }));
    expect(await store.add("s1", "u2", 0, Buffer.alloc(11))).toMatchObject({ ok: false, error: expect.stringMatching(/larger than announced/) });
    expect(store.sizes).toEqual({ inProgress: 0, completed: 0 });
  });

  it("drops the unfinished uploads of a socket that went away", () => {
    const store = new UploadStore(resolveUploadLimits());
    store.begin("s1", "room", start({ size: 100 }));
    store.begin("s2", "room", start({ uploadId: "u2", size: 100 }));
    store.discard("s1");
    expect(store.sizes.inProgress).toBe(1);
  });

  it("refuses files over the size limit and too many files before any byte", () => {
    const store = new UploadStore(resolveUploadLimits({ maxFileBytes: 1000, maxFiles: 2 }));
    expect(store.begin("s1", "room", start({ size: 1001 }))).toMatchObject({ ok: false, error: expect.stringMatching(/File too large/) });
    expect(store.begin("s1", "room", start({ count: 3 }))).toMatchObject({ ok: false, error: expect.stringMatching(/Too many files/) });
  });

  it("checks the type from the first bytes against allowedTypes", async () => {
    const store = new UploadStore(resolveUploadLimits({ allowedTypes: ["image/*"] }));
    const pdf = Buffer.from("%PDF-1.7\n" + "x".repeat(100));
    store.begin("s1", "room", start({ name: "x.png", size: pdf.length }));
    expect(await store.add("s1", "u1", 0, pdf)).toMatchObject({ ok: false, error: "File type not allowed: x.png is application/pdf" });
    store.begin("s1", "room", start({ uploadId: "u2" }));
    expect(await store.add("s1", "u2", 0, PNG_HEAD)).toMatchObject({ ok: true });
  });

  it("forgets completed uploads nobody took after their time", async () => {
    jest.useFakeTimers();
    try {
      const store = new UploadStore(resolveUploadLimits(), 1000);
      store.begin("s1", "room", start());
      await store.add("s1", "u1", 0, PNG_HEAD);
      jest.advanceTimersByTime(1001);
      expect(store.take("room", { avatar: ["u1"] })).toMatchObject({ ok: false });
      expect(store.sizes.completed).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });
});

describe("allowed types", () => {
  it("matches exact types and families", () => {
    expect(typeAllowed("image/png", ["image/*"])).toBe(true);
    expect(typeAllowed("image/png", ["image/jpeg"])).toBe(false);
    expect(typeAllowed("application/pdf", ["image/*", "application/pdf"])).toBe(true);
  });
});
