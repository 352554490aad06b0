import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, renderToString, send, type CallContent } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const RECORD = "e2e_default_actions_record";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
const calls: CallContent[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(RECORD)((consumer, content) => {
    calls.push(content);
    const html = renderToString("message", { text: JSON.stringify(content.form) });
    send(consumer, { target: "#out", html, append: true });
  });
  const on = (event: string) => `data-liveview-function="${RECORD}" data-action="${event}->page#run"`;
  const body = `
    <a id="link" href="/elsewhere" ${on("click")}>Elsewhere</a>
    <label><input id="check" type="checkbox" name="done" ${on("change")}> Done</label>
    <label><input id="click-check" type="checkbox" name="agree" ${on("click")}> Agree</label>
    <label><input id="radio" type="radio" name="size" value="m" ${on("click")}> M</label>
    <div id="out"></div>`;
  server = await startServer({
    pages: { "/": page(body), "/elsewhere": page(`<h1 id="elsewhere">Elsewhere</h1>`) },
  });
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

it("calls the handler of a link without following it", async () => {
  const tab = await open();
  const url = tab.url();
  await tab.evaluate(() => (window.marker = 1));
  await tab.click("#link");
  await tab.waitForSelector("#out .message");
  expect(calls.map((call) => call.function)).toEqual([RECORD]);
  expect(tab.url()).toBe(url);
  expect(await tab.evaluate(() => window.marker)).toBe(1);
  expect(await tab.locator("#elsewhere").count()).toBe(0);
});

it("lets a checkbox with change->page#run toggle and sends its new state", async () => {
  const tab = await open();
  await tab.click("#check");
  await tab.waitForSelector("#out .message");
  expect(await tab.isChecked("#check")).toBe(true);
  expect(calls[0].form).toEqual({ done: true });
  await tab.click("#check");
  await tab.waitForFunction(() => document.querySelectorAll("#out .message").length === 2);
  expect(await tab.isChecked("#check")).toBe(false);
  expect(calls[1].form).toEqual({ done: false });
});

it("lets a checkbox with click->page#run toggle and sends its new state", async () => {
  const tab = await open();
  await tab.click("#click-check");
  await tab.waitForSelector("#out .message");
  expect(await tab.isChecked("#click-check")).toBe(true);
  expect(calls[0].form).toEqual({ agree: true });
});

it("lets a radio with click->page#run be checked and sends its value", async () => {
  const tab = await open();
  await tab.click("#radio");
  await tab.waitForSelector("#out .message");
  expect(await tab.isChecked("#radio")).toBe(true);
  expect(calls[0].form).toEqual({ size: "m" });
});
