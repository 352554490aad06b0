import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { createApp } from "../../example/app";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";

let browser: Browser;
let example: ReturnType<typeof createApp>;
let url: string;
let opened: Tab | null = null;

beforeAll(async () => {
  browser = await launchChromium();
  example = createApp();
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
