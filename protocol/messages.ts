import type { LiveViewCommand } from "./commands.js";

/** JSON-compatible value, as carried over the wire. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Value of one form control: text-like -> string, checkbox -> boolean, checkbox group / select multiple -> string[]. */
export type FormValue = string | boolean | string[];

/** Form values keyed by the controls' `name`. */
export type FormValues = Record<string, FormValue>;

/** A call from the browser to a server handler. */
export interface CallMessage {
  /** Client-generated unique id, used to recognise a resent call. */
  id: string;
  function: string;
  /** The element's `data-data-*` attributes, prefix removed, camelCased as in `dataset`. */
  data: Record<string, JsonValue>;
  form: Record<string, JsonValue>;
  /**
   * Stimulus action parameters of the element (`data-page-id-param="3"` -> `{ id: 3 }`), typecast as Stimulus does
   * (numbers, booleans, JSON, else the string). Left out when there are none; handlers always get an object.
   */
  params?: Record<string, JsonValue>;
  lang: string | null;
  room: string | null;
  /** File inputs uploaded before the call: input name -> upload ids (see protocol/uploads). */
  uploads?: Record<string, string[]>;
}

/** What a handler receives as `content` (the server adds `files`); `params` is `{}` when the call had none. */
export type CallContent = Omit<CallMessage, "id" | "uploads" | "params"> & { params: Record<string, JsonValue> };

/** Acknowledgement of one call. */
export type CallAck = { ok: true } | { ok: false; error: string; code?: string };

/** An update from the server; every key optional. */
export interface Update {
  /** CSS selector; the first match is updated. */
  target?: string;
  /** Replaces the target's content, or goes where `append`, `prepend`, `before`, `after` or `outer` say. */
  html?: string;
  /** Inserts the HTML at the end of the target. */
  append?: boolean;
  /** Inserts the HTML at the start of the target. */
  prepend?: boolean;
  /** Inserts the HTML just before the target, as its previous sibling. */
  before?: boolean;
  /** Inserts the HTML just after the target, as its next sibling. */
  after?: boolean;
  /** Replaces the target element itself, not only its content. */
  outer?: boolean;
  /** Morphs (replace and `outer` only) instead of replacing: kept elements keep focus, scroll, media and controllers. Default: the page's `morph` setting. */
  morph?: boolean;
  remove?: boolean;
  /** `history.pushState` to this URL. */
  url?: string;
  title?: string;
  /** Smooth-scroll to this selector. */
  scroll?: string;
  scrollTop?: boolean;
  /** Small DOM changes (classes, `hidden`, attributes, text), applied after the DOM change and before `script`. */
  commands?: LiveViewCommand[];
  /** JavaScript run after the DOM update. */
  script?: string;
  /**
   * A DOM event to dispatch after the rest of the update: a bubbling `CustomEvent` of this name with `detail`, on the
   * target when it is in the page, else on `window`. A controller listens with `data-action="NAME@window->ctrl#m"`.
   * No script runs, so it works under a strict Content-Security-Policy.
   */
  dispatch?: string;
  /** The `detail` of the `dispatch` event. */
  detail?: JsonValue;
  error?: string;
  /** The handler a server error came from. */
  function?: string;
  /** Outside production, the registered names sent with "Unknown function". */
  availableFunctions?: string[];
  /** Error code (see protocol/errors). */
  code?: string;
  /** With code `invalid_input`: each failing field (`form.title`, `data.id`; `form` for the whole form) and its messages. */
  fields?: Record<string, string[]>;
}

/** The handshake's `auth`: the page's signed room (`<html data-room>`), or the one this browser keeps. */
export interface HandshakeAuth {
  /** From `<html data-room>`: refused when not valid. */
  room?: string;
  /** From localStorage: replaced by a new server-chosen room when not valid (a new login, another server key). */
  storedRoom?: string;
  /** This page load's id: a call resent over a new socket is recognised by its tab and id. */
  tab?: string;
}

/** `liveview:ready`, the server's first packet on every connection. */
export interface ReadyMessage {
  /** The room the tab joined (the plain name). */
  room: string;
  maxPayloadBytes: number;
  /** A room the server chose and signed for a page without `data-room`: the browser keeps it in localStorage. */
  roomToken?: string;
  /** The app's version (`createLiveView({ version })`, by default a hash of the browser bundle). */
  version?: string;
}

/** `detail` of `liveview:version-changed`: the version of the page's first ready, and the one just seen. */
export interface VersionChangedDetail {
  from: string;
  to: string;
}
