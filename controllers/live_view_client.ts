import { Idiomorph } from "idiomorph";
import { ATTRIBUTES, DOM_EVENTS, ERROR_CODES, type CallAck, type CallMessage, type HandshakeAuth, type JsonValue, type Update } from "../protocol/index.js";
import { createLogger, isDebugEnabled, type Logger } from "./debug.js";
import type { BehaviourStats } from "./behaviours/page_behaviours.js";
import { trackLoading } from "./behaviours/loading_state.js";
import { applyUpdate } from "./dom/apply_update.js";
import { findFileInputs } from "./dom/collect_payload.js";
import { collectCall, type CollectOptions } from "./dom/collect_call.js";
import { afterCall, beforeCall, cancelledAck, type CallCallbacks, type CallDetail } from "./calls/call_lifecycle.js";
import { InFlightLocks } from "./dom/inflight_locks.js";
import { queryFirst } from "./dom/query.js";
import { applyOptimistic } from "./dom/optimistic.js";
import { PageHistory } from "./history/page_history.js";
import { UploadError, uploadInputs } from "./uploads/upload_files.js";
import { showConnectionBanner } from "./connection_banner.js";
import { recoverableForms } from "./recovery/form_recovery.js";
import { SentValues } from "./recovery/sent_values.js";
import { VersionCheck } from "./recovery/version_check.js";
import { keepRoom, randomId, resolveRoom } from "./room.js";
import type { Connection, ConnectionEvents, ConnectionStatus } from "./transport/connection.js";
import { resolveConfig, type LiveViewConfig, type ResolvedConfig } from "./transport/connection_config.js";
import { SocketIoConnection } from "./transport/socket_io_connection.js";

/** `window.LiveView`: the page's handle on its connection. */
export interface LiveViewApi {
  connect(): void;
  disconnect(): void;
  /** Calls a handler from page code: `LiveView.sendData("save", { id: "3" })`. */
  sendData(functionName: string, data?: Record<string, JsonValue>, form?: Record<string, JsonValue>): Promise<CallAck>;
  getConnectionStatus(): ConnectionStatus;
  getQueueLength(): number;
  clearQueue(): void;
  /**
   * Calls made and not answered yet: uploading their files, waiting to be sent, or sent and waiting for the ack.
   * `0` once every call has its ack and its updates are in the page (what `waitForLiveView` waits for).
   */
  getPendingCalls(): number;
  /** Diagnostics: what the interaction attributes currently hold (observers, maps, timers). */
  getStats(): BehaviourStats;
}

/** How a call from an element is made: what collectCall reads, values to send on top, and who hears its lifecycle. */
export interface ElementCallOptions extends CollectOptions {
  /** Sent on top of what the element gives (their keys win). */
  data?: Record<string, JsonValue>;
  form?: Record<string, JsonValue>;
  params?: Record<string, JsonValue>;
  /** The calling controller: its `beforeCall`, `callSuccess`, `callFailure`, `afterCall` are called when it has them. */
  callbacks?: CallCallbacks;
}

/**
 * Builds the transport; tests hand in a fake. `room.tab` is this page load's id, for the handshake: the server keeps
 * the ids of a tab's calls apart from every other tab's, so a call resent over a new socket still runs once.
 */
export type ConnectionFactory = (config: ResolvedConfig, room: HandshakeAuth, events: ConnectionEvents) => Connection;

const socketIo: ConnectionFactory = (config, room, events) => new SocketIoConnection(config, room, events);

/**
 * One page's LiveView runtime: sends calls, applies the updates that come back, keeps the
 * `#no-connection` banner in step and dispatches `liveview:*` DOM events.
 */
export class LiveViewClient implements LiveViewApi {
  readonly log: Logger;
  /** The room this tab joins: the plain name of its token until the server says which it joined. */
  room: string | null;
  /** Made once per page load: the sockets of this page, before and after a reconnection, are one tab. */
  readonly tab = randomId();
  private readonly connection: Connection;
  private readonly morph: boolean;
  private readonly plainData: boolean;
  /** Holds updates that would change an element whose own calls are still waiting for their acks. */
  private readonly locks = new InFlightLocks((update) => this.applyNow(update));
  private readonly statsSources = new Set<() => BehaviourStats>();
  private readonly sent = new SentValues();
  private readonly versions: VersionCheck;
  /** Calls made and not answered yet (uploading, queued or sent), each counted once. */
  private busy = 0;
  private readonly history: PageHistory;

