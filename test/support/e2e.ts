import type { Browser, BrowserContext, Page } from "playwright-core";
import type { ServerLogger } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";

/** Fields the e2e pages set on `window` for the tests to read. */
declare global {
  interface Window {
    /** Set before an action; a reload or navigation would lose it. */
    marker?: number;
    /** Whatever a page script or event listener recorded. */
    recorded?: unknown[];
  }
}

/** A fresh browser context with one tab; close the context to close both. */
export interface Tab {
  context: BrowserContext;
  tab: Page;
}

/** Opens `url` in a new browser context and waits until LiveView is connected with no call in flight. */
export async function openConnected(browser: Browser, url: string): Promise<Tab> {
  const context = await browser.newContext();
  // Shorter than jest's timeout, so a wait that never ends fails with playwright's message.
  context.setDefaultTimeout(10_000);
  const tab = await context.newPage();
  await tab.goto(url);
  await waitForLiveView(tab);
  return { context, tab };
}

/**
 * The tabs a test file opens, each closed (with its context) after the test that opened it.
 *
 * ```ts
 * const tabs = tabsClosedAfterEach();
 * it("...", async () => {
 *   const tab = await tabs.open(browser, server.url + "/");
 * });
 * ```
 */
export function tabsClosedAfterEach(): { open(browser: Browser, url: string): Promise<Page> } {
  const opened: Tab[] = [];
  afterEach(async () => {
    for (const { context } of opened.splice(0)) await context.close();
  });
  return {
    async open(browser, url) {
      const tab = await openConnected(browser, url);
      opened.push(tab);
      return tab.tab;
    },
  };
}

/** A server logger that writes nothing, for tests that provoke server warnings on purpose. */
export const quietLogger: ServerLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Polls a condition on the test's side (e.g. what a handler recorded) until it holds. */
export async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
