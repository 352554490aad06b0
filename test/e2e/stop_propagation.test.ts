import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, renderToString, send, type CallContent } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const OUTER = "e2e_stop_outer";
const INNER = "e2e_stop_inner";
const BARRIER = "e2e_stop_barrier";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
const calls: string[] = [];

const BODY = `
<div id="outer" data-liveview-function="${OUTER}" data-action="click->page#run" style="padding: 40px">
  <button id="stopped" data-liveview-function="${INNER}" data-action="click->page#run click->page#stop">Inner</button>
  <button id="bubbling" data-liveview-function="${INNER}" data-action="click->page#run">Inner, bubbling</button>
</div>
<div id="out"></div>`;

beforeAll(async () => {
  browser = await launchChromium();
  const record = (consumer: Parameters<typeof send>[0], content: CallContent) => {
    calls.push(content.function);
    send(consumer, { target: "#out", html: renderToString("message", { text: content.function }), append: true });
  };
  liveviewRegistry.register(OUTER)(record);
  liveviewRegistry.register(INNER)(record);
  liveviewRegistry.register(BARRIER)(() => undefined);
  server = await startServer({ pages: { "/": page(BODY) } });
});

afterEach(async () => {
  calls.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(OUTER);
  liveviewRegistry.unregister(INNER);
  liveviewRegistry.unregister(BARRIER);
});

async function open(): Promise<Page> {
  return tabs.open(browser, server.url + "/");
}

/** Resolves once every call the tab made before has been handled: one tab's calls are handled in order. */
async function settle(tab: Page): Promise<void> {
  expect(await tab.evaluate((fn) => window.LiveView!.sendData(fn), BARRIER)).toEqual({ ok: true });
}

it("calls only the inner function when the inner element also runs page#stop", async () => {
  const tab = await open();
  await tab.click("#stopped");
  await tab.waitForSelector("#out .message");
  await settle(tab);
  expect(calls).toEqual([INNER]);
  expect(await tab.locator("#out .message").allTextContents()).toEqual([INNER]);
});

it("calls the outer function when the outer element itself is clicked", async () => {
  const tab = await open();
  await tab.click("#outer", { position: { x: 5, y: 5 } });
  await tab.waitForSelector("#out .message");
  await settle(tab);
  expect(calls).toEqual([OUTER]);
});

it("calls the outer function too when the inner element does not stop the event", async () => {
  const tab = await open();
  await tab.click("#bubbling");
  await tab.waitForFunction(() => document.querySelectorAll("#out .message").length >= 2);
  await settle(tab);
  expect(calls).toEqual([INNER, OUTER]);
});
