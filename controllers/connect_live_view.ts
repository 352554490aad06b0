import { LiveViewClient, type ConnectionFactory, type LiveViewApi } from "./live_view_client.js";
import type { LiveViewConfig } from "./transport/connection_config.js";

declare global {
  interface Window {
    webSocketConfig?: LiveViewConfig;
    LiveView?: LiveViewApi;
  }
}

let current: LiveViewClient | null = null;
/** The options the current client was made with (webSocketConfig and connectLiveView's, merged). */
let currentConfig: LiveViewConfig = {};
/** Whether a `page` controller made the current client (no connectLiveView call came first). */
let madeByController = false;
/** The transport of a client a controller makes (tests hand in a fake through resetLiveView). */
let implicitFactory: ConnectionFactory | undefined;

/** Deep equality of option values (plain JSON: numbers, strings, booleans, objects such as `reconnect`). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (!sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}

/** The options given that differ from those in use (undefined ones ask for nothing). */
const changedKeys = (options: LiveViewConfig): string[] =>
  (Object.keys(options) as (keyof LiveViewConfig)[]).filter(
    (key) => options[key] !== undefined && !sameValue(options[key], currentConfig[key]),
  );

/** The error of a late connectLiveView: which options it would lose, and the two ways to give them in time. */
function lateOptionsError(keys: string[]): Error {
  const what = keys.map((key) => `"${key}"`).join(", ");
  const why = madeByController
    ? 'a "page" controller or a this.call() connected it first, with window.webSocketConfig alone'
    : "connectLiveView was already called with other options";
  return new Error(
    `connectLiveView: LiveView is already connected (${why}), so its options ${what} would be lost. ` +
      "Call connectLiveView(options) before Stimulus connects a page controller (before " +
      'application.register("page", PageController)), or set window.webSocketConfig before the page loads.',
  );
}

/**
 * Connects the page (once: later calls return the same object). Options are those of
 * `window.webSocketConfig` (host, protocol, path, reconnect, debug, morph, plainData...), which they override.
 * Sets and returns `window.LiveView`. A later call with options that differ from those in use (a `page`
 * controller already connected, an app that awaited something first) throws an error that says how to fix it,
 * rather than losing them; a later call with no options, or the same ones, returns the same object.
 *
 * ```ts
 * import { Application } from "@hotwired/stimulus";
 * import { PageController, connectLiveView } from "express-liveview/client";
 * connectLiveView({ debug: true });
 * Application.start().register("page", PageController);
 * ```
 */
export function connectLiveView(options: LiveViewConfig = {}, factory?: ConnectionFactory): LiveViewApi {
  if (current) {
    const changed = changedKeys(options);
    if (changed.length > 0) throw lateOptionsError(changed);
    return current;
  }
  currentConfig = { ...(window.webSocketConfig ?? {}), ...options };
  current = new LiveViewClient(document, currentConfig, factory);
  window.LiveView = current;
  current.connect();
  return current;
}

/** The page's client, connecting it with `window.webSocketConfig` when nothing did yet. */
export function getLiveViewClient(): LiveViewClient {
  if (!current) {
    connectLiveView({}, implicitFactory);
    madeByController = true;
  }
  return current as LiveViewClient;
}

/** Forgets the current client (tests); `factory` is the transport of the next client a controller makes. */
export function resetLiveView(factory?: ConnectionFactory): void {
  implicitFactory = factory;
  current?.disconnect();
  current = null;
  currentConfig = {};
  madeByController = false;
  delete window.LiveView;
}
