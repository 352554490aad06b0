/// <reference lib="dom" />
import type { IncomingHttpHeaders } from "node:http";
import { ATTRIBUTES, LIVEVIEW_EVENT, type CallAck, type CallMessage, type JsonValue, type Update } from "../protocol/index.js";
import { CallTiming, readMs } from "../controllers/behaviours/timing.js";
import { createLogger, type Logger } from "../controllers/debug.js";
import { applyUpdate } from "../controllers/dom/apply_update.js";
import { collectCall } from "../controllers/dom/collect_call.js";
import { afterCall, beforeCall, cancelledAck } from "../controllers/calls/call_lifecycle.js";
import { isElement, isTag } from "../controllers/dom/elements.js";
import { InFlightLocks } from "../controllers/dom/inflight_locks.js";
import { applyOptimistic } from "../controllers/dom/optimistic.js";
import { queryFirst } from "../controllers/dom/query.js";
import { preventsDefault } from "../controllers/dom/run_defaults.js";
import type { ScriptRunner } from "../controllers/dom/update_actions.js";
import { randomId } from "../controllers/room.js";
import { createCallReceiver, type CallReceiver } from "../server/calls/dispatch.js";
import { createConsumer } from "../server/handlers/consumer.js";
import { liveviewRegistry, type LiveViewRegistry } from "../server/handlers/registry.js";
import { resolveCallLimits, type CallLimitOptions } from "../server/security/call_limits.js";
import type { Consumer, ErrorHook, Middleware } from "../server/types.js";
import { DEFAULT_MAX_PAYLOAD_BYTES } from "../server/create_liveview.js";
import { listensFor, parseActions } from "./actions.js";
import { PageClock } from "./page_clock.js";
import { renderRoute, type RouteSource } from "./render_route.js";
import { TestHub } from "./test_hub.js";
import { createWindow, idiomorphFor } from "./test_dom.js";
import type { IdiomorphApi } from "../controllers/dom/morph.js";
import { TestSocket } from "./test_socket.js";

export interface TestPageOptions {
  /** Where the handlers come from. Default: the process-wide `liveviewRegistry`. */
  registry?: LiveViewRegistry;
  /** Middleware for this page only, run before the registry's own (which always runs, as in production). */
  middleware?: Middleware[];
  /** `consumer.scope.session`. Default null. */
  session?: unknown;
  /** `consumer.scope.user`. Default null. */
  user?: unknown;
  /** The room the page joins. Default: the name in the HTML's `<html data-room>`, else a room of its own. */
  room?: string;
  /** The page's HTML (a rendered page or a fragment). Default: an empty page. */
  html?: string;
  /** The page's URL. Default http://localhost/ (or the route's, with testPage.render). */
  url?: string;
  /** `consumer.scope.headers`. */
  headers?: IncomingHttpHeaders;
  /** Pages of one hub see each other's broadcasts and room sends. Default: `testPage.hub`. */
  hub?: TestHub;
  /** As createLiveView's `onError`. */
  onError?: ErrorHook;
  /** As createLiveView's call limits. `rateLimit` defaults to false here (a test's calls come faster than any user's). */
  limits?: CallLimitOptions;
  /** Morph updates that do not say `morph`, as `webSocketConfig.morph` does. Default false. */
  morph?: boolean;
  /** Print what the browser side would print with debug on. Default false. */
  debug?: boolean;
  /** Send plain `data-*` attributes in `data` too, as `connectLiveView({ plainData: true })` does. Default false. */
  plainData?: boolean;
}

/** An event an update's `dispatch` sent. */
export interface RecordedDispatch {
  name: string;
  detail: unknown;
  /** The element it was dispatched on, or null for `window`. */
  target: Element | null;
}

/** A script an update brought or asked for: recorded, never run. */
export interface RecordedScript {
  code: string;
  /** A `<script src>`'s URL, else null. */
  src: string | null;
  /** The element it would have been bound to (`el`). */
  target: Element | null;
}

/** The events a test page fires and acts on: what `page#run` is written for in practice. */
const HANDLED_EVENTS = ["click", "input", "change", "submit"] as const;

type Ack = (ack: CallAck) => void;

const roomOfHtml = (doc: Document): string | null => {
  const token = doc.documentElement.getAttribute("data-room");
  return token ? token.split(".")[0] || null : null;
};

/**
 * A page of the app with its handlers, in the test's process: no socket, no browser. Calls go through the
 * production dispatcher (validation, middleware, the call ledger, errors) and the updates they send are
 * applied to the page's DOM with the browser's own code (replace, append, remove, morph, url, title, commands).
 * Scripts are recorded in `scripts`, never run.
 */
