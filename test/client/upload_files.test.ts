import type { UploadAck } from "../../protocol/index";
import { UploadError, uploadInputs, type UploadTransport } from "../../controllers/uploads/upload_files";

// jsdom's Blob has no arrayBuffer(); browsers do. Read through FileReader, which jsdom has.
if (typeof Blob.prototype.arrayBuffer !== "function") {
  Blob.prototype.arrayBuffer = function (this: Blob) {
    return new Promise<ArrayBuffer>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as ArrayBuffer);
      reader.readAsArrayBuffer(this);
    });
  };
}

function fileInput(name: string, files: File[]): HTMLInputElement {
  const input = document.createElement("input");
  input.type = "file";
  input.name = name;
  Object.defineProperty(input, "files", { value: files });
  document.body.append(input);
  return input;
}

class RecordingTransport implements UploadTransport {
  readonly sent: Array<{ event: string; payload: Record<string, unknown> }> = [];
  refuse: string | null = null;
  limit: number | null = null;
  async request<T>(event: string, payload: unknown): Promise<T> {
    const record = payload as Record<string, unknown>;
    this.sent.push({ event, payload: record });
    if (this.refuse && event.endsWith(":chunk")) return { ok: false, error: this.refuse } as T;
    const received = event.endsWith(":chunk") ? Number(record.offset) + (record.data as Uint8Array).byteLength : 0;
    return { ok: true, received } as UploadAck as T;
  }
  maxPayloadBytes(): number | null {
    return this.limit;
  }
}

let n = 0;
const newId = () => `id-${++n}`;

afterEach(() => (document.body.innerHTML = ""));

describe("uploading file inputs", () => {
  it("announces each file, sends it in chunks of at most the chunk size, and returns the ids by input name", async () => {
    const transport = new RecordingTransport();
    const bytes = new Uint8Array(600 * 1024).map((_, i) => i % 251);
    const input = fileInput("avatar", [new File([bytes], "me.png", { type: "image/png" })]);
    const uploads = await uploadInputs([input], transport, newId, "upload_avatar");
    const [start, ...chunks] = transport.sent;
    expect(start).toMatchObject({ event: "liveview:upload:start", payload: { function: "upload_avatar", field: "avatar", name: "me.png", type: "image/png", size: bytes.length, count: 1 } });
    expect(chunks.map((c) => (c.payload.data as Uint8Array).byteLength)).toEqual([262144, 262144, 90112]);
    expect(chunks.map((c) => c.payload.offset)).toEqual([0, 262144, 524288]);
    const joined = new Uint8Array(chunks.flatMap((c) => Array.from(c.payload.data as Uint8Array)));
    expect(joined).toEqual(bytes);
    expect(uploads).toEqual({ avatar: [start.payload.uploadId] });
  });

  it("keeps chunks under the server's message limit", async () => {
    const transport = new RecordingTransport();
    transport.limit = 10 * 1024;
    const input = fileInput("doc", [new File([new Uint8Array(50 * 1024)], "d.bin")]);
    await uploadInputs([input], transport, newId, "upload_avatar");
    const sizes = transport.sent.slice(1).map((c) => (c.payload.data as Uint8Array).byteLength);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(9 * 1024);
  });

  it("reports progress on the input, its event and its <progress> bars, from 0 to 100", async () => {
    const transport = new RecordingTransport();
    const input = fileInput("avatar", [new File([new Uint8Array(300 * 1024)], "a"), new File([new Uint8Array(100 * 1024)], "b")]);
    document.body.insertAdjacentHTML("beforeend", `<progress data-liveview-progress-for="avatar"></progress>`);
    const seen: Array<{ loaded: number; total: number }> = [];
    input.addEventListener("liveview:upload-progress", (e) => seen.push((e as CustomEvent).detail));
    await uploadInputs([input], transport, newId, "upload_avatar");
    expect(seen[0]).toEqual({ name: "avatar", loaded: 0, total: 400 * 1024 });
    expect(seen[seen.length - 1]).toEqual({ name: "avatar", loaded: 400 * 1024, total: 400 * 1024 });
    expect(input.getAttribute("data-liveview-progress")).toBe("100");
    expect(document.querySelector("progress")!.value).toBe(100);
  });

  it("fails with the server's reason when a chunk is refused", async () => {
    const transport = new RecordingTransport();
    transport.refuse = "File type not allowed: a is text/plain";
    const input = fileInput("avatar", [new File([new Uint8Array(1000)], "a")]);
    await expect(uploadInputs([input], transport, newId, "upload_avatar")).rejects.toEqual(new UploadError("File type not allowed: a is text/plain"));
  });
});
