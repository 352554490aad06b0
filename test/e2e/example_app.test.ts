import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import sharp from "sharp";
import type { Browser } from "playwright-core";
import { createApp } from "../../example/app";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";

let browser: Browser;
let example: ReturnType<typeof createApp>;
let url: string;
let opened: Tab | null = null;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "liveview-example-"));

beforeAll(async () => {
  browser = await launchChromium();
  example = createApp({ dataDir });
  await new Promise<void>((resolve) => example.httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(example.httpServer.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await example?.liveview.close();
  rmSync(dataDir, { recursive: true, force: true });
});

it("counts up and down on the example's home page", async () => {
  opened = await openConnected(browser, url);
  const { tab } = opened;
  await tab.click("button:has-text('+10')");
  await tab.waitForFunction(() => document.querySelector("#counter")?.textContent?.trim() === "10");
  await tab.click("button:has-text('−1')");
  await tab.waitForFunction(() => document.querySelector("#counter")?.textContent?.trim() === "9");
});

it("says hello with the name typed next to the button, escaped", async () => {
  opened = await openConnected(browser, url);
  const { tab } = opened;
  await tab.fill("section:has(#greeting) input[name=name]", "<b>Ada</b>");
  await tab.click("button:has-text('Say hello')");
  await tab.waitForSelector("#greeting .greeting");
  expect(await tab.textContent("#greeting .greeting")).toBe("Hello, <b>Ada</b>! Welcome to express-liveview.");
});

it("appends a greeting from the form without reloading the page", async () => {
  opened = await openConnected(browser, url);
  const { tab } = opened;
  await tab.evaluate(() => (window.marker = 1));
  await tab.fill("form input[name=name]", "Grace");
  await tab.selectOption("form select[name=greeting]", "Hola");
  await tab.check("form input[name=shout]");
  await tab.click("form button[type=submit]");
  await tab.waitForSelector("#greetings li");
  expect(await tab.textContent("#greetings li")).toBe("Hola, Grace!!!");
  expect(await tab.evaluate(() => window.marker)).toBe(1);
});

it("uploads an avatar with a progress bar, resizes it to 500 px and serves it from outside the public folder", async () => {
  opened = await openConnected(browser, url + "avatar");
  const { tab } = opened;
  const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#3366cc" } }).png().toBuffer();
  await tab.setInputFiles("input[name=avatar]", { name: "holiday.png", mimeType: "image/png", buffer: photo });
  await tab.click("#avatar-form button");
  await tab.waitForSelector("#avatar-image");
  expect(await tab.textContent("#upload-status .success")).toBe("Avatar uploaded: holiday.png (500×375)");
  expect(await tab.evaluate(() => document.querySelector("progress")!.value)).toBe(100);
  const src = (await tab.getAttribute("#avatar-image", "src"))!;
  const stored = readdirSync(path.join(dataDir, "avatars"));
  expect(stored).toEqual([path.basename(src)]);
  expect(existsSync(path.join(__dirname, "..", "..", "example", "public", path.basename(src)))).toBe(false);
  const response = await tab.request.get(url + src.slice(1));
  expect(response.headers()["content-type"]).toBe("image/png");
  expect((await sharp(await response.body()).metadata()).width).toBe(500);
  expect((await tab.request.get(url + "avatars/..%2F..%2Fpackage.json")).status()).toBe(404);
});

it("shows a refused upload's reason in #error", async () => {
  opened = await openConnected(browser, url + "avatar");
  const { tab } = opened;
  await tab.setInputFiles("input[name=avatar]", { name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just text, not an image".repeat(300)) });
  await tab.click("#avatar-form button");
  await tab.waitForFunction(() => document.querySelector("#error")?.textContent?.includes("File type not allowed"));
});