export class TestPage {
  /** Every update the page received, in order. */
  readonly updates: Update[] = [];
  /** The updates that came as a broadcast or a room send (sent to many tabs), in order. */
  readonly broadcasts: Update[] = [];
  /** The error updates the page received: each with `code`, `error` and, for invalid input, `fields`. */
  readonly errors: Update[] = [];
  /** The scripts updates brought, in order. */
  readonly scripts: RecordedScript[] = [];
  /** The events updates dispatched (`dispatch`), in order; they are dispatched in the page's DOM too. */
  readonly dispatches: RecordedDispatch[] = [];
  /** What jsdom could not do for the page (a form's navigation, layout): recorded, not printed. */
  readonly domErrors: string[] = [];
  readonly window: Window & typeof globalThis;
  readonly document: Document;
  /** The tab as handlers see it. */
  readonly consumer: Consumer;
  readonly room: string;
  readonly hub: TestHub;
  private readonly socket: TestSocket;
  private readonly receiver: CallReceiver;
  private readonly log: Logger;
  private readonly clock = new PageClock();
  private readonly timing: CallTiming;
  private readonly locks: InFlightLocks;
  private readonly morph: boolean;
  private readonly plainData: boolean;
  private readonly inFlight = new Set<Promise<CallAck>>();
  private readonly recorder: ScriptRunner;
  private idiomorph: IdiomorphApi | null = null;

