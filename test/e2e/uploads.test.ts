import { createHash, randomBytes } from "node:crypto";
import type { Browser } from "playwright-core";
import { liveviewRegistry, send, type UploadedFile } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { openConnected, quietLogger, waitFor, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let received: Array<Record<string, UploadedFile | UploadedFile[]>> = [];
let holdChunks: ((release: () => void) => void) | null = null;

/** Something shaped like a PNG (signature, IHDR, one IDAT of random bytes, IEND) of exactly `size` bytes. */
function png(size: number): Buffer {
  const head = Buffer.from("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489", "hex");
  const end = Buffer.from("0000000049454e44ae426082", "hex");
  const dataLength = Math.max(0, size - head.length - 12 - end.length);
  const idat = Buffer.alloc(8);
  idat.writeUInt32BE(dataLength, 0);
  idat.write("IDAT", 4, "binary");
  return Buffer.concat([head, idat, randomBytes(dataLength), randomBytes(4), end]);
}
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

const FORM = `<form id="avatar-form" data-liveview-function="e2e_up_avatar" data-action="submit->page#run">
    <input type="text" name="caption" value="me">
    <input type="file" name="avatar" id="avatar">
    <progress data-liveview-progress-for="avatar" value="0" max="100"></progress>
    <button type="submit">Upload</button>
  </form>
  <form id="many-form" data-liveview-function="e2e_up_many" data-action="submit->page#run">
    <input type="file" name="photos" id="photos" multiple>
    <button type="submit">Upload all</button>
  </form>
  <form id="plain-form" data-liveview-function="e2e_up_ping" data-action="submit->page#run">
    <input type="file" name="attachment" id="attachment">
    <button type="submit">Send</button>
  </form>
  <div id="upload-status"></div>`;

beforeAll(async () => {
  browser = await launchChromium();
  for (const name of ["e2e_up_avatar", "e2e_up_many"]) {
    liveviewRegistry.register(name, { uploads: true })((consumer, content) => {
      received.push(content.files);
      send(consumer, { target: "#upload-status", html: `<p class="success">stored ${Object.keys(content.files).join(",")}</p>` });
    });
  }
  liveviewRegistry.register("e2e_up_ping")((consumer) => send(consumer, { target: "#upload-status", html: "pong" }));
  // The seed's Base64 way: the form carries a data URL; the handler decodes it.
  liveviewRegistry.register("e2e_up_base64")((consumer, content) => {
    const [format, data] = String(content.form.avatar ?? "").split(";base64,");
    const bytes = Buffer.from(data ?? "", "base64");
    received.push({ avatar: { name: "base64", type: format.replace("data:", ""), size: bytes.length, data: bytes } });
    send(consumer, { target: "#upload-status", html: `<p class="success">decoded ${bytes.length} bytes</p>` });
  });
  server = await startServer({
    logger: quietLogger,
    uploads: { maxFileBytes: 25 * 1024 * 1024, maxFiles: 2, allowedTypes: ["image/*"] },
    pages: {
      "/": page(FORM),
      "/base64": page(`<div>
          <input type="file" id="avatar-upload" accept="image/*">
          <button data-liveview-function="e2e_up_base64" data-action="click->page#run">Upload Avatar</button>
          <div id="upload-status"></div>
        </div>
        <script>
          // The seed's page script, unchanged in substance: read the file as a data URL into a hidden input.
          document.querySelector("#avatar-upload").addEventListener("change", () => {
            const file = document.querySelector("#avatar-upload").files[0];
            const reader = new FileReader();
            reader.onload = () => {
              let hidden = document.getElementById("avatar-data");
              if (!hidden) {
                hidden = document.createElement("input");
                hidden.type = "hidden"; hidden.name = "avatar"; hidden.id = "avatar-data";
                document.querySelector("div").appendChild(hidden);
              }
              hidden.value = reader.result;
              window.encoded = true;
            };
            reader.readAsDataURL(file);
          });
        </script>`),
    },
  });
  server.liveview.io.on("connection", (socket) => {
    socket.use(([event], next) => {
      if (event === "liveview:upload:chunk" && holdChunks) holdChunks(() => next());
      else next();
    });
  });
});

beforeEach(() => {
  received = [];
  holdChunks = null;
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const name of ["e2e_up_avatar", "e2e_up_many", "e2e_up_ping", "e2e_up_base64"]) liveviewRegistry.unregister(name);
});

