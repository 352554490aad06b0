import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Update } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

/** Sends back the update it is given in `data.update`, so each test states the update it applies. */
const ECHO = "e2e_updates_echo";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
let pageErrors: Error[] = [];

const BODY = `
<div id="target"><p>old</p></div>
<div class="many">first</div><div class="many">second</div>
<ul id="list"><li>one</li></ul>
<div id="box"><p id="gone">gone</p><p id="stays">stays</p></div>
<table><tbody id="rows"><tr><td>old row</td></tr></tbody></table>
<div style="height: 4000px"></div>
<div id="bottom">bottom</div>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(ECHO)((consumer, content) => {
    send(consumer, content.data.update as Update);
  });
  server = await startServer({ pages: { "/": page(BODY) } });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(ECHO);
});

async function open(): Promise<Page> {
  const tab = await tabs.open(browser, server.url + "/");
  pageErrors = [];
  tab.on("pageerror", (error) => pageErrors.push(error));
  return tab;
}

/** Has the handler send `update` to this tab; resolves once the call is acknowledged (the update came first). */
async function apply(tab: Page, update: Update): Promise<void> {
  const ack = await tab.evaluate(
    ([fn, u]) => window.LiveView!.sendData(fn, { update: u }),
    [ECHO, update as Record<string, string | boolean>] as const,
  );
  expect(ack).toEqual({ ok: true });
}

const innerHtml = (tab: Page, selector: string) => tab.locator(selector).evaluate((el) => el.innerHTML);

it("replaces the content of the first element matching the target", async () => {
  const tab = await open();
  await apply(tab, { target: "#target", html: `<p class="new">new</p>` });
  await tab.waitForSelector("#target .new");
  expect(await innerHtml(tab, "#target")).toBe(`<p class="new">new</p>`);
  await apply(tab, { target: ".many", html: "changed" });
  await tab.waitForFunction(() => document.querySelector(".many")?.textContent === "changed");
  expect(await tab.locator(".many").allTextContents()).toEqual(["changed", "second"]);
});

it("appends to the target with append: true", async () => {
  const tab = await open();
  await apply(tab, { target: "#list", html: "<li>two</li>", append: true });
  await tab.waitForFunction(() => document.querySelectorAll("#list li").length === 2);
  expect(await tab.locator("#list li").allTextContents()).toEqual(["one", "two"]);
});

it("removes the target with remove: true", async () => {
  const tab = await open();
  await apply(tab, { target: "#gone", remove: true });
  await tab.waitForSelector("#gone", { state: "detached" });
  expect(await innerHtml(tab, "#box")).toBe(`<p id="stays">stays</p>`);
});

it("leaves the target unchanged when the update has no html", async () => {
  const tab = await open();
  await apply(tab, { target: "#target", title: "No html" });
  await tab.waitForFunction(() => document.title === "No html");
  expect(await innerHtml(tab, "#target")).toBe("<p>old</p>");
});

it("pushes the url without reloading the page", async () => {
  const tab = await open();
  await tab.evaluate(() => (window.marker = 1));
  const entries = await tab.evaluate(() => history.length);
  await apply(tab, { url: "/next/page?tab=2" });
  await tab.waitForFunction(() => location.pathname === "/next/page");
  expect(await tab.evaluate(() => location.search)).toBe("?tab=2");
  expect(await tab.evaluate(() => window.marker)).toBe(1);
  expect(await tab.evaluate(() => history.length)).toBe(entries + 1);
});

it("sets the document title", async () => {
  const tab = await open();
  await apply(tab, { title: "Inbox (3)" });
  await tab.waitForFunction(() => document.title === "Inbox (3)");
});

it("keeps <tr> rows sent into a <tbody>", async () => {
  const tab = await open();
  await apply(tab, { target: "#rows", html: "<tr><td>1</td><td>Ada</td></tr><tr><td>2</td><td>Grace</td></tr>" });
  await tab.waitForFunction(() => document.querySelectorAll("#rows > tr").length === 2);
  expect(await tab.locator("#rows > tr > td").allTextContents()).toEqual(["1", "Ada", "2", "Grace"]);
});

it("still applies the title and script when the target is missing", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#missing",
    html: "<p>lost</p>",
    title: "Still applied",
    script: "window.recorded = ['ran']",
  });
  await tab.waitForFunction(() => document.title === "Still applied");
  await tab.waitForFunction(() => window.recorded?.[0] === "ran");
  expect(await tab.locator("text=lost").count()).toBe(0);
  expect(pageErrors).toEqual([]);
});

it("scrolls to the element named by scroll, and ignores a missing one", async () => {
  const tab = await open();
  await apply(tab, { scroll: "#missing" });
  await apply(tab, { scroll: "#bottom" });
  await tab.waitForFunction(() => window.scrollY > 0);
  expect(pageErrors).toEqual([]);
});

it("scrolls back to the top with scrollTop: true", async () => {
  const tab = await open();
  await tab.evaluate(() => window.scrollTo(0, 2000));
  await tab.waitForFunction(() => window.scrollY > 0);
  await apply(tab, { scrollTop: true });
  await tab.waitForFunction(() => window.scrollY === 0);
  expect(pageErrors).toEqual([]);
});

it("scrolls to the top when an update brings a new url and html", async () => {
  const tab = await open();
  await tab.evaluate(() => window.scrollTo(0, 2000));
  await tab.waitForFunction(() => window.scrollY > 0);
  await apply(tab, { target: "#target", html: "<p>page two</p>", url: "/two" });
  await tab.waitForFunction(() => window.scrollY === 0 && location.pathname === "/two");
});

it("prepends to the target with prepend: true", async () => {
  const tab = await open();
  await apply(tab, { target: "#list", html: "<li>zero</li>", prepend: true });
  await tab.waitForFunction(() => document.querySelectorAll("#list li").length === 2);
  expect(await tab.locator("#list li").allTextContents()).toEqual(["zero", "one"]);
});

it("inserts before and after the target with before: true and after: true", async () => {
  const tab = await open();
  await apply(tab, { target: "#stays", html: `<p class="side">before</p>`, before: true });
  await apply(tab, { target: "#stays", html: `<p class="side">after</p>`, after: true });
  await tab.waitForFunction(() => document.querySelectorAll("#box .side").length === 2);
  expect(await tab.locator("#box > p").allTextContents()).toEqual(["gone", "before", "stays", "after"]);
});

it("replaces the target element itself with outer: true, and fires liveview:update on what replaced it", async () => {
  const tab = await open();
  await tab.evaluate(() => {
    window.recorded = [];
    document.addEventListener("liveview:update", (event) => window.recorded!.push((event.target as Element).id || "document"));
  });
  await apply(tab, {
    target: "#target",
    html: `<section id="target" class="outer">new</section>`,
    outer: true,
    script: "window.recorded.push('script el: ' + el.tagName)",
  });
  await tab.waitForSelector("section#target.outer");
  expect(await tab.locator("#target").count()).toBe(1);
  expect(await tab.evaluate(() => window.recorded)).toEqual(["script el: SECTION", "target"]);
});

it("lets remove win over outer, and outer over append, when an update sets several", async () => {
  const tab = await open();
  await apply(tab, { target: "#list", html: `<ol id="list"><li>replaced</li></ol>`, outer: true, append: true });
  await tab.waitForSelector("ol#list");
  expect(await tab.locator("#list li").allTextContents()).toEqual(["replaced"]);
  await apply(tab, { target: "#list", html: "<li>never</li>", remove: true, outer: true });
  await tab.waitForSelector("#list", { state: "detached" });
});
