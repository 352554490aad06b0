import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Update } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

/** Sends back the update it is given in `data.update`. */
const ECHO = "e2e_scripts_echo";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
let pageErrors: Error[] = [];

// A page script registers cleanups that record whether their element was still in the page when they ran.
const BODY = `
<div id="target"><p>old</p></div>
<div id="who"></div>
<div id="widget"><span id="widget-part">part</span></div>
<script>
  window.recorded = [];
  const widget = document.getElementById("widget");
  const part = document.getElementById("widget-part");
  widget.__cleanup = function () {
    window.recorded.push("widget:" + this.isConnected + ":" + this.innerHTML.includes("part"));
  };
  part.__cleanup = function () { window.recorded.push("part:" + this.isConnected); };
</script>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(ECHO)((consumer, content) => {
    send(consumer, content.data.update as Update);
  });
  server = await startServer({ pages: { "/": page(BODY) } });
  server.app.get("/external.js", (_req, res) => res.type("js").send(`window.recorded.push("external ran")`));
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

async function apply(tab: Page, update: Update): Promise<void> {
  const ack = await tab.evaluate(
    ([fn, u]) => window.LiveView!.sendData(fn, { update: u }),
    [ECHO, update as Record<string, string | boolean>] as const,
  );
  expect(ack).toEqual({ ok: true });
}

const recorded = (tab: Page) => tab.evaluate(() => window.recorded);

it("runs the script key after the DOM update, with el bound to the target", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#target",
    html: `<p id="fresh">fresh</p>`,
    script: `window.recorded.push(document.querySelector("#fresh")?.textContent ?? "not yet", el.id, this.id)`,
  });
  await tab.waitForFunction(() => (window.recorded ?? []).length > 0);
  expect(await recorded(tab)).toEqual(["fresh", "target", "target"]);
});

it("runs inline scripts of the html after insertion, with el and this bound to the target", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#target",
    html: `<p id="inserted">new</p><script>
      el.dataset.ran = "yes";
      document.getElementById("who").textContent = this.id;
      window.recorded.push(document.getElementById("inserted") ? "after insertion" : "before insertion");
    </script>`,
  });
  await tab.waitForSelector("#target[data-ran=yes]");
  expect(await tab.textContent("#who")).toBe("target");
  expect(await recorded(tab)).toEqual(["after insertion"]);
  expect(await tab.locator("#target script").count()).toBe(0);
});

it("runs inline scripts in order, and one that throws does not stop the next", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#target",
    html: [
      `<script>window.recorded.push(1)</script>`,
      `<script>throw new Error("boom")</script>`,
      `<script>window.recorded.push(2)</script>`,
      `<p id="after">after</p>`,
    ].join(""),
  });
  await tab.waitForFunction(() => (window.recorded ?? []).length === 2);
  expect(await recorded(tab)).toEqual([1, 2]);
  expect(await tab.textContent("#target #after")).toBe("after");
  expect(pageErrors).toEqual([]);
});

it("loads and runs a <script src> of the html", async () => {
  const tab = await open();
  await apply(tab, { target: "#target", html: `<p>with external</p><script src="/external.js"></script>` });
  await tab.waitForFunction(() => (window.recorded ?? []).length > 0);
  expect(await recorded(tab)).toEqual(["external ran"]);
});

it("leaves text/template and application/json scripts inert in the markup", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#target",
    html: `<script type="text/template" id="tpl">window.recorded.push("template ran")</script>
      <script type="application/json" id="json">{"a": 1}</script>
      <script>window.recorded.push("plain ran")</script>`,
  });
  await tab.waitForFunction(() => (window.recorded ?? []).length > 0);
  expect(await recorded(tab)).toEqual(["plain ran"]);
  expect(await tab.locator("#target script#tpl").textContent()).toBe(`window.recorded.push("template ran")`);
  expect(await tab.locator("#target script#json").textContent()).toBe(`{"a": 1}`);
});

it("runs el.__cleanup of the target and its descendants before their content is replaced", async () => {
  const tab = await open();
  await apply(tab, { target: "#widget", html: "<p id='replacement'>new</p>" });
  await tab.waitForSelector("#widget #replacement");
  expect(await recorded(tab)).toEqual(["widget:true:true", "part:true"]);
});

it("runs el.__cleanup before the target is removed", async () => {
  const tab = await open();
  await apply(tab, { target: "#widget", remove: true });
  await tab.waitForSelector("#widget", { state: "detached" });
  expect(await recorded(tab)).toEqual(["widget:true:true", "part:true"]);
});

it("runs the cleanup an inserted script set when the content is replaced again", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#target",
    html: `<p>ticking</p><script>el.__cleanup = () => window.recorded.push("cleaned " + el.textContent);</script>`,
  });
  await apply(tab, { target: "#target", html: "<p>next</p>" });
  await tab.waitForFunction(() => document.querySelector("#target")?.textContent === "next");
  expect(await recorded(tab)).toEqual(["cleaned ticking"]);
});