  constructor(private readonly doc: Document, config: LiveViewConfig, factory: ConnectionFactory = socketIo) {
    const resolved = resolveConfig(config, doc.location ?? window.location);
    this.log = createLogger(isDebugEnabled(config.debug));
    this.morph = resolved.morph;
    this.plainData = config.plainData === true;
    this.history = new PageHistory(doc, this.log);
    const auth: HandshakeAuth = { ...resolveRoom(doc), tab: this.tab };
    this.room = roomName(auth.room ?? auth.storedRoom);
    this.versions = new VersionCheck(doc, { isIdle: this.isIdle, reload: () => (doc.location ?? window.location).reload() });
    const events: ConnectionEvents = {
      update: (update) => this.apply(update),
      ready: (ready) => {
        if (typeof ready.room === "string") this.room = ready.room;
        if (typeof ready.roomToken === "string") keepRoom(ready.roomToken);
        this.versions.seen(ready.version);
        // Live once the server has primed this connection (it sends ready on every one, after the connect).
        if (this.connection.status() === "connected") this.doc.documentElement.toggleAttribute(ATTRIBUTES.connected, true);
      },
      connected: () => this.onConnectionChange(false, DOM_EVENTS.connected),
      disconnected: (reason) => this.onConnectionChange(true, DOM_EVENTS.disconnected, { reason }),
      reconnected: (recovered) => this.dispatch(DOM_EVENTS.reconnected, { recovered }),
      sessionLost: () => this.recoverForms(),
    };
    this.connection = factory(resolved, auth, events);
    const view = doc.defaultView;
    view?.addEventListener("offline", () => showConnectionBanner(this.doc, true));
    view?.addEventListener("online", () => {
      if (this.connection.status() === "connected") showConnectionBanner(this.doc, false);
      else this.connection.connect();
    });
  }

  /** Builds the call message for a function with the given data, form values and params (left out when empty). */
  message(functionName: string, data: Record<string, JsonValue>, form: Record<string, JsonValue>, params?: Record<string, JsonValue>): CallMessage {
    const message: CallMessage = { id: randomId(), function: functionName, data, form, lang: this.doc.documentElement.lang || null, room: this.room };
    if (params && hasKeys(params)) message.params = params;
    return message;
  }

  call(message: CallMessage): Promise<CallAck> {
    return this.tracked(this.send(message));
  }

  /** Sends a call already counted in `busy` (see `tracked`). */
  private send(message: CallMessage): Promise<CallAck> {
    this.log.debug("call", message.function, message);
    // The updates that arrive until the ack are this call's: history journals them as one navigation.
    this.history.callSent();
    return this.connection.call(message).then((ack) => {
      this.history.callDone();
      if (!ack.ok) this.log.debug("call failed", message.function, ack.error);
      // The server never answered, so no error update came: the page hears of it as of any other error.
      if (!ack.ok && ack.code === ERROR_CODES.timeout) {
        this.apply({ error: ack.error, code: ack.code, function: message.function });
      }
      return ack;
    });
  }

  /**
   * Calls a function from an element: its `data-data-*`, form values and action params are read now, then
   * `liveview:before-call` goes out on it (a listener may cancel the call: it then resolves with code `cancelled`),
   * its `data-liveview-optimistic` commands apply at once (and are reverted if the call fails or is given up), and
   * the element shows the loading state until the ack arrives; `liveview:success` or `liveview:failure` and
   * `liveview:after-call` follow the ack, once the updates held for the element are in.
   */
  callFrom = (el: Element, functionName: string, options: ElementCallOptions = {}): Promise<CallAck> => {
    const collected = collectCall(el, { ...options, plainData: options.plainData ?? this.plainData });
    const message = this.message(
      functionName,
      options.data ? { ...collected.data, ...options.data } : collected.data,
      options.form ? { ...collected.form, ...options.form } : collected.form,
      options.params ? { ...collected.params, ...options.params } : collected.params,
    );
    const detail: CallDetail = { functionName, id: message.id, element: el };
    if (!beforeCall(detail, options.callbacks)) {
      this.log.debug("call cancelled by liveview:before-call", functionName);
      return Promise.resolve(cancelledAck(functionName));
    }
    this.sent.note(el);
    const revert = applyOptimistic(el, { doc: this.doc, log: this.log });
    const pending = trackLoading(el, this.tracked(this.callWithFiles(el, message)));
    if (revert) {
      pending.then((ack) => {
        if (!ack.ok) revert();
      }, revert);
    }
    // The loading state goes first, so an update held for this element lands on it as the server rendered it.
    // The locks release (and apply what they held) before the lifecycle's after-events: those see the page updated.
    return this.locks.track(el, pending).then((ack) => {
      afterCall(detail, ack, options.callbacks);
      return ack;
    });
  };

