import type { Update } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import { cleanupTree } from "./cleanup.js";
import { morph, type IdiomorphApi } from "./morph.js";
import { applyCommands } from "./commands.js";
import { parseFragment } from "./parse_fragment.js";
import { queryFirst } from "./query.js";
import { extractScripts, runCode, runScripts } from "./run_scripts.js";
import { sameOriginUrl } from "./same_origin_url.js";

/** How an update's scripts run: the page runs them (run_scripts.ts); a test page records them instead. */
export interface ScriptRunner {
  /** The `<script>` elements an update's HTML brought, after the HTML is in place. */
  runScripts(scripts: HTMLScriptElement[], target: Element, log: Logger): void;
  /** An update's `script`, bound to its target. */
  runCode(code: string, target: Element | null, log: Logger): void;
}

const PAGE_SCRIPTS: ScriptRunner = { runScripts, runCode };

/** What every update action needs besides the update itself. */
export interface UpdateContext {
  doc: Document;
  log: Logger;
  /** The page's default for updates that do not say `morph` (`webSocketConfig.morph`). */
  morph?: boolean;
  /** idiomorph, for updates that morph; without it they replace. */
  idiomorph?: IdiomorphApi;
  /** Default: run them in the page. */
  scripts?: ScriptRunner;
  /** Told of the scripts an update ran in its target (history restore runs them again). */
  onScripts?: (target: Element, scripts: HTMLScriptElement[], update: Update) => void;
  /** Told of each event an update's `dispatch` sent, with where it went (a test page records them). */
  onDispatch?: (event: CustomEvent, on: EventTarget) => void;
}

/**
 * One named effect of an update; `target` is the resolved `update.target` (null when absent or missing).
 * An action that puts another element in the target's place returns it, so the update's event goes there.
 */
export type UpdateAction = (update: Update, target: Element | null, ctx: UpdateContext) => Element | null | void;

/** Parses the update's HTML, lets `insert` put it in place, then runs its scripts bound to the target. */
function insertHtml(
  update: Update,
  target: Element | null,
  ctx: UpdateContext,
  insert: (target: Element, fragment: DocumentFragment) => void,
): void {
  if (!target || typeof update.html !== "string") return;
  const fragment = parseFragment(update.html, ctx.doc);
  const scripts = extractScripts(fragment);
  insert(target, fragment);
  (ctx.scripts ?? PAGE_SCRIPTS).runScripts(scripts, target, ctx.log);
  ctx.onScripts?.(target, scripts, update);
}

/** Whether this update morphs: its own `morph` key, else the page's default (and only when idiomorph is there). */
const morphs = (update: Update, ctx: UpdateContext): ctx is UpdateContext & { idiomorph: IdiomorphApi } =>
  ctx.idiomorph !== undefined && (typeof update.morph === "boolean" ? update.morph : ctx.morph === true);

/** The morph options of an update: idiomorph and the script runner from the context. */
const morphOptions = (update: Update, ctx: UpdateContext & { idiomorph: IdiomorphApi }, outer: boolean) => ({
  outer,
  log: ctx.log,
  idiomorph: ctx.idiomorph,
  runScripts: (ctx.scripts ?? PAGE_SCRIPTS).runScripts,
  onScripts: (el: Element, scripts: HTMLScriptElement[]) => ctx.onScripts?.(el, scripts, update),
});

/** The first element of a fragment, before it is inserted (afterwards the fragment is empty). */
const firstElement = (fragment: DocumentFragment): Element | null => fragment.firstElementChild;

/** `scroll` is only ever a selector: an invalid one is a debug message, like a missing element. */
const findElement = (selector: string, ctx: UpdateContext): Element | null =>
  queryFirst(ctx.doc, selector, (error) => ctx.log.debug(`invalid scroll selector "${selector}"; not scrolling`, error));

/**
 * The effects an update can have, by name, in the style of Turbo's stream actions; `applyUpdate`
 * decides which ones an update calls for and runs them in order.
 *
 * ```ts
 * updateActions.title({ title: "Inbox (3)" }, null, { doc: document, log });
 * ```
 */
