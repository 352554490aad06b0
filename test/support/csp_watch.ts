import type { BrowserContext, Page } from "playwright-core";

declare global {
  interface Window {
    /** Every securitypolicyviolation the page saw, as "directive blocked-uri sample". */
    cspViolations?: string[];
  }
}

/**
 * Records every Content-Security-Policy (and Trusted Types) violation of the context's pages: the
 * `securitypolicyviolation` events, through an init script that runs before any page script, and the
 * console lines Chromium writes for them. `violations(tab)` reads both.
 */
export async function watchCsp(context: BrowserContext): Promise<{ violations(tab: Page): Promise<string[]> }> {
  const consoleLines = new Map<Page, string[]>();
  await context.addInitScript(() => {
    window.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) =>
      window.cspViolations!.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`),
    );
  });
  const watch = (tab: Page) => {
    const lines: string[] = [];
    consoleLines.set(tab, lines);
    tab.on("console", (message) => {
      if (/Content.Security.Policy|Trusted ?Type/i.test(message.text())) lines.push(message.text());
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
  return {
    async violations(tab) {
      const events = await tab.evaluate(() => window.cspViolations ?? ["(init script did not run)"]);
      return [...events, ...(consoleLines.get(tab) ?? [])];
    },
  };
}
