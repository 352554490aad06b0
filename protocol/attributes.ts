/** Every attribute, class and default the browser side reads, in one place. */
export const ATTRIBUTES = {
  function: "data-liveview-function",
  dataPrefix: "data-data-",
  intersectAppear: "data-liveview-intersect-appear",
  intersectDisappear: "data-liveview-intersect-disappear",
  intersectThreshold: "data-liveview-intersect-threshold",
  focus: "data-liveview-focus",
  init: "data-liveview-init",
  debounce: "data-liveview-debounce",
  throttle: "data-liveview-throttle",
  keyboardMap: "data-liveview-keyboard-map",
  disable: "data-liveview-disable",
  room: "data-room",
  /** On `<html>`: "false" turns history restore off. */
  history: "data-liveview-history",
  /** With an `id`: the element keeps its live DOM and state when history restores its region. */
  permanent: "data-liveview-permanent",
  /** On a `<script>`: "false" keeps a history restore from running it again. */
  replay: "data-liveview-replay",
} as const;

/** `dataset` key prefix that `data-data-*` attributes map to (`data-data-page` -> `dataset.dataPage`). */
export const DATASET_PREFIX = "data";

export const CLASSES = {
  noConnectionShow: "no-connection--show",
  noConnectionHide: "no-connection--hide",
  loading: "liveview-loading",
} as const;

export const NO_CONNECTION_ID = "no-connection";

/** localStorage keys. */
export const STORAGE_KEYS = {
  room: "room",
  debug: "liveviewDebug",
  /** sessionStorage: the history journal of this tab. */
  history: "liveviewHistory",
} as const;

/** The most history entries one tab journals; the oldest go first. */
export const HISTORY_LIMIT = 50;

/** The documented reconnection schedule: 3 s, then x1.5, capped at 30 s, 5 tries. */
export const RECONNECT_DEFAULTS = {
  delay: 3000,
  factor: 1.5,
  maxDelay: 30000,
  attempts: 5,
  jitter: 0,
} as const;

/** How long a call may wait for its ack while connected before the browser fails it (code `timeout`). */
export const CALL_TIMEOUT_MS = 30_000;

export type ReconnectOptions = { -readonly [K in keyof typeof RECONNECT_DEFAULTS]: number };
