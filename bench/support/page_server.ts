// An in-process express-liveview server for the Chromium figures, and the page hooks they measure with.
import http from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express } from "express";
import type { BrowserContext, Page } from "playwright-core";
import { createLiveView, type LiveView, type LiveViewOptions } from "../../server/index";

export interface PageServer {
  app: Express;
  liveview: LiveView;
  url: string;
  close(): Promise<void>;
}

/** The key the bench's page servers sign rooms with (configured, so no start-up warning). */
export const BENCH_SECRET = "bench-secret-of-enough-length";

export async function startPageServer(options: Omit<LiveViewOptions, "app"> = {}): Promise<PageServer> {
  const app = express();
  const server = http.createServer(app);
  // The figures measure the raw call path, with pages calling far over the default rate limit (20/s).
  const liveview = createLiveView(server, { app, secret: BENCH_SECRET, rateLimit: false, ...options });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    app,
    liveview,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => liveview.close(),
  };
}

/**
 * Runs before the page's own scripts: every WebSocket notes when a message reaches JavaScript
 * (`window.__frameAt`), before socket.io-client's handler sees it, so "from receipt" is measurable
 * without any hook in the library.
 */
export const FRAME_CLOCK = `(() => {
  // tsx (esbuild keepNames) wraps named functions in __name(); functions passed to page.evaluate carry it along.
  window.__name = window.__name || ((fn) => fn);
  const Native = window.WebSocket;
  window.__frameAt = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", () => { window.__frameAt = performance.now(); });
    }
  };
})();`;

/** A page at `url` whose LiveView connection is up; `setup` runs before it loads (listeners). */
export async function openLiveViewPage(
  context: BrowserContext,
  url: string,
  setup?: (page: Page) => void,
): Promise<Page> {
  const page = await context.newPage();
  setup?.(page);
  await page.addInitScript({ content: FRAME_CLOCK });
  await page.goto(url);
  await page.waitForFunction(() => window.LiveView?.getConnectionStatus() === "connected", undefined, {
    timeout: 10_000,
  });
  return page;
}
