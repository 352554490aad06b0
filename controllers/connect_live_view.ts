import { LiveViewClient, type ConnectionFactory, type LiveViewApi } from "./live_view_client.js";
import type { LiveViewConfig } from "./transport/connection_config.js";

declare global {
  interface Window {
    webSocketConfig?: LiveViewConfig;
    LiveView?: LiveViewApi;
  }
}

let current: LiveViewClient | null = null;

/**
 * Connects the page (once: later calls return the same object). Options are those of
 * `window.webSocketConfig` (host, protocol, path, reconnect, debug), which they override.
 * Sets and returns `window.LiveView`.
 *
 * ```ts
 * import { Application } from "@hotwired/stimulus";
 * import { PageController, connectLiveView } from "express-liveview/client";
 * Application.start().register("page", PageController);
 * connectLiveView({ debug: true });
 * ```
 */
export function connectLiveView(options: LiveViewConfig = {}, factory?: ConnectionFactory): LiveViewApi {
  if (current) return current;
  const config = { ...(window.webSocketConfig ?? {}), ...options };
  current = new LiveViewClient(document, config, factory);
  window.LiveView = current;
  current.connect();
  return current;
}

/** The page's client, connecting it with `window.webSocketConfig` when nothing did yet. */
export function getLiveViewClient(): LiveViewClient {
  if (!current) connectLiveView();
  return current as LiveViewClient;
}

/** Forgets the current client (tests). */
export function resetLiveView(): void {
  current?.disconnect();
  current = null;
  delete window.LiveView;
}
