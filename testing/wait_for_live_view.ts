import { ATTRIBUTES } from "../protocol/index.js";

/**
 * The part of a Playwright `Page` (or `Frame`) that waitForLiveView uses. Typed here, not imported, so this module
 * needs no Playwright at run time nor in its types; the package's own tests check that playwright-core's `Page`
 * and `Frame` still fit.
 */
export interface WaitablePage {
  waitForFunction(pageFunction: (attribute: string) => boolean, arg: string, options?: { timeout?: number }): Promise<unknown>;
}

export interface WaitForLiveViewOptions {
  /** Milliseconds before the wait fails; by default Playwright's own (the context's default timeout). */
  timeout?: number;
}

/** What the page function reads of the browser's globals (this module compiles without the DOM types). */
interface BrowserGlobals {
  document: { documentElement: { hasAttribute(name: string): boolean } };
  LiveView?: { getPendingCalls(): number };
}

/** Runs in the page: Playwright sends its source, so it must use nothing from this module but its argument. */
const isSettled = (attribute: string): boolean => {
  const browser = globalThis as unknown as BrowserGlobals;
  return browser.document.documentElement.hasAttribute(attribute) && browser.LiveView?.getPendingCalls() === 0;
};

/**
 * Resolves once the page's socket is connected (`<html data-liveview-connected>`) and no call is in flight
 * (`window.LiveView.getPendingCalls() === 0`): every call made so far has its ack and its updates are in the page.
 * A call a debounce, throttle or poll timer has not made yet is not waited for.
 *
 * ```ts
 * await page.goto("http://localhost:3000/");
 * await waitForLiveView(page);
 * await page.click("#save");
 * await waitForLiveView(page, { timeout: 5000 });
 * expect(await page.textContent("#status")).toBe("Saved");
 * ```
 */
export async function waitForLiveView(page: WaitablePage, options: WaitForLiveViewOptions = {}): Promise<void> {
  const waitOptions = options.timeout === undefined ? {} : { timeout: options.timeout };
  await page.waitForFunction(isSettled, ATTRIBUTES.connected, waitOptions);
}
