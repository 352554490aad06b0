import type { Browser } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { gate } from "../support/client";
import { tabsClosedAfterEach, waitFor } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

// A short callTimeoutMs: a call the server never answers releases its element and tells the page.
let browser: Browser;
let server: TestServer;
let held: ReturnType<typeof gate>;
let runs: string[] = [];
const tabs = tabsClosedAfterEach();

const HEAD = `<script>window.webSocketConfig = { callTimeoutMs: 300, reconnect: { delay: 100, factor: 1, attempts: 100 } };
  window.recorded = [];
  document.addEventListener("liveview:error", (event) => window.recorded.push(event.detail));</script>`;
const BODY = `<button id="held" data-liveview-function="e2e_ct_held" data-liveview-disable data-action="click->page#run">held</button>
  <button id="quick" data-liveview-function="e2e_ct_quick" data-action="click->page#run">quick</button><div id="out"></div>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register("e2e_ct_held")(async (consumer) => {
    runs.push("held");
    await held.promise;
    send(consumer, { target: "#out", html: "held finished" });
  });
  liveviewRegistry.register("e2e_ct_quick")((consumer) => {
    runs.push("quick");
    send(consumer, { target: "#out", html: "quick answered" });
  });
  server = await startServer({ pages: { "/": page(BODY, { head: HEAD }) } });
});

beforeEach(() => {
  held = gate();
  runs = [];
});

afterEach(() => held.open());

afterAll(async () => {
  held?.open();
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister("e2e_ct_held");
  liveviewRegistry.unregister("e2e_ct_quick");
});

it("fails an unanswered call with liveview:error (code timeout) and releases its element", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.click("#held");
  expect(await tab.isDisabled("#held")).toBe(true);
  await tab.waitForFunction(() => (window.recorded ?? []).length === 1);
  expect(await tab.evaluate(() => window.recorded)).toEqual([
    { error: "No answer from the server in 300 ms", code: "timeout", function: "e2e_ct_held" },
  ]);
  await tab.waitForFunction(() => !document.querySelector("#held")!.hasAttribute("disabled"));
  expect(await tab.getAttribute("#held", "aria-busy")).toBeNull();
  expect(await tab.evaluate(() => document.querySelector("#held")!.classList.contains("liveview-loading"))).toBe(false);

  // The handler finishing later breaks nothing: its update still arrives, the page keeps working, it ran once.
  held.open();
  await tab.waitForFunction(() => document.querySelector("#out")?.textContent === "held finished");
  await tab.click("#quick");
  await tab.waitForFunction(() => document.querySelector("#out")?.textContent === "quick answered");
  expect(runs).toEqual(["held", "quick"]);
  expect(await tab.evaluate(() => window.recorded!.length)).toBe(1);
});

it("resolves sendData's promise with { ok: false, error, code: 'timeout' }", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  const ack = await tab.evaluate(() => window.LiveView!.sendData("e2e_ct_held"));
  expect(ack).toEqual({ ok: false, error: "No answer from the server in 300 ms", code: "timeout" });
});

it("does not time out a call waiting while offline: it is sent and answered once the page is back", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  const context = tab.context();
  await context.setOffline(true);
  await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() !== "connected");
  await tab.click("#quick");
  // Offline for several times callTimeoutMs: the queued call must still be waiting, not failed.
  await tab.waitForTimeout(1000);
  expect(await tab.evaluate(() => window.LiveView!.getQueueLength())).toBe(1);
  await context.setOffline(false);
  await tab.waitForFunction(() => document.querySelector("#out")?.textContent === "quick answered");
  await waitFor(() => runs.length === 1);
  expect(runs).toEqual(["quick"]);
  expect(await tab.evaluate(() => window.recorded)).toEqual([]);
});
