import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Update } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

/** Sends the updates of `PAGES[data.page]`, one by one, and records the call. */
const GO = "e2e_history_go";

declare global {
  interface Window {
    runs?: number;
    homeRuns?: number;
    noReplay?: number;
  }
}

const FORM = `<input name="name"><input type="password" name="pw"><input type="checkbox" name="ok">
  <select name="pick"><option>x</option><option>y</option></select>`;

/** What each navigation sends: the first update of "a" changes a region before the update that carries `url`. */
const PAGES: Record<string, Update[]> = {
  a: [
    { target: "#side", html: "<p>side a</p>" },
    {
      target: "#main",
      html: `<p class="page">a</p><script>window.runs = (window.runs || 0) + 1</script>
        <script data-liveview-replay="false">window.noReplay = (window.noReplay || 0) + 1</script>`,
      url: "/a",
      title: "Page A",
      script: "document.documentElement.lang = 'fr'",
    },
  ],
  b: [{ target: "#main", html: `<p class="page">b</p>`, url: "/b", title: "Page B", script: "document.documentElement.lang = 'de'" }],
  form: [{ target: "#main", html: `<p class="page">form</p><form>${FORM}</form>`, url: "/form", title: "Form" }],
  keep: [{ target: "#main", html: `<p class="page">keep</p><input id="keep" data-liveview-permanent>`, url: "/keep" }],
  side: [{ target: "#side", html: "<p>side only</p>", url: "/side" }],
};

const BODY = (main: string) => `
<main id="main">${main}</main>
<aside id="side">side home</aside>
<div style="height: 5000px"></div>`;

const HOME = `<p class="page">home</p><script>window.homeRuns = (window.homeRuns || 0) + 1</script>`;

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
let calls: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(GO)((consumer, content) => {
    const name = String(content.data.page);
    calls.push(name);
    for (const update of PAGES[name] ?? []) send(consumer, update);
  });
  const pages: Record<string, string> = { "/": page(BODY(HOME)), "/off": page(BODY(HOME), { htmlAttrs: `data-liveview-history="false"` }) };
  for (const name of Object.keys(PAGES)) pages[`/${name}`] = page(BODY(`<p class="page">${name} (server)</p>`));
  server = await startServer({ pages });
});

beforeEach(() => {
  calls = [];
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(GO);
});

/** Calls the handler for `name`; resolves after the ack, so its updates came first. */
async function go(tab: Page, name: string): Promise<void> {
  const ack = await tab.evaluate(([fn, p]) => window.LiveView!.sendData(fn, { page: p }), [GO, name] as const);
  expect(ack).toEqual({ ok: true });
}

const shown = (tab: Page) => tab.locator("#main .page").textContent();
const waitShown = (tab: Page, text: string) =>
  tab.waitForFunction((t) => document.querySelector("#main .page")?.textContent === t, text);
const path = (tab: Page) => new URL(tab.url()).pathname;

it("Back, Forward and history.go(-2) restore regions, URL, title, lang and scroll without asking the server", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.evaluate(() => (window.marker = 1));
  await go(tab, "a");
  await tab.evaluate(() => window.scrollTo(0, 1500));
  await tab.waitForFunction(() => window.scrollY === 1500);
  await go(tab, "b");
  await tab.waitForFunction(() => window.scrollY === 0);
  expect(calls).toEqual(["a", "b"]);

  await tab.goBack();
  await waitShown(tab, "a");
  expect(path(tab)).toBe("/a");
  expect(await tab.title()).toBe("Page A");
  expect(await tab.evaluate(() => document.documentElement.lang)).toBe("fr");
  expect(await tab.textContent("#side")).toBe("side a");
  await tab.waitForFunction(() => window.scrollY === 1500);

  await tab.goForward();
  await waitShown(tab, "b");
  expect(path(tab)).toBe("/b");
  expect(await tab.title()).toBe("Page B");
  expect(await tab.evaluate(() => document.documentElement.lang)).toBe("de");

  await tab.evaluate(() => history.go(-2));
  await waitShown(tab, "home");
  expect(path(tab)).toBe("/");
  expect(await tab.title()).toBe("test");
  expect(await tab.evaluate(() => document.documentElement.lang)).toBe("en");
  expect(await tab.textContent("#side")).toBe("side home");
  await tab.waitForFunction(() => window.scrollY === 0);

  expect(calls).toEqual(["a", "b"]);
  expect(await tab.evaluate(() => window.marker)).toBe(1);
});