export const updateActions = {
  /** Replaces (or morphs) the target's content, after running the cleanups of what it replaces. */
  replace: (update, target, ctx) => {
    if (target && typeof update.html === "string" && morphs(update, ctx)) {
      morph(target, parseFragment(update.html, ctx.doc), morphOptions(update, ctx, false));
      return;
    }
    insertHtml(update, target, ctx, (el, fragment) => {
      cleanupTree(el, ctx.log);
      el.replaceChildren(fragment);
    });
  },

  /** Replaces (or morphs) the target element itself; returns what stands in its place. */
  outer: (update, target, ctx) => {
    if (!target || typeof update.html !== "string") return null;
    if (morphs(update, ctx)) return morph(target, parseFragment(update.html, ctx.doc), morphOptions(update, ctx, true));
    const fragment = parseFragment(update.html, ctx.doc);
    const scripts = extractScripts(fragment);
    const replacement = firstElement(fragment);
    cleanupTree(target, ctx.log);
    target.replaceWith(fragment);
    (ctx.scripts ?? PAGE_SCRIPTS).runScripts(scripts, replacement ?? ctx.doc.documentElement, ctx.log);
    if (replacement) ctx.onScripts?.(replacement, scripts, update);
    return replacement;
  },

  /** Inserts the HTML at the end of the target. */
  append: (update, target, ctx) => insertHtml(update, target, ctx, (el, fragment) => el.append(fragment)),

  /** Inserts the HTML at the start of the target. */
  prepend: (update, target, ctx) => insertHtml(update, target, ctx, (el, fragment) => el.prepend(fragment)),

  /** Inserts the HTML as the target's previous siblings. */
  before: (update, target, ctx) => insertHtml(update, target, ctx, (el, fragment) => el.before(fragment)),

  /** Inserts the HTML as the target's next siblings. */
  after: (update, target, ctx) => insertHtml(update, target, ctx, (el, fragment) => el.after(fragment)),

  /** Removes the target, after running its cleanups. */
  remove: (_update, target, ctx) => {
    if (!target) return;
    cleanupTree(target, ctx.log);
    target.remove();
  },

  /** Applies `update.commands` (classes, `hidden`, attributes, text) to the elements their targets match. */
  commands: (update, _target, ctx) => applyCommands(update.commands, ctx.doc, ctx.log),

  /** Pushes `update.url` when it is a same-origin http(s) URL; anything else is refused with a debug message. */
  url: (update, _target, ctx) => {
    if (typeof update.url !== "string") return;
    const url = sameOriginUrl(update.url, ctx.doc);
    if (!url) return ctx.log.debug(`url "${update.url}" refused: not a same-origin http(s) URL`);
    ctx.doc.defaultView?.history.pushState({}, "", url.href);
  },

  title: (update, _target, ctx) => {
    if (typeof update.title === "string") ctx.doc.title = update.title;
  },

  /** Smooth-scrolls to the element matching `update.scroll`; a missing element is ignored. */
  scroll: (update, _target, ctx) => {
    if (typeof update.scroll !== "string") return;
    const el = findElement(update.scroll, ctx);
    if (el && typeof el.scrollIntoView === "function") el.scrollIntoView({ behavior: "smooth", block: "start" });
  },

  scrollTop: (_update, _target, ctx) => {
    const win = ctx.doc.defaultView;
    if (win && typeof win.scrollTo === "function") win.scrollTo({ top: 0, behavior: "smooth" });
  },

  /** Runs `update.script` after the DOM update, with `el` and `this` bound to the target. */
  script: (update, target, ctx) => {
    if (typeof update.script === "string") (ctx.scripts ?? PAGE_SCRIPTS).runCode(update.script, target, ctx.log);
  },

  /**
   * Dispatches `update.dispatch` as a bubbling CustomEvent with `update.detail`: on the target while it is in the
   * page, else on `window` (no target, a missing one, or one the update removed). No code runs: strict-CSP safe.
   */
  dispatch: (update, target, ctx) => {
    const name = update.dispatch;
    const view = ctx.doc.defaultView;
    if (typeof name !== "string" || name === "" || !view) return;
    const on: EventTarget = target && target.isConnected ? target : view;
    // The page's own CustomEvent: a test page's window (jsdom, in Node) is not the global one.
    const event = new view.CustomEvent(name, { bubbles: true, detail: update.detail ?? null });
    on.dispatchEvent(event);
    ctx.onDispatch?.(event, on);
  },
} satisfies Record<string, UpdateAction>;

export type UpdateActionName = keyof typeof updateActions;
