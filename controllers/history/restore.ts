import { ATTRIBUTES } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import { cleanupTree } from "../dom/cleanup.js";
import { parseFragment } from "../dom/parse_fragment.js";
import { queryFirst } from "../dom/query.js";
import { extractScripts, runScripts } from "../dom/run_scripts.js";
import type { HistoryEntry } from "./journal.js";
import { isReplayable, restoreFieldValues, type ScriptMemory } from "./snapshot.js";

/** A region's selector came from an update: an invalid one finds nothing, like a missing element. */
export const findRegion = (doc: Document, selector: string): Element | null => queryFirst(doc, selector);

/** Puts each live permanent element in place of its copy in the fragment, so it keeps its DOM, values and listeners. */
function keepPermanents(fragment: DocumentFragment, region: Element): void {
  const doc = region.ownerDocument;
  for (const copy of Array.from(fragment.querySelectorAll(`[${ATTRIBUTES.permanent}][id]`))) {
    const live = doc.getElementById(copy.id);
    if (live && live.hasAttribute(ATTRIBUTES.permanent) && !live.contains(region)) copy.replaceWith(live);
  }
}

/**
 * Puts a journaled entry back: each region's content (with the live permanent elements moved in, the old content's
 * cleanups run first), its form values, then its scripts run again, bound to the region; then the title, `lang`
 * and the scroll position. A region whose element is not in the page, or lies in a region just restored, is skipped.
 *
 * ```ts
 * restoreEntry(entry, document, scripts, log);
 * ```
 */
export function restoreEntry(entry: HistoryEntry, doc: Document, scripts: ScriptMemory, log: Logger): void {
  const restored: Element[] = [];
  for (const region of entry.regions) {
    const el = findRegion(doc, region.target);
    if (!el || restored.some((done) => done.contains(el))) {
      if (!el) log.debug(`history: region "${region.target}" not in the page; skipped`);
      continue;
    }
    const fragment = parseFragment(region.html + region.scripts.join(""), doc);
    const replay = extractScripts(fragment).filter(isReplayable);
    keepPermanents(fragment, el);
    cleanupTree(el, log);
    el.replaceChildren(fragment);
    restoreFieldValues(el, region.values);
    scripts.record(el, replay, false);
    runScripts(replay, el, log);
    restored.push(el);
  }
  doc.title = entry.title;
  doc.documentElement.lang = entry.lang;
  doc.defaultView?.scrollTo({ top: entry.scrollY, left: 0, behavior: "instant" });
}
