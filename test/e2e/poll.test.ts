import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Update } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach, waitFor } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const COUNT = "e2e_poll_count";
const SLOW = "e2e_poll_slow";
const ECHO = "e2e_poll_echo";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
/** The `who` (a `data-data-who`) of every COUNT call, in order. */
let polls: string[] = [];
const count = (who: string) => polls.filter((w) => w === who).length;

/** SLOW calls that reached the socket, and those whose handler finished: their difference is the calls in flight. */
let arrived = 0;
let finished = 0;
let maxInFlight = 0;

const poller = (who: string, intervalMs: number) =>
  `<div id="${who}" data-liveview-poll="${COUNT}" data-liveview-poll-interval="${intervalMs}" data-data-who="${who}"></div>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(COUNT)((consumer, content) => {
    const who = String(content.data.who);
    polls.push(who);
    send(consumer, { target: `#${who}`, html: String(count(who)) });
  });
  liveviewRegistry.register(SLOW)(async () => {
    await new Promise((resolve) => setTimeout(resolve, 150));
    finished++;
  });
  liveviewRegistry.register(ECHO)((consumer, content) => send(consumer, content.data.update as Update));
  server = await startServer({
    pages: {
      "/": page(`${poller("a", 100)}${poller("control", 100)}<div id="later"></div>`),
      "/visibility": page(poller("v", 500)),
      "/slow": page(`<div data-liveview-poll="${SLOW}" data-liveview-poll-interval="50"></div>`),
    },
  });
  // Counted as each packet arrives, ahead of the server's per-tab queue (which would run overlapping calls one by one).
  server.liveview.io.use((socket, next) => {
    socket.use((packet, nextPacket) => {
      if (packet[0] === "liveview" && (packet[1] as { function?: string } | undefined)?.function === SLOW) {
        arrived++;
        maxInFlight = Math.max(maxInFlight, arrived - finished);
      }
      nextPacket();
    });
    next();
  });
});

beforeEach(() => {
  polls = [];
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  [COUNT, SLOW, ECHO].forEach((name) => liveviewRegistry.unregister(name));
});

async function apply(tab: Page, update: Update): Promise<void> {
  const ack = await tab.evaluate(([fn, u]) => window.LiveView!.sendData(fn, { update: u }), [ECHO, update as Record<string, string>] as const);
  expect(ack).toEqual({ ok: true });
}

const timers = (tab: Page) => tab.evaluate(() => window.LiveView!.getStats().timers);

/** Makes the page believe its tab was hidden or shown, as a browser does when the user switches tabs. */
async function setVisibility(tab: Page, state: "hidden" | "visible"): Promise<void> {
  await tab.evaluate((value) => {
    Object.defineProperty(document, "visibilityState", { configurable: true, get: () => value });
    Object.defineProperty(document, "hidden", { configurable: true, get: () => value === "hidden" });
    document.dispatchEvent(new Event("visibilitychange"));
  }, state);
}

it("calls the handler on a timer with the element's data-data-*, and counts its timers in getStats()", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await waitFor(() => count("a") >= 3 && count("control") >= 3);
  await tab.waitForFunction(() => Number(document.querySelector("#a")?.textContent) >= 3);
  expect(await timers(tab)).toBe(2);
});

it("stops when an update removes the element, and starts for one an update brings", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await waitFor(() => count("a") >= 2);
  await apply(tab, { target: "#a", remove: true });
  // A call sent just before the removal may still arrive.
  const afterRemoval = count("a") + 1;
  expect(await timers(tab)).toBe(1);
  await apply(tab, { target: "#later", html: poller("late", 100) });
  const control = count("control");
  await waitFor(() => count("control") >= control + 5 && count("late") >= 3);
  expect(count("a")).toBeLessThanOrEqual(afterRemoval);
  expect(await timers(tab)).toBe(2);
});

it("never overlaps a poll call still in flight, even with a handler slower than the interval", async () => {
  arrived = finished = maxInFlight = 0;
  await tabs.open(browser, server.url + "/slow");
  await waitFor(() => finished >= 4);
  expect(maxInFlight).toBe(1);
});

it("slows down by 20 times while the tab is hidden and calls at once when it shows again", async () => {
  const tab = await tabs.open(browser, server.url + "/visibility");
  await waitFor(() => count("v") >= 1);
  await setVisibility(tab, "hidden");
  // A call may have been on its way as the tab hid.
  const hiddenAt = count("v") + 1;
  // Another tab, still visible, polls every 100 ms: 20 of its calls are 4 intervals of the hidden tab's 500 ms.
  await tabs.open(browser, server.url + "/");
  const control = count("control");
  await waitFor(() => count("control") >= control + 20);
  expect(count("v")).toBeLessThanOrEqual(hiddenAt);
  const beforeShown = count("v");
  await setVisibility(tab, "visible");
  // Hidden, the next call would come 10 s after the last; shown, one goes at once, then every 500 ms.
  await waitFor(() => count("v") > beforeShown, 4000);
  await waitFor(() => count("v") >= beforeShown + 3, 5000);
});
