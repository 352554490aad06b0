/** The one socket.io event that carries calls (client -> server) and updates (server -> client). */
export const LIVEVIEW_EVENT = "liveview";

/** Prefix of internal housekeeping events; they never carry updates. */
export const INTERNAL_EVENT_PREFIX = "liveview:";

/** Sent by the server to every new connection so connection-state recovery has a packet to resume from. */
export const READY_EVENT = "liveview:ready";

/** Synthetic event produced by the server's decoder for a message over the size limit. */
export const OVERSIZED_EVENT = "liveview:oversized";

/** Default socket.io path, the same on both sides. */
export const DEFAULT_PATH = "/ws/liveview/";

/** DOM events dispatched by the browser side. */
export const DOM_EVENTS = {
  update: "liveview:update",
  error: "liveview:error",
  connected: "liveview:connected",
  disconnected: "liveview:disconnected",
  reconnected: "liveview:reconnected",
  /** A reconnected page's server runs another version: `detail { from, to }`, cancelable (cancel: no reload). */
  versionChanged: "liveview:version-changed",
  /** On `document` after Back, Forward or `history.go(n)` restored an entry from the journal: `{ index, url }`. */
  historyRestored: "liveview:history-restored",
  /**
   * On the element that makes a call, before it goes (cancelable: `preventDefault()` stops it), then on the same
   * element once its ack is in: `success` or `failure`, then `after-call`. Each bubbles with `detail` `{ functionName,
   * id, element, ack? }` (`ack` from `success` on).
   */
  beforeCall: "liveview:before-call",
  success: "liveview:success",
  failure: "liveview:failure",
  afterCall: "liveview:after-call",
} as const;
