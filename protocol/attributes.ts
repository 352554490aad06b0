/** Every attribute, class and default the browser side reads, in one place. */
export const ATTRIBUTES = {
  function: "data-liveview-function",
  dataPrefix: "data-data-",
  /** On `<html>`: calls also send the element's plain `data-*` attributes in `data` (Django LiveView 2.2's way). */
  plainData: "data-liveview-plain-data",
  intersectAppear: "data-liveview-intersect-appear",
  intersectDisappear: "data-liveview-intersect-disappear",
  intersectThreshold: "data-liveview-intersect-threshold",
  focus: "data-liveview-focus",
  init: "data-liveview-init",
  debounce: "data-liveview-debounce",
  throttle: "data-liveview-throttle",
  keyboardMap: "data-liveview-keyboard-map",
  disable: "data-liveview-disable",
  /** A subtree a morph never changes (its attributes and content stay as the page left them). */
  ignore: "data-liveview-ignore",
  /** A focused field a morph may patch anyway (by default the field the user is in is left alone). */
  patchFocused: "data-liveview-patch-focused",
  /** Commands applied at once when the element's call is made, reverted if it fails (see protocol/commands). */
  optimistic: "data-liveview-optimistic",
  /** A CSS selector: the optimistic commands apply to every element it matches instead of the calling element. */
  optimisticTarget: "data-liveview-optimistic-target",
  poll: "data-liveview-poll",
  pollInterval: "data-liveview-poll-interval",
  /** On a form: the handler called with its values when the page reconnects to a server that lost its session. */
  recover: "data-liveview-recover",
  room: "data-room",
  /** On `<html>`, empty, while the socket is connected; removed as soon as it disconnects (end-to-end tests wait on it). */
  connected: "data-liveview-connected",
  /** On `<html>`: "false" turns history restore off. */
  history: "data-liveview-history",
  /** With an `id`: the element keeps its live DOM and state when history restores its region. */
  permanent: "data-liveview-permanent",
  /** On a `<script>`: "false" keeps a history restore from running it again. */
  replay: "data-liveview-replay",
} as const;

/** Stimulus action parameters: `data-IDENTIFIER-NAME-param` (`data-page-id-param="3"` -> `params.id === 3`). */
export const PARAM_SUFFIX = "-param";

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

/** Polling: every 2 s by default, 20 times slower (95% fewer calls) while the tab is hidden. */
export const POLL_DEFAULTS = {
  intervalMs: 2000,
  hiddenFactor: 20,
} as const;

/** How long a call may wait for its ack while connected before the browser fails it (code `timeout`). */
export const CALL_TIMEOUT_MS = 30_000;

/** After a version change, how often the page looks again whether the user is idle, besides on each blur and ack. */
export const VERSION_RELOAD_CHECK_MS = 3000;

export type ReconnectOptions = { -readonly [K in keyof typeof RECONNECT_DEFAULTS]: number };
