import { DOM_EVENTS } from "../../protocol/index.js";
import type { Update } from "../../protocol/index.js";
import { queryFirst } from "./query.js";
import { updateActions } from "./update_actions.js";
import type { UpdateActionName, UpdateContext } from "./update_actions.js";

function resolveTarget(update: Update, ctx: UpdateContext): Element | null {
  const selector = update.target;
  if (typeof selector !== "string") return null;
  let invalid = false;
  // `target` is only ever a selector; an invalid one is treated as a missing target.
  const target = queryFirst(ctx.doc, selector, (error) => {
    invalid = true;
    ctx.log.debug(`invalid target selector "${selector}"; applying the rest of the update`, error);
  });
  if (!target && !invalid) ctx.log.debug(`target "${selector}" not found; applying the rest of the update`);
  return target;
}

/** The insertions an update may ask for instead of replacing the content, in the order they win a clash. */
const PLACEMENTS = ["outer", "append", "prepend", "before", "after"] as const;

/**
 * The DOM change an update asks of its target, if any: `remove` wins, then `outer`, `append`,
 * `prepend`, `before`, `after`; none of them replaces the content. A missing `html` changes nothing.
 */
function domAction(update: Update, target: Element | null): UpdateActionName | null {
  if (!target) return null;
  if (update.remove === true) return "remove";
  if (typeof update.html !== "string") return null;
  return PLACEMENTS.find((name) => update[name] === true) ?? "replace";
}

/** The actions an update calls for, in the order they run: DOM first, then commands, script, and `dispatch` last. */
function planActions(update: Update, target: Element | null): UpdateActionName[] {
  const dom = domAction(update, target);
  const names: UpdateActionName[] = dom ? [dom] : [];
  if (update.commands !== undefined) names.push("commands");
  if (typeof update.url === "string") names.push("url");
  if (typeof update.title === "string") names.push("title");
  if (typeof update.scroll === "string") names.push("scroll");
  const newPage = typeof update.url === "string" && dom !== null && dom !== "remove";
  if (update.scrollTop === true || (newPage && typeof update.scroll !== "string")) names.push("scrollTop");
  if (typeof update.script === "string") names.push("script");
  if (update.dispatch !== undefined) names.push("dispatch");
  return names;
}

function dispatch(doc: Document, on: EventTarget, type: string, update: Update): void {
  // The document's own CustomEvent: a test page's document (jsdom, in Node) is not the global one.
  const Event = doc.defaultView?.CustomEvent ?? CustomEvent;
  on.dispatchEvent(new Event(type, { bubbles: true, detail: update }));
}

/**
 * Applies one update from the server: replaces (or morphs) the target's content or the target itself,
 * inserts into or beside it, or removes it, applies its `commands`, then pushes the URL, sets the title,
 * scrolls, runs `script` and dispatches the update's own `dispatch` event, and finally dispatches `liveview:update` on the
 * target (or on the document when the target is gone or missing). An update with `error` also
 * dispatches `liveview:error` on the document. A missing target only skips the DOM change; nothing
 * here throws, and one failing action does not stop the others. Returns the target, or null.
 *
 * ```ts
 * applyUpdate({ target: "#list", html: "<li>new</li>", append: true }, { doc: document, log });
 * ```
 */
export function applyUpdate(update: Update, ctx: UpdateContext): Element | null {
  let target: Element | null = null;
  try {
    target = resolveTarget(update, ctx);
    for (const name of planActions(update, target)) {
      try {
        const replacement = updateActions[name](update, target, ctx);
        // `outer` put another element in the target's place: the rest of the update and its event follow it.
        if (replacement !== undefined) target = replacement;
      } catch (error) {
        ctx.log.error(`update action "${name}" failed`, error);
      }
    }
    if (update.error !== undefined && update.error !== null) {
      ctx.log.error("server error", update);
      dispatch(ctx.doc, ctx.doc, DOM_EVENTS.error, update);
    }
    dispatch(ctx.doc, target && target.isConnected ? target : ctx.doc, DOM_EVENTS.update, update);
  } catch (error) {
    ctx.log.error("could not apply update", update, error);
  }
  return target;
}
