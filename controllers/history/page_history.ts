import { ATTRIBUTES, DOM_EVENTS, type Update } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import { HistoryJournal, type HistoryEntry, type Region } from "./journal.js";
import { findRegion, restoreEntry } from "./restore.js";
import { captureRegion, ScriptMemory } from "./snapshot.js";

/** The key of `history.state` that holds an entry's index in the journal. */
const STATE_KEY = "liveview";

/** The updates of one call: what their targets held before, and the navigation they made, if any. */
interface Group {
  before: Map<string, Region>;
  /** The page as the group found it (the entry being left, if the group navigates). */
  title: string;
  lang: string;
  scrollY: number;
  url: string;
  /** Set by the first update with `url`: the entry being left and the one the group pushed. */
  left?: number;
  index?: number;
}

const indexOf = (state: unknown): number | null => {
  const index = (state as Record<string, unknown> | null)?.[STATE_KEY];
  return typeof index === "number" ? index : null;
};

const selectorsOf = (regions: Region[]): string[] => regions.map((region) => region.target);

/**
 * History restore: every call whose updates carry `url` journals, for the entry it leaves and the entry it pushes,
 * the regions its updates changed, so Back, Forward and `history.go(n)` put them back (with the URL, title, `lang`,
 * scroll position and form values) without asking the server. `<html data-liveview-history="false">` turns it off.
 * A lost or broken journal makes Back and Forward load the page instead.
 *
 * ```ts
 * history.callSent();
 * history.beforeUpdate(update); applyUpdate(update, { doc, log, onScripts: history.recordScripts }); history.afterUpdate(update);
 * history.callDone();
 * ```
 */
export class PageHistory {
  private readonly journal: HistoryJournal;
  private readonly scripts = new ScriptMemory();
  private current: number | null;
  private group: Group | null = null;
  private pending = 0;

  constructor(private readonly doc: Document, private readonly log: Logger, storage = () => sessionStorage) {
    this.journal = new HistoryJournal(storage, log);
    this.current = indexOf(this.win.history.state);
    this.win.addEventListener("popstate", this.onPopState);
  }

  private get win(): Window {
    return this.doc.defaultView!;
  }

  private enabled(): boolean {
    return this.doc.documentElement.getAttribute(ATTRIBUTES.history) !== "false";
  }

  callSent = (): void => void this.pending++;

  callDone = (): void => {
    this.pending = Math.max(0, this.pending - 1);
    if (!this.pending) this.close();
  };

  /** Keeps the scripts an update ran, to run them again when their region is restored. */
  recordScripts = (target: Element, scripts: HTMLScriptElement[], update: Update): void =>
    this.scripts.record(target, scripts, update.append === true);

  /** Before an update applies: what its target holds now, and an index for the entry its `url` leaves. */
  beforeUpdate(update: Update): void {
    if (!this.enabled()) return;
    // Outside any call an update is a group of its own: it can only navigate if it carries `url` itself, so a
    // broadcast feed (appends, a re-rendered table) costs no copy of its target.
    if (this.pending === 0 && this.group === null && typeof update.url !== "string") return;
    const { doc, win } = this;
    const group: Group = (this.group ??= { before: new Map(), title: doc.title, lang: doc.documentElement.lang, scrollY: win.scrollY, url: win.location.href });
    const { target } = update;
    if (typeof target === "string" && !group.before.has(target) && (typeof update.html === "string" || update.remove === true)) {
      const el = findRegion(doc, target);
      if (el) group.before.set(target, captureRegion(target, el, this.scripts));
    }
    if (typeof update.url === "string" && group.left === undefined) {
      group.left = this.current ?? this.setIndex(this.nextIndex());
      // The browser would restore the scroll position before the regions are back.
      win.history.scrollRestoration = "manual";
    }
  }

  /** After an update applied: the entry its `url` pushed gets its index; an update outside a call closes at once. */
  afterUpdate(update: Update): void {
    const group = this.group;
    if (!group) return;
    if (typeof update.url === "string" && group.left !== undefined && indexOf(this.win.history.state) === null) {
      group.index ??= this.nextIndex();
      this.current = this.setIndex(group.index);
    }
    if (!this.pending) this.close();
  }

  private nextIndex(): number {
    const stored = (this.journal.read() ?? []).map((entry) => entry.index);
    return Math.max(this.current ?? 0, this.group?.left ?? 0, ...stored) + 1;
  }

  private setIndex(index: number): number {
    const { history, location } = this.win;
    history.replaceState({ ...(history.state as object | null), [STATE_KEY]: index }, "", location.href);
    return index;
  }

  /** The regions named by `selectors` as they are now (those not in the page are left out). */
  private capture(selectors: Iterable<string>): Region[] {
    const regions: Region[] = [];
    for (const target of selectors) {
      const el = findRegion(this.doc, target);
      if (el) regions.push(captureRegion(target, el, this.scripts));
    }
    return regions;
  }

  private entryNow(index: number, selectors: Iterable<string>): HistoryEntry {
    const { doc, win } = this;
    const regions = this.capture(new Set(selectors));
    return { index, url: win.location.href, title: doc.title, lang: doc.documentElement.lang, scrollY: win.scrollY, regions };
  }

  /** Journals a group that navigated: the entry it left (as the group found it) and the entry it pushed. */
  private close(): void {
    const group = this.group;
    this.group = null;
    if (!group || group.left === undefined || group.index === undefined) return;
    const stored = this.journal.read() ?? [];
    // Entries after the one left were dropped from the session history by the push.
    const entries = stored.filter((entry) => entry.index < group.left!);
    const previous = stored.find((entry) => entry.index === group.left);
    const changed = [...group.before.values()];
    const others = selectorsOf(previous?.regions ?? []).filter((target) => !group.before.has(target));
    // Regions the group changed come first: a restore skips what lies inside a region it already restored.
    const left: HistoryEntry = { index: group.left, url: group.url, title: group.title, lang: group.lang, scrollY: group.scrollY, regions: [...changed, ...this.capture(others)] };
    // A region no navigation changed before looked the same in every older entry as it did just now.
    for (const entry of entries) {
      const known = new Set(selectorsOf(entry.regions));
      entry.regions.push(...changed.filter((region) => !known.has(region.target)));
    }
    entries.push(left, this.entryNow(group.index, [...group.before.keys(), ...others]));
    this.journal.write(entries);
  }

  private onPopState = (event: PopStateEvent): void => {
    const index = indexOf(event.state);
    if (!this.enabled() || index === null || index === this.current) return;
    const entries = this.journal.read();
    const entry = entries?.find((candidate) => candidate.index === index);
    const url = this.win.location.href;
    if (!entries || !entry || entry.url !== url) {
      this.log.debug("history entry not in the journal; loading the page", index);
      this.current = null;
      return this.win.location.reload();
    }
    // The entry being left keeps what the user sees now, for Forward (or Back) to it.
    const leaving = entries.findIndex((candidate) => candidate.index === this.current);
    if (leaving >= 0) {
      const selectors = [...selectorsOf(entries[leaving]!.regions), ...selectorsOf(entry.regions)];
      entries[leaving] = { ...this.entryNow(this.current!, selectors), url: entries[leaving]!.url };
      this.journal.write(entries);
    }
    this.group = null;
    this.current = index;
    restoreEntry(entry, this.doc, this.scripts, this.log);
    this.doc.dispatchEvent(new CustomEvent(DOM_EVENTS.historyRestored, { detail: { index, url } }));
  };
}
