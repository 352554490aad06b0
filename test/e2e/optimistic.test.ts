import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type LiveViewCommand, type Update } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { watchCsp } from "../support/csp_watch";
import { quietLogger, waitFor } from "../support/e2e";
import { startServer, type TestServer } from "../support/server";

// Every page here is under the strict policy with Trusted Types enforced: commands need neither eval nor script.
const SLOW = "e2e_optimistic_slow";
const FAIL = "e2e_optimistic_fail";
const ECHO = "e2e_optimistic_echo";

let browser: Browser;
let server: TestServer;
/** The held handlers: each waits until the test releases it. */
const held: Array<() => void> = [];
const hold = () => new Promise<void>((resolve) => held.push(resolve));
const opened: Array<{ close(): Promise<void> }> = [];
let csp: Awaited<ReturnType<typeof watchCsp>>;
let pageErrors: Error[] = [];

/** The per-op targets: each starts in a state its op changes, so a revert has something exact to restore. */
const OP_TARGETS = `
<div id="t-add" class="a">add</div>
<div id="t-remove" class="a gone">remove</div>
<div id="t-toggle" class="a">toggle</div>
<div id="t-show" hidden>show</div>
<div id="t-hide">hide</div>
<div id="t-attr" aria-pressed="false">attr</div>
<div id="t-text">Old <b>bold</b></div>`;

const BODY = `
<button id="like" aria-pressed="false" data-liveview-function="${SLOW}"
  data-liveview-optimistic="add-class:done toggle-attr:aria-pressed" data-action="click->page#run">Like</button>
<button id="fail" data-liveview-function="${FAIL}" data-liveview-optimistic="add-class:done" data-action="click->page#run">Fail</button>
<button id="unknown" data-liveview-function="e2e_optimistic_nobody" data-liveview-optimistic="add-class:done"
  data-action="click->page#run">Unknown</button>
${OP_TARGETS}
${[
  ["add", "add-class:done"],
  ["remove", "remove-class:gone"],
  ["toggle", "toggle-class:a"],
  ["show", "show"],
  ["hide", "hide"],
  ["attr", "toggle-attr:aria-pressed"],
  ["text", "set-text:'Saving now'"],
]
  .map(
    ([id, commands]) => `<button id="op-${id}" data-liveview-function="${FAIL}" data-liveview-optimistic="${commands}"
      data-liveview-optimistic-target="#t-${id}" data-action="click->page#run">${id}</button>`,
  )
  .join("\n")}`;