const status = (tab: Tab["tab"]) => tab.textContent("#upload-status");

it("sends a 20 MB file as binary chunks: the handler gets the same bytes, and progress rises from 0 to 100", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  const file = png(20 * 1024 * 1024);
  await tab.evaluate(() => {
    window.recorded = [];
    document.querySelector("#avatar")!.addEventListener("liveview:upload-progress", (e) => {
      const { loaded, total } = (e as CustomEvent).detail;
      window.recorded!.push(Math.floor((loaded / total) * 100));
    });
  });
  // Handing Chromium 20 MB takes a while on a loaded machine; the default 10 s is for interactions.
  await tab.setInputFiles("#avatar", { name: "me.png", mimeType: "image/png", buffer: file }, { timeout: 60_000 });
  await tab.click("#avatar-form button");
  await tab.waitForSelector("#upload-status .success");
  expect(received).toHaveLength(1);
  const avatar = received[0].avatar as UploadedFile;
  expect(avatar).toMatchObject({ name: "me.png", type: "image/png", size: file.length });
  expect(sha256(avatar.data)).toBe(sha256(file));
  const progress = (await tab.evaluate(() => window.recorded)) as number[];
  expect(progress[0]).toBe(0);
  expect(progress[progress.length - 1]).toBe(100);
  expect(progress.length).toBeGreaterThan(10);
  expect(progress.every((value, i) => i === 0 || value >= progress[i - 1])).toBe(true);
  expect(await tab.getAttribute("#avatar", "data-liveview-progress")).toBe("100");
  expect(await tab.evaluate(() => document.querySelector("progress")!.value)).toBe(100);
});

it("answers another call made while a file is going up before the upload ends", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  const held: Array<() => void> = [];
  let passed = 0;
  holdChunks = (release) => (passed++ < 2 ? release() : held.push(release));
  await tab.setInputFiles("#avatar", { name: "big.png", mimeType: "image/png", buffer: png(4 * 1024 * 1024) });
  await tab.click("#avatar-form button");
  await waitFor(() => held.length > 0);
  expect(await tab.evaluate(() => window.LiveView!.sendData("e2e_up_ping"))).toEqual({ ok: true });
  expect(await status(tab)).toBe("pong");
  expect(received).toEqual([]);
  holdChunks = null;
  held.forEach((release) => release());
  await tab.waitForSelector("#upload-status .success");
  expect(received).toHaveLength(1);
});

it("gives each file of a multiple input, as a list", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  const one = png(1000);
  const two = png(300 * 1024);
  await tab.setInputFiles("#photos", [
    { name: "one.png", mimeType: "image/png", buffer: one },
    { name: "two.png", mimeType: "image/png", buffer: two },
  ]);
  await tab.click("#many-form button");
  await tab.waitForSelector("#upload-status .success");
  const photos = received[0].photos as UploadedFile[];
  expect(photos.map((file) => [file.name, sha256(file.data)])).toEqual([
    ["one.png", sha256(one)],
    ["two.png", sha256(two)],
  ]);
});

describe("refused uploads", () => {
  async function expectError(pattern: RegExp): Promise<void> {
    const { tab } = opened!;
    const error = await tab.evaluate(
      () => new Promise<string>((resolve) => document.addEventListener("liveview:error", (e) => resolve((e as CustomEvent).detail.error), { once: true })),
    );
    expect(error).toMatch(pattern);
    await tab.waitForFunction(() => !document.querySelector("#avatar-form")!.hasAttribute("aria-busy"));
    expect(received).toEqual([]);
  }

  it("refuses a file over maxFileBytes", async () => {
    opened = await openConnected(browser, server.url + "/");
    const huge = { name: "huge.png", mimeType: "image/png", buffer: png(26 * 1024 * 1024) };
    await opened.tab.setInputFiles("#avatar", huge, { timeout: 60_000 });
    const error = expectError(/File too large: huge\.png/);
    await opened.tab.click("#avatar-form button");
    await error;
  });

  it("refuses a file whose first bytes are not an allowed type, whatever its name says", async () => {
    opened = await openConnected(browser, server.url + "/");
    const fake = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(8000)]);
    await opened.tab.setInputFiles("#avatar", { name: "cat.png", mimeType: "image/png", buffer: fake });
    const error = expectError(/File type not allowed: cat\.png is application\/pdf/);
    await opened.tab.click("#avatar-form button");
    await error;
  });

  it("refuses a file for a handler that does not declare uploads before any byte is sent", async () => {
    opened = await openConnected(browser, server.url + "/");
    let chunks = 0;
    holdChunks = (release) => {
      chunks++;
      release();
    };
    await opened.tab.setInputFiles("#attachment", { name: "a.png", mimeType: "image/png", buffer: png(1000) });
    const error = expectError(/Upload refused: e2e_up_ping does not accept files/);
    await opened.tab.click("#plain-form button");
    await error;
    expect(chunks).toBe(0);
    expect(await status(opened.tab)).toBe("");
  });

  it("refuses more files than maxFiles", async () => {
    opened = await openConnected(browser, server.url + "/");
    await opened.tab.setInputFiles(
      "#photos",
      ["a", "b", "c"].map((name) => ({ name: `${name}.png`, mimeType: "image/png", buffer: png(100) })),
    );
    const error = expectError(/Too many files: 3, the limit is 2/);
    await opened.tab.click("#many-form button");
    await error;
  });
});