  constructor(options: TestPageOptions = {}) {
    this.log = createLogger(options.debug === true);
    this.window = createWindow(options.html ?? "<!doctype html><html><head></head><body></body></html>", options.url ?? "http://localhost/", (message) =>
      this.domErrors.push(message),
    );
    this.document = this.window.document;
    this.morph = options.morph === true;
    this.plainData = options.plainData === true;
    this.hub = options.hub ?? defaultHub;
    this.room = options.room ?? roomOfHtml(this.document) ?? `test-${randomId()}`;
    this.timing = new CallTiming(this.clock);
    this.locks = new InFlightLocks((update) => this.applyNow(update));
    this.recorder = {
      runScripts: (scripts, target) => {
        for (const script of scripts) this.scripts.push({ code: script.textContent ?? "", src: script.getAttribute("src"), target });
      },
      runCode: (code, target) => void this.scripts.push({ code, src: null, target }),
    };
    this.socket = new TestSocket(this.hub, (event, args, broadcast) => this.receive(event, args, broadcast), options.headers ?? {}, randomId());
    void this.socket.join(this.room);
    this.consumer = createConsumer(this.socket.asSocket(), this.room, options.user ?? null, options.session ?? null);
    this.hub.add(this.socket, options.user ?? null);
    const limits = resolveCallLimits({ rateLimit: false, ...options.limits });
    this.receiver = createCallReceiver(this.consumer, {
      registry: options.registry ?? liveviewRegistry,
      ledger: this.hub.ledger,
      uploads: this.hub.uploads,
      shutdown: this.hub.shutdown,
      maxPayloadBytes: DEFAULT_MAX_PAYLOAD_BYTES,
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.middleware ? { tabMiddleware: [...options.middleware] } : {}),
      ...limits,
    });
    for (const type of HANDLED_EVENTS) this.window.addEventListener(type, this.onEvent, true);
  }

  /** The page's URL now (after any update's `url`). */
  get url(): string {
    return this.window.location.href;
  }

  get title(): string {
    return this.document.title;
  }

  /** The first element matching `selector`; an error naming it when none does. */
  find(selector: string): Element {
    const el = queryFirst(this.document, selector, (error) => {
      throw new Error(`Invalid selector "${selector}": ${error instanceof Error ? error.message : String(error)}`);
    });
    if (!el) throw new Error(`No element matches "${selector}"`);
    return el;
  }

  /** The inner HTML of the first match, or the whole page's HTML without a selector. */
  html(selector?: string): string {
    return selector === undefined ? this.document.documentElement.outerHTML : this.find(selector).innerHTML;
  }

  /** The text of the first match, with runs of white space made one space and trimmed. */
  text(selector: string): string {
    return (this.find(selector).textContent ?? "").replace(/\s+/g, " ").trim();
  }

  exists(selector: string): boolean {
    return this.document.querySelector(selector) !== null;
  }

  /** Clicks the element as a user would: its click actions run, a checkbox toggles, a submit button submits. */
  click(selector: string): Promise<CallAck[]> {
    const el = this.find(selector) as HTMLElement;
    return this.during(() => {
      if (typeof el.focus === "function") el.focus();
      el.click();
      this.settleRadioGroup(el);
    });
  }

  /**
   * Sets a field as a user would and fires its `input` and `change` actions: a string for text fields, selects
   * and textareas; a boolean for a checkbox or radio; a list for a `<select multiple>`.
   */
  input(selector: string, value: string | boolean | string[]): Promise<CallAck[]> {
    const el = this.find(selector);
    return this.during(() => {
      if (isTag(el, "input") && (el.type === "checkbox" || el.type === "radio")) {
        if (typeof value !== "boolean") throw new TypeError(`"${selector}" is a ${el.type}: give input() true or false`);
        el.focus();
        if (el.checked !== value) el.click(); // toggles, then fires input and change, as a browser does
        this.settleRadioGroup(el);
        return;
      }
      if (!isTag(el, "input") && !isTag(el, "textarea") && !isTag(el, "select")) throw new TypeError(`"${selector}" is not a form field`);
      if (typeof value === "boolean") throw new TypeError(`"${selector}" is not a checkbox: give input() a string`);
      el.focus();
      if (isTag(el, "select") && Array.isArray(value)) {
        for (const option of Array.from(el.options)) option.selected = value.includes(option.value);
      } else el.value = Array.isArray(value) ? value.join(",") : value;
      el.dispatchEvent(new this.window.Event("input", { bubbles: true }));
      el.dispatchEvent(new this.window.Event("change", { bubbles: true }));
    });
  }

  /** Submits a form (or the form of the element), firing its submit actions. */
  submit(selector: string): Promise<CallAck[]> {
    const el = this.find(selector);
    const form = isTag(el, "form") ? el : el.closest("form");
    if (!form) throw new Error(`"${selector}" is neither a form nor inside one`);
    return this.during(() => void form.dispatchEvent(new this.window.Event("submit", { bubbles: true, cancelable: true })));
  }

  /** Calls a handler directly, as `LiveView.sendData` does, and resolves with its ack. */
  call(functionName: string, content: { data?: Record<string, JsonValue>; form?: Record<string, JsonValue>; params?: Record<string, JsonValue> } = {}): Promise<CallAck> {
    return this.send(this.message(functionName, content.data ?? {}, content.form ?? {}, content.params));
  }

  /**
   * Moves the page's clock on by `ms` (debounce, throttle; jest's fake timers too when installed) and waits for
   * the calls that fired.
   */
  advance(ms: number): Promise<CallAck[]> {
    return this.during(() => this.clock.advance(ms));
  }

  /** Waits until no call of this page is in flight. */
  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** The tab goes away: `disconnect` listeners of handlers run, the page leaves its rooms. */
  close(): void {
    this.timing.cancelAll();
    this.socket.disconnect();
    this.window.close();
  }

  /**
   * jsdom leaves a radio linked to the form with `form="..."` checked when another of its group is picked: a
   * browser unchecks every other radio of the group (same name, same form owner), wherever it stands.
   */
  private settleRadioGroup(el: Element): void {
    if (!isTag(el, "input") || el.type !== "radio" || !el.checked || el.name === "") return;
    for (const other of Array.from(this.document.querySelectorAll("input[type=radio]"))) {
      if (other !== el && isTag(other, "input") && other.name === el.name && other.form === el.form) other.checked = false;
    }
  }

  /** Runs `fire`, then waits for the calls it made (in order) and returns their acks. */
  private async during(fire: () => void): Promise<CallAck[]> {
    const before = new Set(this.inFlight);
    fire();
    const started = [...this.inFlight].filter((pending) => !before.has(pending));
    return Promise.all(started);
  }

  private message(functionName: string, data: Record<string, JsonValue>, form: Record<string, JsonValue>, params?: Record<string, JsonValue>): CallMessage {
    const message: CallMessage = { id: randomId(), function: functionName, data, form, lang: this.document.documentElement.lang || null, room: this.room };
    if (params && Object.keys(params).length > 0) message.params = params;
    return message;
  }

  /** What the wire does to a call: JSON there, the server's parser's size, the dispatcher's ack. */
  private send(message: CallMessage): Promise<CallAck> {
    const json = JSON.stringify(message);
    const pending = new Promise<CallAck>((resolve) => {
      const ack: Ack = (value) => resolve(JSON.parse(JSON.stringify(value)) as CallAck);
      this.receiver.onCall(JSON.parse(json) as unknown, ack, Buffer.byteLength(json));
    });
    this.inFlight.add(pending);
    void pending.then(() => this.inFlight.delete(pending));
    return pending;
  }

  /**
   * A call from an element, as the page controller makes it: its data, form and params now (the browser's own
   * collection code), its lifecycle events, its optimistic commands.
   */
  private callFrom(el: Element, functionName: string, identifier: string, submitter: Element | null): Promise<CallAck> {
    const { data, form, params } = collectCall(el, { identifier, submitter, plainData: this.plainData });
    const message = this.message(functionName, data, form, params);
    const detail = { functionName, id: message.id, element: el };
    if (!beforeCall(detail)) return Promise.resolve(cancelledAck(functionName));
    const revert = applyOptimistic(el, { doc: this.document, log: this.log });
    const pending = this.send(message);
    if (revert) void pending.then((ack) => (ack.ok ? undefined : revert()));
    void this.locks.track(el, pending).then((ack) => afterCall(detail, ack));
    return pending;
  }

  /** `page#run` on `el`: the default it stops, then the call (debounced or throttled as the element says). */
  private run(event: Event, el: Element, identifier: string): void {
    if (preventsDefault(event.type, el)) event.preventDefault();
    const name = el.getAttribute(ATTRIBUTES.function);
    if (!name) return this.log.debug(`${ATTRIBUTES.function} is missing on`, el);
    const submitter = (event as Partial<SubmitEvent>).submitter ?? null;
    const fire = () => void this.callFrom(el, name, identifier, submitter);
    const debounce = readMs(el, ATTRIBUTES.debounce);
    const throttle = readMs(el, ATTRIBUTES.throttle);
    if (debounce !== null) this.timing.debounce(el, debounce, fire);
    else if (throttle !== null) this.timing.throttle(el, throttle, fire);
    else fire();
  }

  /** The page's `data-action`s for one event, walked from the target outwards as the event bubbles. */
  private readonly onEvent = (event: Event): void => {
    const path = event.composedPath();
    let stopped = false;
    for (const node of path) {
      if (!isElement(node) || !node.hasAttribute("data-action")) continue;
      for (const descriptor of parseActions(node.getAttribute("data-action") ?? "")) {
        if (descriptor.identifier !== "page" || descriptor.on !== "element" || !listensFor(descriptor, node, event.type)) continue;
        if (descriptor.method === "run") this.run(event, node, descriptor.identifier);
        else if (descriptor.method === "stop") stopped = true;
      }
      if (stopped) return;
    }
    for (const node of Array.from(this.document.querySelectorAll("[data-action*='@window'],[data-action*='@document']"))) {
      for (const descriptor of parseActions(node.getAttribute("data-action") ?? "")) {
        if (descriptor.identifier === "page" && descriptor.on !== "element" && descriptor.method === "run" && listensFor(descriptor, node, event.type)) {
          this.run(event, node, descriptor.identifier);
        }
      }
    }
  };

  private receive(event: string, args: unknown[], broadcast: boolean): void {
    if (event !== LIVEVIEW_EVENT) return;
    const update = JSON.parse(JSON.stringify(args[0] ?? null)) as Update | null;
    if (typeof update !== "object" || update === null) return;
    this.updates.push(update);
    if (broadcast) this.broadcasts.push(update);
    if (update.error !== undefined && update.error !== null) this.errors.push(update);
    this.locks.offer(update, () => (typeof update.target === "string" ? queryFirst(this.document, update.target) : null));
  }

  private applyNow(update: Update): void {
    this.idiomorph ??= idiomorphFor(this.window);
    applyUpdate(update, {
      doc: this.document,
      log: this.log,
      morph: this.morph,
      idiomorph: this.idiomorph,
      scripts: this.recorder,
      onDispatch: (event, on) => void this.dispatches.push({ name: event.type, detail: event.detail, target: isElement(on) ? on : null }),
    });
  }
}

