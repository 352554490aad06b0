import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Update } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { watchCsp } from "../support/csp_watch";
import { startServer, type TestServer } from "../support/server";

// A page under the strict policy with Trusted Types enforced: every kind of script an update can bring runs.
const ECHO = "e2e_csp_echo";
let browser: Browser;
let server: TestServer;
const opened: Array<{ close(): Promise<void> }> = [];

const pageHtml = (nonce: string) => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>csp</title>
<meta name="csp-nonce" content="${nonce}">
<script nonce="${nonce}">window.recorded = [];</script>
<script src="/static/liveview/liveview.js" defer></script></head>
<body data-controller="page"><div id="target"><p>old</p></div><section id="far"></section></body></html>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(ECHO)((consumer, content) => send(consumer, content.data.update as Update));
  server = await startServer({
    csp: { directives: { "require-trusted-types-for": "'script'", "trusted-types": "liveview" } },
  });
  server.app.get("/", (_req, res) => res.type("html").send(pageHtml(String(res.locals.cspNonce))));
  server.app.get("/external.js", (_req, res) => res.type("js").send(`window.recorded.push("external ran")`));
});

afterEach(async () => {
  for (const context of opened.splice(0)) await context.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(ECHO);
});

let csp: Awaited<ReturnType<typeof watchCsp>>;
let pageErrors: Error[] = [];

async function open(): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  opened.push(context);
  csp = await watchCsp(context);
  const tab = await context.newPage();
  pageErrors = [];
  tab.on("pageerror", (error) => pageErrors.push(error));
  await tab.goto(server.url + "/");
  await waitForLiveView(tab);
  return tab;
}

async function apply(tab: Page, update: Update): Promise<void> {
  const ack = await tab.evaluate(([fn, u]) => window.LiveView!.sendData(fn, { update: u }), [ECHO, update as Record<string, string>] as const);
  expect(ack).toEqual({ ok: true });
}

const recorded = (tab: Page) => tab.evaluate(() => window.recorded);

it("enforces the policy and Trusted Types on the page (so the tests below mean something)", async () => {
  const tab = await open();
  const refused = await tab.evaluate(() => {
    try {
      document.createElement("div").innerHTML = "<b>x</b>";
      return false;
    } catch {
      return true;
    }
  });
  expect(refused).toBe(true);
  await tab.waitForFunction(() => (window.cspViolations ?? []).length > 0);
  expect((await csp.violations(tab))[0]).toContain("require-trusted-types-for");
});

it("runs the script key and inline scripts with el and this bound, in order, past one that throws or does not parse", async () => {
  const tab = await open();
  await apply(tab, {
    target: "#target",
    html: [
      `<p id="fresh">fresh</p>`,
      `<script>window.recorded.push("inline", el.id, this.id, document.getElementById("fresh") !== null)</script>`,
      `<script>throw new Error("boom")</script>`,
      `<script>this is not javascript (</script>`,
      `<script>window.recorded.push("next")</script>`,
    ].join(""),
    script: `window.recorded.push("script key", el.id, this === el)`,
  });
  await tab.waitForFunction(() => (window.recorded ?? []).length >= 8);
  expect(await recorded(tab)).toEqual(["inline", "target", "target", true, "next", "script key", "target", true]);
  expect(pageErrors).toEqual([]);
  expect(await csp.violations(tab)).toEqual([]);
});

it("loads a <script src> of the html", async () => {
  const tab = await open();
  await apply(tab, { target: "#target", html: `<p>with external</p><script src="/external.js"></script>` });
  await tab.waitForFunction(() => (window.recorded ?? []).length > 0);
  expect(await recorded(tab)).toEqual(["external ran"]);
  expect(await csp.violations(tab)).toEqual([]);
});

it.each(["javascript:window.recorded.push('ran')", "data:text/html,<b>x</b>", "https://other.example/", "//other.example/x"])(
  "refuses the url %s and still applies the rest of the update",
  async (url) => {
    const tab = await open();
    const before = await tab.evaluate(() => location.href);
    await apply(tab, { url, title: "applied", target: "#target", html: "<p id='new'>new</p>" });
    await tab.waitForSelector("#target #new");
    expect(await tab.title()).toBe("applied");
    expect(await tab.evaluate(() => location.href)).toBe(before);
    expect(await recorded(tab)).toEqual([]);
    expect(pageErrors).toEqual([]);
  },
);

it("pushes a same-origin url", async () => {
  const tab = await open();
  await apply(tab, { url: "/page/2?x=1", title: "two" });
  await tab.waitForFunction(() => document.title === "two");
  expect(await tab.evaluate(() => location.pathname + location.search)).toBe("/page/2?x=1");
});

it("takes an invalid scroll or target selector as nothing to do, and applies the rest", async () => {
  const tab = await open();
  await apply(tab, { target: "<img src=x onerror=alert(1)>", scroll: "javascript:alert(1)", title: "rest applied", script: "window.recorded.push(el)" });
  await tab.waitForFunction(() => document.title === "rest applied");
  await tab.waitForFunction(() => (window.recorded ?? []).length === 1);
  expect(await recorded(tab)).toEqual([null]);
  expect(await tab.locator("img").count()).toBe(0);
  expect(pageErrors).toEqual([]);
});

it("morphs, and runs a morph's new inline scripts, with no violation", async () => {
  const tab = await open();
  await tab.evaluate(() => ((window as unknown as { old: Element }).old = document.querySelector("#target p")!));
  await apply(tab, {
    target: "#target",
    html: `<p class="morphed">old, morphed</p><script>window.recorded.push("morph script", el.id)</script>`,
    morph: true,
  });
  await tab.waitForFunction(() => (window.recorded ?? []).length >= 2);
  expect(await recorded(tab)).toEqual(["morph script", "target"]);
  expect(await tab.evaluate(() => (window as unknown as { old: Element }).old === document.querySelector("#target p.morphed"))).toBe(true);
  expect(pageErrors).toEqual([]);
  expect(await csp.violations(tab)).toEqual([]);
});