const pageHtml = (nonce: string, head = "") => `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>optimistic</title>
<meta name="csp-nonce" content="${nonce}">${head.replace(/<script>/g, `<script nonce="${nonce}">`)}
<script src="/static/liveview/liveview.js" defer></script></head>
<body data-controller="page">${BODY}</body></html>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(SLOW)(async () => {
    await hold();
  });
  liveviewRegistry.register(FAIL)(async () => {
    await hold();
    throw new Error("no luck");
  });
  liveviewRegistry.register(ECHO)((consumer, content) => send(consumer, content.data.update as Update));
  server = await startServer({
    logger: quietLogger,
    csp: { directives: { "require-trusted-types-for": "'script'", "trusted-types": "liveview" } },
  });
  server.app.get("/", (_req, res) => res.type("html").send(pageHtml(String(res.locals.cspNonce))));
  server.app.get("/short-timeout", (_req, res) =>
    res.type("html").send(pageHtml(String(res.locals.cspNonce), `<script>window.webSocketConfig = { callTimeoutMs: 300 };</script>`)),
  );
});

afterEach(async () => {
  // No policy violation and no page error in any test: the commands ran under the strict policy.
  const tab = current;
  current = null;
  const violations = tab ? await csp.violations(tab) : [];
  held.splice(0).forEach((release) => release());
  for (const context of opened.splice(0)) await context.close();
  expect(violations).toEqual([]);
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  [SLOW, FAIL, ECHO].forEach((name) => liveviewRegistry.unregister(name));
});

let current: Page | null = null;

async function open(path = "/"): Promise<Page> {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  opened.push(context);
  csp = await watchCsp(context);
  const tab = await context.newPage();
  pageErrors = [];
  tab.on("pageerror", (error) => pageErrors.push(error));
  await tab.goto(server.url + path);
  await waitForLiveView(tab);
  current = tab;
  return tab;
}

const outer = (tab: Page, selector: string) => tab.locator(selector).evaluate((el) => el.outerHTML);
const classes = (tab: Page, selector: string) => tab.locator(selector).evaluate((el) => el.className);
/** Waits until the element's call has its ack (the loading state goes with it). */
const acked = (tab: Page, selector: string) =>
  tab.waitForFunction((sel) => document.querySelector(sel)?.getAttribute("aria-busy") === null, selector);
/** Releases the one handler waiting. */
async function releaseHandler(): Promise<void> {
  await waitFor(() => held.length > 0);
  held.shift()!();
}

it("applies the commands on the clicked element before the ack arrives, and keeps them when the call succeeds", async () => {
  const tab = await open();
  await tab.click("#like");
  // The handler is still waiting: nothing came back from the server yet.
  await waitFor(() => held.length === 1);
  expect(await classes(tab, "#like")).toBe("done liveview-loading");
  expect(await tab.getAttribute("#like", "aria-pressed")).toBe("true");
  await releaseHandler();
  await acked(tab, "#like");
  expect(await classes(tab, "#like")).toBe("done");
  expect(await tab.getAttribute("#like", "aria-pressed")).toBe("true");
});

it("reverts when the handler throws", async () => {
  const tab = await open();
  await tab.click("#fail");
  await waitFor(() => held.length === 1);
  expect(await classes(tab, "#fail")).toContain("done");
  await releaseHandler();
  await acked(tab, "#fail");
  expect(await classes(tab, "#fail")).toBe("");
});

it("reverts on an ok: false ack (unknown function)", async () => {
  const tab = await open();
  const ack = await tab.evaluate(
    () =>
      new Promise((resolve) => {
        document.addEventListener("liveview:error", (event) => resolve((event as CustomEvent<Update>).detail.code), { once: true });
        document.querySelector<HTMLButtonElement>("#unknown")!.click();
        // The class is on at once, before the error update and the ack.
        if (!document.querySelector("#unknown")!.classList.contains("done")) resolve("not applied");
      }),
  );
  expect(ack).toBe("unknown_function");
  await acked(tab, "#unknown");
  expect(await classes(tab, "#unknown")).toBe("");
});

it("reverts a call given up: cleared from the queue while disconnected", async () => {
  const tab = await open();
  await tab.evaluate(() => window.LiveView!.disconnect());
  await tab.click("#like");
  expect(await classes(tab, "#like")).toContain("done");
  expect(await tab.evaluate(() => window.LiveView!.getQueueLength())).toBe(1);
  await tab.evaluate(() => window.LiveView!.clearQueue());
  await acked(tab, "#like");
  // Put back exactly: the button had no class attribute at all.
  expect(await tab.getAttribute("#like", "class")).toBeNull();
  expect(await tab.getAttribute("#like", "aria-pressed")).toBe("false");
});

it("reverts a call given up: no answer within callTimeoutMs", async () => {
  const tab = await open("/short-timeout");
  // Read in the same task as the click: the 300 ms may be over by the time a separate read comes back.
  expect(await tab.evaluate(() => (document.querySelector<HTMLButtonElement>("#like")!.click(), document.querySelector("#like")!.className))).toBe(
    "done liveview-loading",
  );
  await waitFor(() => held.length === 1);
  // The handler never answers in time; the browser fails the call with code `timeout`.
  await acked(tab, "#like");
  expect(await tab.getAttribute("#like", "class")).toBeNull();
  expect(await tab.getAttribute("#like", "aria-pressed")).toBe("false");
});

describe.each([
  ["add", `<div id="t-add" class="a done">add</div>`],
  ["remove", `<div id="t-remove" class="a">remove</div>`],
  ["toggle", `<div id="t-toggle" class="">toggle</div>`],
  ["show", `<div id="t-show">show</div>`],
  ["hide", `<div id="t-hide" hidden="">hide</div>`],
  ["attr", `<div id="t-attr" aria-pressed="true">attr</div>`],
  ["text", `<div id="t-text">Saving now</div>`],
])("optimistic %s on data-liveview-optimistic-target", (id, applied) => {
  it("applies at once and restores the exact prior state when the call fails", async () => {
    const tab = await open();
    const before = await outer(tab, `#t-${id}`);
    const bold = await tab.evaluateHandle(() => document.querySelector("#t-text b"));
    await tab.click(`#op-${id}`);
    await waitFor(() => held.length === 1);
    expect(await outer(tab, `#t-${id}`)).toBe(applied);
    await releaseHandler();
    await acked(tab, `#op-${id}`);
    expect(await outer(tab, `#t-${id}`)).toBe(before);
    // set-text puts back the very nodes it took out.
    expect(await tab.evaluate((b) => b === document.querySelector("#t-text b"), bold)).toBe(true);
  });
});

it("applies an update's commands from the server: each op, to every match, skipping malformed ones", async () => {
  const tab = await open();
  const commands: LiveViewCommand[] = [
    { op: "add-class", target: "#t-add", value: "done new" },
    { op: "remove-class", target: "#t-remove", value: "gone" },
    { op: "toggle-class", target: "#t-toggle", value: "a" },
    { op: "show", target: "#t-show" },
    { op: "hide", target: "#t-hide" },
    { op: "toggle-attr", target: "#t-attr", value: "aria-pressed" },
    { op: "set-text", target: "#t-text", value: "<b>not html</b>" },
    { op: "add-class", target: "[id^=op-]", value: "every" },
  ];
  const malformed = [
    { op: "explode", target: "#t-add", value: "x" },
    { op: "add-class", target: "<img src=x onerror=alert(1)>", value: "x" },
    { op: "toggle-attr", target: "#t-add", value: "onclick=alert(1)" },
    { op: "add-class", target: "#t-add" },
  ] as unknown as LiveViewCommand[];
  const ack = await tab.evaluate(([fn, update]) => window.LiveView!.sendData(fn, { update }), [
    ECHO,
    { commands: [...malformed.slice(0, 2), ...commands, ...malformed.slice(2)] } as unknown as Record<string, string>,
  ] as const);
  expect(ack).toEqual({ ok: true });
  expect(await outer(tab, "#t-add")).toBe(`<div id="t-add" class="a done new">add</div>`);
  expect(await outer(tab, "#t-remove")).toBe(`<div id="t-remove" class="a">remove</div>`);
  expect(await outer(tab, "#t-toggle")).toBe(`<div id="t-toggle" class="">toggle</div>`);
  expect(await outer(tab, "#t-show")).toBe(`<div id="t-show">show</div>`);
  expect(await outer(tab, "#t-hide")).toBe(`<div id="t-hide" hidden="">hide</div>`);
  expect(await outer(tab, "#t-attr")).toBe(`<div id="t-attr" aria-pressed="true">attr</div>`);
  expect(await outer(tab, "#t-text")).toBe(`<div id="t-text">&lt;b&gt;not html&lt;/b&gt;</div>`);
  expect(await tab.locator("[id^=op-].every").count()).toBe(7);
  expect(await tab.locator("img").count()).toBe(0);
});