const defaultHub = new TestHub();

export interface TestPageFactory {
  (options?: TestPageOptions): Promise<TestPage>;
  /**
   * GETs `path` of an Express app (its own port for the request) and makes a page of the HTML it answers, at
   * that URL. `options.headers` go with the request (a session cookie) and become the page's headers.
   */
  render(app: RouteSource, path: string, options?: TestPageOptions): Promise<TestPage>;
  /** The hub pages share unless given another: pass it where a handler wants the LiveView (broadcast, sendToRoom). */
  hub: TestHub;
}

/**
 * Makes a test page: the app's handlers run in this process, against a DOM of the page.
 *
 * ```ts
 * const page = await testPage({ html: '<input name="name"><button data-liveview-function="say_hello" data-action="click->page#run">Hi</button><p id="greeting"></p>' });
 * await page.input("[name=name]", "Ada");
 * await page.click("button");
 * expect(page.text("#greeting")).toBe("Hello, Ada!");
 * ```
 */
export const testPage: TestPageFactory = Object.assign(async (options: TestPageOptions = {}) => new TestPage(options), {
  render: async (app: RouteSource, path: string, options: TestPageOptions = {}) => {
    const rendered = await renderRoute(app, path, options.headers);
    return new TestPage({ url: rendered.url, ...options, html: rendered.html });
  },
  hub: defaultHub,
});
