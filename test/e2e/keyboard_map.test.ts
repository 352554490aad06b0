import type { Browser } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let called: Array<{ name: string; data: unknown; form: unknown }> = [];

beforeAll(async () => {
  browser = await launchChromium();
  for (const name of ["e2e_kb_save", "e2e_kb_close", "e2e_kb_new", "e2e_kb_next"]) {
    liveviewRegistry.register(name)((consumer, content) => {
      called.push({ name, data: content.data, form: content.form });
      send(consumer, { target: "#last", html: name });
    });
  }
  liveviewRegistry.register("e2e_kb_open")((consumer) => {
    send(consumer, { target: "#later", html: `<div id="dialog" data-liveview-keyboard-map='{"esc":"e2e_kb_close"}'>Dialog</div>` });
  });
  server = await startServer({
    pages: {
      "/": page(
        `<form id="editor" data-liveview-keyboard-map='{"ctrl+s":"e2e_kb_save","esc":"e2e_kb_close"}' data-data-doc="7">
           <textarea id="text" name="text">draft</textarea>
         </form>
         <div id="panel" data-liveview-keyboard-map='{"down":"e2e_kb_next"}'>Panel</div>
         <div id="bad" data-liveview-keyboard-map='{oops'>Bad</div>
         <input id="free" name="free">
         <button id="open" data-liveview-function="e2e_kb_open" data-action="click->page#run">Open</button>
         <div id="later"></div><div id="last"></div>`,
        {
          head: `<script>window.recorded = []; window.addEventListener("keydown", (e) => window.recorded.push(e.key + ":" + e.defaultPrevented));</script>`,
        },
      ).replace('<body data-controller="page">', `<body data-controller="page" data-liveview-keyboard-map='{"n":"e2e_kb_new"}'>`),
    },
  });
});

beforeEach(() => {
  called = [];
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const name of ["e2e_kb_save", "e2e_kb_close", "e2e_kb_new", "e2e_kb_next", "e2e_kb_open"]) liveviewRegistry.unregister(name);
});

it("calls the mapped function with the element's data and form and prevents the key's default", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  await tab.focus("#text");
  await tab.keyboard.press("Control+s");
  await tab.waitForFunction(() => document.querySelector("#last")?.textContent === "e2e_kb_save");
  expect(called[0]).toEqual({ name: "e2e_kb_save", data: { doc: "7" }, form: { text: "draft" } });
  expect(await tab.evaluate(() => window.recorded)).toEqual(["Control:false", "s:true"]);
});

it("lets unmapped keys through: typing still works inside a mapped element", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.focus("#text");
  await opened.tab.keyboard.press("End");
  await opened.tab.keyboard.type(" more");
  expect(await opened.tab.inputValue("#text")).toBe("draft more");
  expect(await opened.tab.evaluate(() => window.recorded?.slice(-1))).toEqual(["e:false"]);
  // A mapped key calls from its keydown listener: such a call would be in flight now, and is waited for.
  await waitForLiveView(opened.tab);
  expect(called).toEqual([]);
});

it("handles named keys and makes a plain element focusable", async () => {
  opened = await openConnected(browser, server.url + "/");
  expect(await opened.tab.getAttribute("#panel", "tabindex")).toBe("0");
  await opened.tab.focus("#panel");
  await opened.tab.keyboard.press("ArrowDown");
  await opened.tab.waitForFunction(() => document.querySelector("#last")?.textContent === "e2e_kb_next");
  await opened.tab.focus("#text");
  await opened.tab.keyboard.press("Escape");
  await opened.tab.waitForFunction(() => document.querySelector("#last")?.textContent === "e2e_kb_close");
});

it("takes page-wide shortcuts from <body>, but not while typing in a field", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.focus("#free");
  await opened.tab.keyboard.type("no");
  expect(await opened.tab.inputValue("#free")).toBe("no");
  await opened.tab.evaluate(() => (document.activeElement as HTMLElement).blur());
  await opened.tab.keyboard.press("n");
  await opened.tab.waitForFunction(() => document.querySelector("#last")?.textContent === "e2e_kb_new");
  expect(called.map((c) => c.name)).toEqual(["e2e_kb_new"]);
});

it("wires a map that arrives in an update and ignores an invalid one", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.click("#open");
  await opened.tab.waitForSelector("#dialog");
  await opened.tab.focus("#dialog");
  await opened.tab.keyboard.press("Escape");
  await opened.tab.waitForFunction(() => document.querySelector("#last")?.textContent === "e2e_kb_close");
  await opened.tab.evaluate(() => document.querySelector<HTMLElement>("#bad")!.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true })));
  // A mapped key calls from its keydown listener: such a call would be in flight now, and is waited for.
  await waitForLiveView(opened.tab);
  expect(called.map((c) => c.name)).toEqual(["e2e_kb_close"]);
});
