import { readFileSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Frame, Page } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { waitForLiveView, type WaitablePage } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { waitFor } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const SLOW = "e2e_wait_slow";
const FAST = `<script>window.webSocketConfig = { reconnect: { delay: 100, factor: 1, attempts: 100 } };</script>`;
const BODY = `<button id="slow" data-liveview-function="${SLOW}" data-action="click->page#run">Slow</button><div id="out"></div>`;

/** Fails to compile (`npm run typecheck`) once playwright-core's Page or Frame no longer fits WaitablePage. */
type Fits<T> = T extends WaitablePage ? true : false;
const playwrightFits: [Fits<Page>, Fits<Frame>] = [true, true];

let browser: Browser;
let context: BrowserContext | null = null;
const servers: TestServer[] = [];
/** Opens the SLOW handler's gate: it answers once this is called. */
let openGate: () => void = () => {};
let started = 0;

const start = async (port = 0): Promise<TestServer> => {
  const server = await startServer({ port, pages: { "/": page(BODY, { head: FAST }) } });
  servers.push(server);
  return server;
};

async function openTab(url: string): Promise<Page> {
  context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const tab = await context.newPage();
  await tab.goto(url);
  return tab;
}

const connectedAttribute = (tab: Page) => tab.evaluate(() => document.documentElement.getAttribute("data-liveview-connected"));
const markedConnected = (tab: Page) => tab.waitForSelector("html[data-liveview-connected]", { state: "attached" });
const markedDisconnected = (tab: Page) => tab.waitForSelector("html:not([data-liveview-connected])", { state: "attached" });

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(SLOW)(async (consumer) => {
    started++;
    await new Promise<void>((resolve) => (openGate = resolve));
    send(consumer, { target: "#out", html: "answered" });
  });
});

afterEach(async () => {
  openGate();
  await context?.close();
  context = null;
  await Promise.all(servers.splice(0).map((server) => server.close().catch(() => undefined)));
});

afterAll(async () => {
  await browser?.close();
  liveviewRegistry.unregister(SLOW);
});

it("marks <html> data-liveview-connected while the socket is connected", async () => {
  const server = await start();
  const tab = await openTab(server.url + "/");
  await markedConnected(tab);
  expect(await connectedAttribute(tab)).toBe("");

  // The client disconnects: the attribute goes with the socket, before disconnect() even returns.
  expect(await tab.evaluate(() => (window.LiveView!.disconnect(), document.documentElement.hasAttribute("data-liveview-connected")))).toBe(false);
  await tab.evaluate(() => window.LiveView!.connect());
  await markedConnected(tab);

  // The server stops: gone; it comes back on the same port: the reconnection sets it again.
  await server.close();
  await markedDisconnected(tab);
  expect(await tab.evaluate(() => window.LiveView!.getConnectionStatus())).not.toBe("connected");
  await start(server.port);
  await markedConnected(tab);
  expect(await tab.evaluate(() => window.LiveView!.getConnectionStatus())).toBe("connected");
});

it("waitForLiveView resolves once connected with no call in flight", async () => {
  const server = await start();
  const tab = await openTab(server.url + "/");
  await waitForLiveView(tab);
  expect(await connectedAttribute(tab)).toBe("");
  expect(await tab.evaluate(() => window.LiveView!.getPendingCalls())).toBe(0);

  started = 0;
  await tab.click("#slow");
  await waitFor(() => started === 1);
  expect(await tab.evaluate(() => window.LiveView!.getPendingCalls())).toBe(1);
  // The handler is still running: a wait with a timeout fails instead of resolving.
  await expect(waitForLiveView(tab, { timeout: 300 })).rejects.toThrow(/Timeout 300ms exceeded/);

  const settled = waitForLiveView(tab).then(() => tab.evaluate(() => [document.querySelector("#out")!.textContent, window.LiveView!.getPendingCalls()]));
  openGate();
  // Resolved after the ack, with the handler's update already in the page.
  expect(await settled).toEqual(["answered", 0]);
});

it("waits for the connection, not only for calls", async () => {
  const server = await start();
  const tab = await openTab(server.url + "/");
  await waitForLiveView(tab);
  await tab.evaluate(() => window.LiveView!.disconnect());
  expect(await tab.evaluate(() => window.LiveView!.getPendingCalls())).toBe(0);
  await expect(waitForLiveView(tab, { timeout: 300 })).rejects.toThrow(/Timeout 300ms exceeded/);
  await tab.evaluate(() => window.LiveView!.connect());
  await waitForLiveView(tab);
  expect(await tab.evaluate(() => window.LiveView!.getConnectionStatus())).toBe("connected");
});

it("takes playwright-core's Page and Frame, and its published module names no playwright", () => {
  expect(playwrightFits).toEqual([true, true]);
  const built = path.join(__dirname, "..", "..", "dist", "cjs", "testing", "wait_for_live_view");
  for (const file of [`${built}.js`, `${built}.d.ts`]) {
    expect(readFileSync(file, "utf8")).not.toMatch(/(require\(|from |import\()\s*["'][^"']*playwright/);
  }
});
