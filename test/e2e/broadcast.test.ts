import { signedRoom } from "../support/client";
import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const SHOUT = "e2e_broadcast_shout";
const ROOM_B = "e2e-broadcast-room-b";
const ROOM_C = "e2e-broadcast-room-c";

let browser: Browser;
let server: TestServer;
let tabs: Tab[] = [];

const BODY = `
<div><input name="text" value="hello everyone">
  <button id="shout" data-liveview-function="${SHOUT}" data-action="click->page#run">Shout</button></div>
<div id="feed"></div>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(SHOUT)((consumer, content) => {
    const html = renderToString("message", { text: String(content.form.text) });
    send(consumer, { target: "#feed", html, append: true }, { broadcast: true });
  });
  server = await startServer({
    pages: {
      "/": page(BODY),
      "/b": page(BODY, { htmlAttrs: `data-room="${signedRoom(ROOM_B)}"` }),
      "/c": page(BODY, { htmlAttrs: `data-room="${signedRoom(ROOM_C)}"` }),
    },
  });
});

afterEach(async () => {
  await Promise.all(tabs.map((opened) => opened.context.close()));
  tabs = [];
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(SHOUT);
});

/** Opens the path in its own browser context (its own localStorage, so its own room unless the page names one). */
async function open(path: string): Promise<Page> {
  const opened = await openConnected(browser, server.url + path);
  tabs.push(opened);
  return opened.tab;
}

const feed = (tab: Page) => tab.locator("#feed .message").allTextContents();

it("updates the page in another browser when a handler sends with broadcast: true", async () => {
  const a = await open("/");
  const b = await open("/");
  await a.click("#shout");
  await b.waitForSelector("#feed .message");
  expect(await feed(b)).toEqual(["hello everyone"]);
  await a.waitForSelector("#feed .message");
  expect(await feed(a)).toEqual(["hello everyone"]);
});

it("sends liveview.sendToRoom updates only to the pages of that room", async () => {
  const b = await open("/b");
  const c = await open("/c");
  server.liveview.sendToRoom(ROOM_B, { target: "#feed", html: `<p class="message">for b</p>`, append: true });
  server.liveview.sendToRoom(ROOM_C, { target: "#feed", html: `<p class="message">for c</p>`, append: true });
  await b.waitForSelector("#feed .message");
  // The update for c was sent after the one for b: once c has it, c would have had b's too.
  await c.waitForSelector("#feed .message");
  expect(await feed(b)).toEqual(["for b"]);
  expect(await feed(c)).toEqual(["for c"]);
});

it("reaches every page of a room with sendToRoom, and every page with liveview.broadcast", async () => {
  const first = await open("/b");
  const second = await open("/b");
  const other = await open("/");
  server.liveview.sendToRoom(ROOM_B, { title: "Room news" });
  server.liveview.broadcast({ target: "#feed", html: `<p class="message">to all</p>` });
  for (const tab of [first, second]) await tab.waitForFunction(() => document.title === "Room news");
  await other.waitForSelector("#feed .message");
  expect(await other.title()).toBe("test");
});
