import type { AddressInfo } from "node:net";
import http from "node:http";
import path from "node:path";
import express from "express";
import { createLiveView, type LiveView, type LiveViewOptions } from "../../server/index";

/** The rooms' signing key of test servers (a configured secret, so no start-up warning). */
export const TEST_SECRET = "test-secret-of-32-characters-long";

export const FIXTURE_VIEWS = path.join(__dirname, "..", "fixtures", "views");

export interface TestServer {
  app: express.Express;
  httpServer: http.Server;
  liveview: LiveView;
  port: number;
  url: string;
  close(): Promise<void>;
}

/**
 * Starts an Express app with LiveView on an ephemeral port. `pages` maps a URL path to a full HTML
 * document served as is; the bundle is at /static/liveview/liveview.js.
 */
export async function startServer(
  options: Omit<LiveViewOptions, "app"> & { pages?: Record<string, string>; port?: number } = {},
): Promise<TestServer> {
  const { pages = {}, port = 0, ...liveviewOptions } = options;
  const app = express();
  const httpServer = http.createServer(app);
  const liveview = createLiveView(httpServer, { app, views: FIXTURE_VIEWS, secret: TEST_SECRET, ...liveviewOptions });
  for (const [route, html] of Object.entries(pages)) app.get(route, (_req, res) => res.type("html").send(html));
  await new Promise<void>((resolve) => httpServer.listen(port, "127.0.0.1", resolve));
  const actualPort = (httpServer.address() as AddressInfo).port;
  return {
    app,
    httpServer,
    liveview,
    port: actualPort,
    url: `http://127.0.0.1:${actualPort}`,
    close: () => liveview.close(),
  };
}

/** A page that loads the bundle; `head` goes before it (e.g. a webSocketConfig script). */
export function page(body: string, options: { head?: string; htmlAttrs?: string; title?: string } = {}): string {
  return `<!DOCTYPE html>
<html lang="en" ${options.htmlAttrs ?? ""}>
<head><meta charset="utf-8"><title>${options.title ?? "test"}</title>${options.head ?? ""}
<script src="/static/liveview/liveview.js" defer></script></head>
<body data-controller="page">${body}</body>
</html>`;
}
