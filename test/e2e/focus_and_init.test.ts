import type { Browser } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let inits: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register("e2e_init_counter")((consumer, content) => {
    inits.push(content.data);
    const id = String(content.data.counterId);
    send(consumer, { target: `#counter-${id}-value`, html: String(content.data.initialValue) });
  });
  liveviewRegistry.register("e2e_edit")((consumer) => {
    send(consumer, { target: "#editor", html: `<input id="title" name="title" value="Edit me" data-liveview-focus="true">` });
  });
  liveviewRegistry.register("e2e_add_counter")((consumer, content) => {
    const id = String(content.data.id);
    send(consumer, {
      target: "#counters",
      append: true,
      html: `<div data-liveview-init="e2e_init_counter" data-data-counter-id="${id}" data-data-initial-value="${id}0"><span id="counter-${id}-value"></span></div>`,
    });
  });
  liveviewRegistry.register("e2e_touch")((consumer) => {
    send(consumer, { target: "#other", html: "touched" });
  });
  server = await startServer({
    pages: {
      "/": page(`<input id="search" name="q">
        <input id="first" name="first" data-liveview-focus="true">
        <div id="counters"><div data-liveview-init="e2e_init_counter" data-data-counter-id="1" data-data-initial-value="0">
          <span id="counter-1-value"></span></div></div>
        <button id="edit" data-liveview-function="e2e_edit" data-action="click->page#run">Edit</button>
        <button id="add" data-liveview-function="e2e_add_counter" data-data-id="2" data-action="click->page#run">Add</button>
        <button id="touch" data-liveview-function="e2e_touch" data-action="click->page#run">Touch</button>
        <div id="editor"></div><div id="other"></div>`),
    },
  });
});

beforeEach(() => {
  inits = [];
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const name of ["e2e_init_counter", "e2e_edit", "e2e_add_counter", "e2e_touch"]) liveviewRegistry.unregister(name);
});

const activeId = (tab: Tab["tab"]) => tab.evaluate(() => document.activeElement?.id ?? null);

it("focuses the data-liveview-focus field on load", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.waitForFunction(() => document.activeElement?.id === "first");
});

it("focuses the field an update brings in", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.click("#edit");
  await opened.tab.waitForSelector("#title");
  await opened.tab.waitForFunction(() => document.activeElement?.id === "title");
});

it("leaves focus alone when an update brings no focus field", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.focus("#search");
  await opened.tab.click("#touch");
  await opened.tab.waitForFunction(() => document.querySelector("#other")?.textContent === "touched");
  expect(await activeId(opened.tab)).toBe("touch");
});

it("calls the init function once for an element present at load, with its data", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.waitForFunction(() => document.querySelector("#counter-1-value")?.textContent === "0");
  // Init calls are made as elements appear: a second one would be in flight now, and is waited for.
  await waitForLiveView(opened.tab);
  expect(inits).toEqual([{ counterId: "1", initialValue: "0" }]);
});

it("calls the init function for an element that arrives in an update, and never twice", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.click("#add");
  await opened.tab.waitForFunction(() => document.querySelector("#counter-2-value")?.textContent === "20");
  await opened.tab.click("#touch");
  await opened.tab.waitForFunction(() => document.querySelector("#other")?.textContent === "touched");
  // Init calls are made as elements appear: a second one would be in flight now, and is waited for.
  await waitForLiveView(opened.tab);
  expect(inits).toEqual([
    { counterId: "1", initialValue: "0" },
    { counterId: "2", initialValue: "20" },
  ]);
});