  /**
   * The server lost this tab's session: each `data-liveview-recover` form calls its handler with its values, in
   * document order, ahead of the calls made while the page was away. No files: uploads need the connection up.
   */
  private recoverForms(): void {
    for (const { form, handler } of recoverableForms(this.doc)) {
      this.log.debug("recover", handler);
      this.sent.note(form);
      const values = collectCall(form, { plainData: this.plainData });
      void this.call(this.message(handler, values.data, values.form, values.params));
    }
  }

  /**
   * Whether a reload would lose nothing the user did: no call waiting or unanswered, and no focused text field
   * whose value changed since the last call read it.
   */
  private readonly isIdle = (): boolean =>
    this.busy === 0 && this.connection.queueLength() === 0 && !this.sent.hasUnsentText(this.doc);

  /** Counts the call as busy until it settles, then lets a due reload look again. */
  private tracked(pending: Promise<CallAck>): Promise<CallAck> {
    this.busy++;
    return pending.finally(() => {
      this.busy--;
      this.versions.check();
    });
  }

  /** Uploads the files of the element's form (or of the element itself) first, then makes the call. */
  private async callWithFiles(el: Element, message: CallMessage): Promise<CallAck> {
    const inputs = findFileInputs(el).filter((input) => (input.files?.length ?? 0) > 0);
    if (inputs.length === 0) return this.send(message);
    try {
      message.uploads = await uploadInputs(inputs, this.connection, randomId, message.function);
    } catch (error) {
      const text = error instanceof UploadError ? error.message : `Upload interrupted: ${describe(error)}; please try again`;
      this.log.debug("upload failed", text);
      // A refusal already came from the server as an error update; a cut connection did not.
      if (!(error instanceof UploadError)) this.apply({ error: text, function: message.function });
      return { ok: false, error: text };
    }
    return this.send(message);
  }

  /** Adds a source of behaviour statistics (each page controller registers one); returns its removal. */
  addStatsSource(source: () => BehaviourStats): () => void {
    this.statsSources.add(source);
    return () => this.statsSources.delete(source);
  }

  getStats = (): BehaviourStats => {
    const total: BehaviourStats = { intersectionObservers: 0, observedElements: 0, keyboardMaps: 0, keydownListeners: 0, timers: 0 };
    for (const source of this.statsSources) {
      const stats = source();
      for (const key of Object.keys(total) as (keyof BehaviourStats)[]) total[key] += stats[key];
    }
    return total;
  };

  /** Applies an update from the server, unless it must wait for calls still in flight from the element it changes. */
  apply(update: Update): void {
    this.log.debug("update", update);
    this.locks.offer(update, () => this.findTarget(update));
  }

  private applyNow(update: Update): void {
    this.history.beforeUpdate(update);
    applyUpdate(update, { doc: this.doc, log: this.log, morph: this.morph, idiomorph: Idiomorph, onScripts: this.history.recordScripts });
    this.history.afterUpdate(update);
  }

  /** The update's target for the in-flight locks; applyUpdate reports a missing or invalid one. */
  private findTarget(update: Update): Element | null {
    return typeof update.target === "string" ? queryFirst(this.doc, update.target) : null;
  }

  connect = (): void => this.connection.connect();
  disconnect = (): void => this.connection.disconnect();
  sendData = (functionName: string, data: Record<string, JsonValue> = {}, form: Record<string, JsonValue> = {}) =>
    this.call(this.message(functionName, data, form));
  getConnectionStatus = (): ConnectionStatus => this.connection.status();
  getQueueLength = (): number => this.connection.queueLength();
  clearQueue = (): void => this.connection.clearQueue();
  getPendingCalls = (): number => this.busy;

  private onConnectionChange(lost: boolean, event: string, detail: object = {}): void {
    this.log.debug(event, detail);
    showConnectionBanner(this.doc, lost);
    // Follows the socket alone (not the browser's offline/online events), like Turbo's `connected` on a stream
    // source; set again by the server's ready, so a test that waits on it never races the ready's version or room.
    if (lost) this.doc.documentElement.toggleAttribute(ATTRIBUTES.connected, false);
    this.dispatch(event, detail);
  }

  private dispatch(name: string, detail: object): void {
    this.doc.dispatchEvent(new CustomEvent(name, { detail }));
  }
}

/** A signed room token is `name.signature`: the name is what the tab joins. */
const roomName = (token: string | undefined): string | null => (token ? token.split(".")[0] || null : null);

const hasKeys = (values: object): boolean => Object.keys(values).length > 0;

const describe = (error: unknown): string => (error instanceof Error ? error.message : String(error));
