import type { Browser, BrowserContext, Page } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { quietLogger } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const WORKS = "e2e_console_works";
const THROWS = "e2e_console_throws";
const MISSES = "e2e_console_misses_target";
const UNKNOWN = "e2e_console_unknown";

let browser: Browser;
let server: TestServer;
let context: BrowserContext | undefined;

const BODY = `
<div><input name="name" value="Ada">
  <button id="works" data-liveview-function="${WORKS}" data-action="click->page#run">Works</button></div>
<button id="throws" data-liveview-function="${THROWS}" data-action="click->page#run">Throws</button>
<button id="misses" data-liveview-function="${MISSES}" data-action="click->page#run">Misses</button>
<button id="unknown" data-liveview-function="${UNKNOWN}" data-action="click->page#run">Unknown</button>
<button id="nameless" data-action="click->page#run">No function</button>
<div id="out"></div>
<script>
  window.recorded = [];
  document.addEventListener("liveview:error", (event) => window.recorded.push(event.detail.error));
</script>`;

const DEBUG_HEAD = `<script>window.webSocketConfig = { debug: true };</script>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(WORKS)((consumer, content) => {
    send(consumer, { target: "#out", html: `<p>${String(content.form.name)}</p>`, script: "undefinedFunction()" });
  });
  liveviewRegistry.register(THROWS)(() => {
    throw new Error("on purpose");
  });
  liveviewRegistry.register(MISSES)((consumer) => {
    send(consumer, { target: "#nowhere", html: "<p>lost</p>", scroll: "#nothing", title: "Missed" });
  });
  server = await startServer({
    pages: { "/": page(BODY), "/debug": page(BODY, { head: DEBUG_HEAD }) },
    logger: quietLogger,
  });
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const name of [WORKS, THROWS, MISSES]) liveviewRegistry.unregister(name);
});

interface Watched {
  tab: Page;
  messages: string[];
  pageErrors: Error[];
}

/** Opens the page with console and page-error listeners attached before anything runs. */
async function openWatched(path: string, prepare?: (context: BrowserContext) => Promise<unknown>): Promise<Watched> {
  context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  await prepare?.(context);
  const tab = await context.newPage();
  const messages: string[] = [];
  const pageErrors: Error[] = [];
  tab.on("console", (message) => messages.push(`${message.type()}: ${message.text()}`));
  tab.on("pageerror", (error) => pageErrors.push(error));
  await tab.goto(server.url + path);
  await waitForLiveView(tab);
  return { tab, messages, pageErrors };
}

/** Clicks every button, including the failing ones, and waits until all of it has been handled. */
async function clickAround(tab: Page): Promise<void> {
  for (const id of ["works", "throws", "misses", "unknown", "nameless"]) await tab.click(`#${id}`);
  await tab.waitForFunction(() => window.recorded!.length === 2 && document.title === "Missed");
  await tab.waitForSelector("#out p");
  // One tab's calls are handled in order, so this ack comes after every update above was applied.
  expect(await tab.evaluate((fn) => window.LiveView!.sendData(fn), WORKS)).toEqual({ ok: true });
}

const fromLiveView = (messages: string[]) => messages.filter((text) => text.includes("[liveview]"));

it("writes nothing to the console without the debug switch, even on errors and missing targets", async () => {
  const { tab, messages, pageErrors } = await openWatched("/");
  await clickAround(tab);
  expect(fromLiveView(messages)).toEqual([]);
  // Only the browser's own resource messages (a missing favicon) may appear.
  expect(messages.filter((text) => !text.includes("Failed to load resource"))).toEqual([]);
  expect(pageErrors).toEqual([]);
});

it("writes [liveview] debug lines with window.webSocketConfig = { debug: true }", async () => {
  const { tab, messages, pageErrors } = await openWatched("/debug");
  await clickAround(tab);
  const lines = fromLiveView(messages);
  expect(lines.some((text) => text.includes(WORKS))).toBe(true);
  expect(lines.some((text) => text.includes("#nowhere"))).toBe(true);
  expect(pageErrors).toEqual([]);
});

it("writes [liveview] debug lines when localStorage.liveviewDebug is set", async () => {
  const { tab, messages } = await openWatched("/", (ctx) =>
    ctx.addInitScript(() => localStorage.setItem("liveviewDebug", "1")),
  );
  await clickAround(tab);
  expect(fromLiveView(messages).length).toBeGreaterThan(0);
});
