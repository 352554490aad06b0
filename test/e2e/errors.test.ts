import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { quietLogger, tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const WORKS = "e2e_errors_works";
const THROWS = "e2e_errors_throws";
const UNKNOWN = "e2e_errors_nobody_registered_this";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();

// The page records every liveview:error and liveview:update it sees, as the event arrives.
const BODY = `
<button id="works" data-liveview-function="${WORKS}" data-action="click->page#run">Works</button>
<button id="throws" data-liveview-function="${THROWS}" data-action="click->page#run">Throws</button>
<button id="unknown" data-liveview-function="${UNKNOWN}" data-action="click->page#run">Unknown</button>
<div id="out"><p>before</p></div>
<script>
  window.recorded = [];
  document.addEventListener("liveview:error", (event) => {
    window.recorded.push({ type: event.type, detail: event.detail });
  });
  document.addEventListener("liveview:update", (event) => window.recorded.push({
    type: event.type,
    on: event.target === document ? "document" : event.target.id,
    html: event.target === document ? null : event.target.innerHTML,
    detail: event.detail,
  }));
</script>`;

interface Recorded {
  type: string;
  on?: string;
  html?: string | null;
  detail: { error?: string; function?: string; target?: string };
}

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(WORKS)((consumer) => {
    send(consumer, { target: "#out", html: renderToString("message", { text: "it works" }) });
  });
  liveviewRegistry.register(THROWS)(async () => {
    throw new Error("kaput");
  });
  server = await startServer({ pages: { "/": page(BODY) }, logger: quietLogger });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(WORKS);
  liveviewRegistry.unregister(THROWS);
});

async function open(): Promise<Page> {
  return tabs.open(browser, server.url + "/");
}

const recordedOf = async (tab: Page, type: string): Promise<Recorded[]> =>
  ((await tab.evaluate(() => window.recorded)) as Recorded[]).filter((event) => event.type === type);

const waitForEvent = (tab: Page, type: string) =>
  tab.waitForFunction((t) => (window.recorded as Array<{ type: string }>).some((event) => event.type === t), type);

it("dispatches liveview:error with 'Unknown function: NAME' when nobody registered the function", async () => {
  const tab = await open();
  await tab.click("#unknown");
  await waitForEvent(tab, "liveview:error");
  const [error] = await recordedOf(tab, "liveview:error");
  expect(error.detail.error).toBe(`Unknown function: ${UNKNOWN}`);
});

it("dispatches liveview:error with 'Handler error: ...' when the handler throws", async () => {
  const tab = await open();
  await tab.click("#throws");
  await waitForEvent(tab, "liveview:error");
  const [error] = await recordedOf(tab, "liveview:error");
  expect(error.detail.error).toBe("Handler error: kaput");
  expect(error.detail.function).toBe(THROWS);
});

it("stays connected after errors and runs a later call", async () => {
  const tab = await open();
  await tab.click("#unknown");
  await tab.click("#throws");
  await tab.waitForFunction(
    () => (window.recorded as Array<{ type: string }>).filter((event) => event.type === "liveview:error").length === 2,
  );
  expect(await tab.evaluate(() => window.LiveView!.getConnectionStatus())).toBe("connected");
  await tab.click("#works");
  await tab.waitForSelector("#out .message");
  expect(await tab.textContent("#out .message")).toBe("it works");
});

it("resolves sendData with the error of an unknown function", async () => {
  const tab = await open();
  const ack = await tab.evaluate((fn) => window.LiveView!.sendData(fn), UNKNOWN);
  expect(ack).toEqual({ ok: false, error: `Unknown function: ${UNKNOWN}` });
});

it("dispatches liveview:update on the target after the update is applied", async () => {
  const tab = await open();
  await tab.click("#works");
  await waitForEvent(tab, "liveview:update");
  const updates = await recordedOf(tab, "liveview:update");
  expect(updates).toHaveLength(1);
  expect(updates[0].on).toBe("out");
  expect(updates[0].html?.trim()).toBe(`<p class="message">it works</p>`);
  expect(updates[0].detail.target).toBe("#out");
});
