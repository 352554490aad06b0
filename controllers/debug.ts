import { STORAGE_KEYS } from "../protocol/index.js";

/** The browser side's only way to write to the console; silent unless debugging. */
export interface Logger {
  debug(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
  enabled: boolean;
}

const PREFIX = "[liveview]";
const noop = (): void => {};

/**
 * Creates a logger that prefixes every line with "[liveview]", or one whose methods do nothing.
 * The bundle prints nothing by default, so every message goes through a logger made with the
 * result of `isDebugEnabled`.
 *
 * ```ts
 * const log = createLogger(isDebugEnabled(window.liveviewConfig?.debug));
 * log.debug("connected"); // "[liveview] connected", only when debugging
 * ```
 */
export function createLogger(enabled: boolean): Logger {
  if (!enabled) return { debug: noop, warn: noop, error: noop, enabled: false };
  return {
    debug: (...args: unknown[]) => console.debug(PREFIX, ...args),
    warn: (...args: unknown[]) => console.warn(PREFIX, ...args),
    error: (...args: unknown[]) => console.error(PREFIX, ...args),
    enabled: true,
  };
}

/**
 * Tells whether debugging is on: the page's config says `debug: true`, or `localStorage.liveviewDebug`
 * is "1" or "true" (so a developer can switch it on in a production page from the console). A
 * localStorage that throws (privacy mode, sandboxed iframe) counts as off.
 *
 * ```ts
 * localStorage.setItem("liveviewDebug", "1");
 * isDebugEnabled(undefined); // true
 * ```
 */
export function isDebugEnabled(configDebug: unknown): boolean {
  if (configDebug === true) return true;
  try {
    const stored = localStorage.getItem(STORAGE_KEYS.debug);
    return stored !== null && ["1", "true"].includes(stored.trim().toLowerCase());
  } catch {
    return false;
  }
}
