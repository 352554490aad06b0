import { CALL_TIMEOUT_MS, DEFAULT_PATH, RECONNECT_DEFAULTS, type ReconnectOptions } from "../../protocol/index.js";

/** `window.webSocketConfig`: every key optional. */
export interface LiveViewConfig {
  host?: string;
  protocol?: string;
  path?: string;
  debug?: boolean;
  reconnect?: Partial<ReconnectOptions>;
  /** How long a call may wait for its ack while connected (ms); then it fails with code `timeout`. 0: never. Default 30 s. */
  callTimeoutMs?: number;
  /** Morph updates into the page (idiomorph) instead of replacing content; an update's own `morph` key wins. Default false. */
  morph?: boolean;
  /**
   * Calls also send the element's plain `data-*` attributes in `data` (Django LiveView 2.2's way); `data-data-*` wins
   * on a clash. `<html data-liveview-plain-data>` does the same. Default false.
   */
  plainData?: boolean;
}

export interface ResolvedConfig {
  url: string;
  path: string;
  debug: boolean;
  reconnect: ReconnectOptions;
  callTimeoutMs: number;
  morph: boolean;
}

const positive = (value: unknown, fallback: number): number =>
  typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : fallback;

/** Fills the defaults: host and protocol from `location`, the documented reconnection schedule. */
export function resolveConfig(config: LiveViewConfig, location: Pick<Location, "host" | "protocol">): ResolvedConfig {
  const secure = location.protocol === "https:";
  const protocol = (config.protocol ?? (secure ? "wss" : "ws")).replace(/:?\/*$/, "");
  const host = config.host ?? location.host;
  const reconnect = config.reconnect ?? {};
  return {
    url: `${protocol}://${host}`,
    path: config.path ?? DEFAULT_PATH,
    debug: config.debug === true,
    morph: config.morph === true,
    callTimeoutMs: positive(config.callTimeoutMs, CALL_TIMEOUT_MS),
    reconnect: {
      delay: positive(reconnect.delay, RECONNECT_DEFAULTS.delay),
      factor: positive(reconnect.factor, RECONNECT_DEFAULTS.factor) || RECONNECT_DEFAULTS.factor,
      maxDelay: positive(reconnect.maxDelay, RECONNECT_DEFAULTS.maxDelay),
      attempts: positive(reconnect.attempts, RECONNECT_DEFAULTS.attempts),
      jitter: Math.min(1, positive(reconnect.jitter, RECONNECT_DEFAULTS.jitter)),
    },
  };
}
