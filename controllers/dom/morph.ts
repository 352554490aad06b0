import { ATTRIBUTES } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import { cleanupTree } from "./cleanup.js";
import { isElement, isTag } from "./elements.js";
import { isRunnableScript } from "./run_scripts.js";

/**
 * The part of idiomorph's API we use, handed in by whoever loaded it (the bundle imports it; a test page in Node
 * loads it itself). Declared here, not imported, so the published types need no idiomorph types to resolve.
 */
export interface IdiomorphApi {
  morph(
    target: Element,
    content: DocumentFragment,
    config: {
      morphStyle: "outerHTML" | "innerHTML";
      callbacks: {
        beforeNodeMorphed(old: Element, next: Node): boolean;
        beforeAttributeUpdated(name: string, element: Element, mutation: "update" | "remove"): boolean;
        beforeNodeRemoved(node: Element): boolean;
      };
    },
  ): unknown;
}

type Field = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

const isField = (node: Node): node is Field => isTag(node, "input") || isTag(node, "textarea") || isTag(node, "select");

/** The field the user is in: a morph leaves it exactly as it is, unless it opted into being patched. */
function focusedField(doc: Document): Field | null {
  const active = doc.activeElement;
  return active && isField(active) ? active : null;
}

/** Whether the page's or the server's copy of the focused field says it may be patched while focused. */
const mayPatch = (old: Node, next: Node): boolean =>
  (isElement(old) && old.hasAttribute(ATTRIBUTES.patchFocused)) || (isElement(next) && next.hasAttribute(ATTRIBUTES.patchFocused));

/** What tells two script elements apart: their type, source and code. */
const scriptKey = (script: Element): string =>
  `${script.getAttribute("type") ?? ""}\u0000${script.getAttribute("src") ?? ""}\u0000${script.textContent ?? ""}`;

/** The runnable scripts of `fragment` that `scope` does not already hold: new or changed ones, each run once. */
function newScripts(fragment: DocumentFragment, scope: Element[]): HTMLScriptElement[] {
  const old = new Map<string, number>();
  for (const root of scope) {
    const scripts = isTag(root, "script") ? [root] : Array.from(root.querySelectorAll("script"));
    for (const script of scripts) old.set(scriptKey(script), (old.get(scriptKey(script)) ?? 0) + 1);
  }
  const fresh: HTMLScriptElement[] = [];
  for (const script of Array.from(fragment.querySelectorAll("script")).filter(isRunnableScript)) {
    const key = scriptKey(script);
    const left = old.get(key) ?? 0;
    if (left > 0) old.set(key, left - 1);
    else fresh.push(script);
  }
  return fresh;
}

/**
 * Keeps the caret and selection of a focused field the morph was allowed to patch: where they were,
 * or at the end when they were at the end (as while typing), within the new value.
 */
function keepSelection(field: Field | null): () => void {
  if (!(isTag(field, "input") || isTag(field, "textarea"))) return () => {};
  const before = field.value.length;
  let start: number | null = null;
  let end: number | null = null;
  try {
    ({ selectionStart: start, selectionEnd: end } = field);
  } catch {
    return () => {}; // a type without a selection (checkbox, number)
  }
  return () => {
    if (start === null || end === null || field.ownerDocument.activeElement !== field) return;
    const length = field.value.length;
    const place = (at: number) => (at === before ? length : Math.min(at, length));
    try {
      field.setSelectionRange(place(start), place(end));
    } catch {
      // the type changed to one without a selection
    }
  };
}

export interface MorphOptions {
  outer: boolean;
  log: Logger;
  idiomorph: IdiomorphApi;
  /** Runs the scripts the morph brought (the page runs them; a test page records them). */
  runScripts: (scripts: HTMLScriptElement[], target: Element, log: Logger) => void;
  onScripts?: (target: Element, scripts: HTMLScriptElement[]) => void;
}

/**
 * Morphs the target's children (or, with `outer`, the target itself) into the fragment with idiomorph,
 * so what the page holds on kept elements survives: focus, caret and selection, scroll positions,
 * playing media, open `<details>`, connected Stimulus controllers. The field the user is in is never
 * patched (unless it carries `data-liveview-patch-focused`), `data-liveview-ignore` subtrees are never
 * changed, removed elements run their `__cleanup` first, and scripts of the fragment that are new or
 * changed run once after the morph, bound to `scriptTarget`. Returns the element that stands for the
 * target afterwards (the target, or with `outer` what replaced it).
 *
 * ```ts
 * morph(form, parseFragment(html, document), { outer: false, log, idiomorph: Idiomorph, runScripts });
 * ```
 */
export function morph(
  target: Element,
  fragment: DocumentFragment,
  options: MorphOptions,
): Element | null {
  const doc = target.ownerDocument;
  const scripts = newScripts(fragment, options.outer ? [target] : Array.from(target.children));
  const focused = focusedField(doc);
  const restoreSelection = keepSelection(focused);
  const parent = target.parentNode;
  const next = target.nextSibling;
  const previous = target.previousSibling;
  options.idiomorph.morph(target, fragment, {
    morphStyle: options.outer ? "outerHTML" : "innerHTML",
    callbacks: {
      beforeNodeMorphed: (old, next) =>
        (old !== focused || mayPatch(old, next)) && !(isElement(old) && old.hasAttribute(ATTRIBUTES.ignore)),
      // Whether a <details> is open is the user's to decide, as with a field's value.
      beforeAttributeUpdated: (name, el) => !(name === "open" && isTag(el, "details")),
      beforeNodeRemoved: (node) => {
        if (isElement(node)) cleanupTree(node, options.log);
        return true;
      },
    },
  });
  restoreSelection();
  let result: Element | null = target;
  if (options.outer && !target.isConnected) {
    // What now stands between the target's old neighbours is what replaced it.
    let node = previous ? previous.nextSibling : parent?.firstChild ?? null;
    result = null;
    while (node && node !== next && !result) {
      if (isElement(node)) result = node;
      node = node.nextSibling;
    }
  }
  const scriptTarget = result ?? target;
  if (scripts.length > 0) {
    options.runScripts(scripts, scriptTarget, options.log);
    options.onScripts?.(scriptTarget, scripts);
  }
  return result;
}
