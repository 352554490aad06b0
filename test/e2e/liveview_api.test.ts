import type { Browser, Page } from "playwright-core";
import type { CallAck } from "../../protocol/index";
import { liveviewRegistry, type CallContent } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const RECORD = "e2e_api_record";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
const calls: CallContent[] = [];

declare global {
  interface Window {
    /** The acks of the calls made while disconnected. */
    pendingAcks?: Promise<CallAck>[];
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(RECORD)((_consumer, content) => {
    calls.push(content);
  });
  server = await startServer({ pages: { "/": page(`<div id="out"></div>`) } });
});

afterEach(async () => {
  calls.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(RECORD);
});

async function open(): Promise<Page> {
  return tabs.open(browser, server.url + "/");
}

const status = (tab: Page) => tab.evaluate(() => window.LiveView!.getConnectionStatus());
const queueLength = (tab: Page) => tab.evaluate(() => window.LiveView!.getQueueLength());

/** Disconnects, then makes one call with data { n } per n, keeping their ack promises on window. */
async function callWhileDisconnected(tab: Page, ns: string[]): Promise<void> {
  await tab.evaluate(() => window.LiveView!.disconnect());
  expect(await status(tab)).toBe("disconnected");
  await tab.evaluate(
    ([fn, list]) => {
      window.pendingAcks = list.map((n) => window.LiveView!.sendData(fn, { n }));
    },
    [RECORD, ns] as const,
  );
}

it("reports connected once the page has loaded", async () => {
  const tab = await open();
  expect(await status(tab)).toBe("connected");
});

it("calls the handler with the data given to sendData and resolves to { ok: true }", async () => {
  const tab = await open();
  const ack = await tab.evaluate((fn) => window.LiveView!.sendData(fn, { a: "1" }), RECORD);
  expect(ack).toEqual({ ok: true });
  expect(calls).toHaveLength(1);
  expect(calls[0].function).toBe(RECORD);
  expect(calls[0].data).toEqual({ a: "1" });
});

it("disconnects with disconnect() and connects again with connect()", async () => {
  const tab = await open();
  await tab.evaluate(() => window.LiveView!.disconnect());
  await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() === "disconnected");
  await tab.evaluate(() => window.LiveView!.connect());
  await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() === "connected");
  const ack = await tab.evaluate((fn) => window.LiveView!.sendData(fn, { after: "reconnect" }), RECORD);
  expect(ack).toEqual({ ok: true });
  expect(calls.map((call) => call.data)).toEqual([{ after: "reconnect" }]);
});

it("queues calls made while disconnected and sends them in order after connect()", async () => {
  const tab = await open();
  await callWhileDisconnected(tab, ["1", "2"]);
  expect(await queueLength(tab)).toBe(2);
  expect(calls).toEqual([]);
  await tab.evaluate(() => window.LiveView!.connect());
  const acks = await tab.evaluate(() => Promise.all(window.pendingAcks!));
  expect(acks).toEqual([{ ok: true }, { ok: true }]);
  expect(calls.map((call) => call.data)).toEqual([{ n: "1" }, { n: "2" }]);
  expect(await queueLength(tab)).toBe(0);
});

it("drops the queued calls on clearQueue(), so the handler never sees them", async () => {
  const tab = await open();
  await callWhileDisconnected(tab, ["dropped 1", "dropped 2"]);
  expect(await queueLength(tab)).toBe(2);
  await tab.evaluate(() => window.LiveView!.clearQueue());
  expect(await queueLength(tab)).toBe(0);
  await tab.evaluate(() => window.LiveView!.connect());
  await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() === "connected");
  // A later call is handled after anything this tab sent before it.
  expect(await tab.evaluate((fn) => window.LiveView!.sendData(fn, { n: "kept" }), RECORD)).toEqual({ ok: true });
  expect(calls.map((call) => call.data)).toEqual([{ n: "kept" }]);
  const dropped = await tab.evaluate(() => Promise.all(window.pendingAcks!));
  expect(dropped.every((ack) => !ack.ok)).toBe(true);
});