it("restores from sessionStorage after a reload", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await go(tab, "a");
  await go(tab, "b");
  await tab.reload();
  await waitForLiveView(tab);
  expect(await shown(tab)).toBe("b (server)");
  await tab.evaluate(() => (window.marker = 2));
  await tab.goBack();
  await waitShown(tab, "a");
  expect(await tab.title()).toBe("Page A");
  expect(await tab.evaluate(() => window.marker)).toBe(2);
  await tab.goForward();
  await waitShown(tab, "b (server)");
  expect(calls).toEqual(["a", "b"]);
});

it("runs a restored region's inline scripts again, once each, but not data-liveview-replay=\"false\"", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await go(tab, "a");
  await go(tab, "b");
  expect(await tab.evaluate(() => [window.homeRuns, window.runs, window.noReplay])).toEqual([1, 1, 1]);
  await tab.goBack();
  await waitShown(tab, "a");
  expect(await tab.evaluate(() => [window.homeRuns, window.runs, window.noReplay])).toEqual([1, 2, 1]);
  await tab.goBack();
  await waitShown(tab, "home");
  expect(await tab.evaluate(() => [window.homeRuns, window.runs, window.noReplay])).toEqual([2, 2, 1]);
  await tab.goForward();
  await waitShown(tab, "a");
  expect(await tab.evaluate(() => [window.homeRuns, window.runs, window.noReplay])).toEqual([2, 3, 1]);
});

it("keeps a data-liveview-permanent element's live DOM and state through a restore", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await go(tab, "keep");
  await tab.fill("#keep", "typed");
  await tab.evaluate(() => ((document.getElementById("keep") as HTMLElement & { mark?: number }).mark = 7));
  await go(tab, "side");
  await tab.goBack();
  await tab.waitForFunction(() => location.pathname === "/keep" && document.querySelector("#side")?.textContent === "side home");
  expect(await tab.inputValue("#keep")).toBe("typed");
  expect(await tab.evaluate(() => (document.getElementById("keep") as HTMLElement & { mark?: number }).mark)).toBe(7);
});

it("brings form values back, but never a password, and never stores it", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await go(tab, "form");
  await tab.fill("[name=name]", "Ada");
  await tab.fill("[name=pw]", "s3cret-pw");
  await tab.check("[name=ok]");
  await tab.selectOption("[name=pick]", "y");
  await go(tab, "b");
  expect(await tab.evaluate(() => JSON.stringify(sessionStorage))).not.toContain("s3cret-pw");
  await tab.goBack();
  await waitShown(tab, "form");
  expect(await tab.inputValue("[name=name]")).toBe("Ada");
  expect(await tab.inputValue("[name=pw]")).toBe("");
  expect(await tab.isChecked("[name=ok]")).toBe(true);
  expect(await tab.inputValue("[name=pick]")).toBe("y");
});

it.each([
  ["broken JSON", () => sessionStorage.setItem("liveviewHistory", "{broken")],
  ["a cleared sessionStorage", () => sessionStorage.clear()],
])("loads the page when the journal is lost: %s", async (_name, spoil) => {
  const tab = await tabs.open(browser, server.url + "/");
  await go(tab, "a");
  await go(tab, "b");
  await tab.evaluate(() => (window.marker = 3));
  await tab.evaluate(spoil);
  const loaded = tab.waitForEvent("load");
  await tab.goBack();
  await loaded;
  await waitForLiveView(tab);
  expect(await tab.evaluate(() => window.marker)).toBeUndefined();
  expect(path(tab)).toBe("/a");
  expect(await shown(tab)).toBe("a (server)");
});

it("dispatches liveview:history-restored on document with the index and url", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.evaluate(() => {
    window.recorded = [];
    document.addEventListener("liveview:history-restored", (event) => window.recorded!.push((event as CustomEvent).detail));
  });
  await go(tab, "a");
  await go(tab, "b");
  await tab.goBack();
  await waitShown(tab, "a");
  await tab.goBack();
  await waitShown(tab, "home");
  const recorded = (await tab.evaluate(() => window.recorded)) as { index: number; url: string }[];
  expect(recorded.map((detail) => detail.url)).toEqual([server.url + "/a", server.url + "/"]);
  expect(recorded[0]!.index).toBe(recorded[1]!.index + 1);
  expect(await tab.evaluate(() => history.state.liveview)).toBe(recorded[1]!.index);
});

it("does nothing special with <html data-liveview-history=\"false\">: url updates only push the URL", async () => {
  const tab = await tabs.open(browser, server.url + "/off");
  await tab.evaluate(() => (window.marker = 4));
  await go(tab, "a");
  await tab.goBack();
  await tab.waitForFunction(() => location.pathname === "/off");
  expect(await shown(tab)).toBe("a");
  expect(await tab.evaluate(() => [window.marker, sessionStorage.getItem("liveviewHistory")])).toEqual([4, null]);
});