it("discards an upload cut off by a lost connection and lets the user try again", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  const held: Array<() => void> = [];
  let passed = 0;
  holdChunks = (release) => (passed++ < 1 ? release() : held.push(release));
  await tab.setInputFiles("#avatar", { name: "cut.png", mimeType: "image/png", buffer: png(2 * 1024 * 1024) });
  const error = tab.evaluate(
    () => new Promise<string>((resolve) => document.addEventListener("liveview:error", (e) => resolve((e as CustomEvent).detail.error), { once: true })),
  );
  await tab.click("#avatar-form button");
  await waitFor(() => held.length > 0);
  for (const socket of server.liveview.io.sockets.sockets.values()) socket.conn.close();
  expect(await error).toMatch(/Upload interrupted/);
  holdChunks = null;
  await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() !== "connected").catch(() => undefined);
  await waitForLiveView(tab);
  await tab.click("#avatar-form button");
  await tab.waitForSelector("#upload-status .success");
  expect(received).toHaveLength(1);
  expect((received[0].avatar as UploadedFile).name).toBe("cut.png");
});

it("still supports the documented Base64 way: a data URL in a hidden input", async () => {
  opened = await openConnected(browser, server.url + "/base64");
  const { tab } = opened;
  const image = png(50 * 1024);
  await tab.setInputFiles("#avatar-upload", { name: "a.png", mimeType: "image/png", buffer: image });
  await tab.waitForFunction(() => (window as unknown as { encoded?: boolean }).encoded === true);
  await tab.click("button");
  await tab.waitForSelector("#upload-status .success");
  const avatar = received[0].avatar as UploadedFile;
  expect(avatar.type).toBe("image/png");
  expect(sha256(avatar.data)).toBe(sha256(image));
});

it("refuses a Base64 upload over the message size limit with a clear error", async () => {
  opened = await openConnected(browser, server.url + "/base64");
  const { tab } = opened;
  await tab.setInputFiles("#avatar-upload", { name: "big.png", mimeType: "image/png", buffer: png(1024 * 1024) });
  await tab.waitForFunction(() => (window as unknown as { encoded?: boolean }).encoded === true);
  const error = tab.evaluate(
    () => new Promise<string>((resolve) => document.addEventListener("liveview:error", (e) => resolve((e as CustomEvent).detail.error), { once: true })),
  );
  await tab.click("button");
  expect(await error).toMatch(/Message too large/);
  expect(received).toEqual([]);
});

it("reports a refusal found mid-file once, not once per chunk in flight", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  const fake = Buffer.concat([Buffer.from("%PDF-1.7\n"), randomBytes(3 * 1024 * 1024)]);
  await tab.setInputFiles("#avatar", { name: "doc.png", mimeType: "image/png", buffer: fake });
  await tab.evaluate(() => {
    window.recorded = [];
    document.addEventListener("liveview:error", (e) => window.recorded!.push((e as CustomEvent).detail.error));
  });
  await tab.click("#avatar-form button");
  await tab.waitForFunction(() => !document.querySelector("#avatar-form")!.hasAttribute("aria-busy"));
  await tab.waitForTimeout(300);
  expect(await tab.evaluate(() => window.recorded)).toEqual(["File type not allowed: doc.png is application/pdf"]);
});
