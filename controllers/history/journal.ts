import { HISTORY_LIMIT, STORAGE_KEYS } from "../../protocol/index.js";
import type { Logger } from "../debug.js";

/** What one form control held: its text, whether it is checked, or the indexes of its selected options; null = not kept. */
export type FieldValue = string | boolean | number[] | null;

/** One part of the page as it was: the selector, its content, the scripts to run again and its controls' values. */
export interface Region {
  target: string;
  html: string;
  /** `<script>` elements (outer HTML) that ran in the region and run again when it is restored. */
  scripts: string[];
  /** The values of the region's inputs, textareas and selects, in document order. */
  values: FieldValue[];
}

/** One history entry of this tab: what Back or Forward puts back without asking the server. */
export interface HistoryEntry {
  index: number;
  url: string;
  title: string;
  lang: string;
  scrollY: number;
  regions: Region[];
}

const isString = (value: unknown): value is string => typeof value === "string";

const isRegion = (region: Region): boolean =>
  !!region && isString(region.target) && isString(region.html) && Array.isArray(region.scripts) &&
  region.scripts.every(isString) && Array.isArray(region.values);

const isEntry = (entry: HistoryEntry): boolean =>
  !!entry && typeof entry.index === "number" && isString(entry.url) && isString(entry.title) &&
  isString(entry.lang) && typeof entry.scrollY === "number" && Array.isArray(entry.regions) && entry.regions.every(isRegion);

/**
 * The history entries of one tab, kept in `sessionStorage` so they survive a reload: at most `limit` of them (the
 * oldest, by index, go first). A journal that is missing reads as empty; one that is not the JSON we wrote reads as
 * null. Storage that refuses a write (quota, privacy mode) ends journaling for this page load, with a debug message.
 *
 * ```ts
 * const journal = new HistoryJournal(() => sessionStorage, log);
 * journal.write([...(journal.read() ?? []), entry]);
 * journal.read()?.find((e) => e.index === 3);
 * ```
 */
export class HistoryJournal {
  private refused = false;

  constructor(
    private readonly storage: () => Storage,
    private readonly log: Logger,
    private readonly limit = HISTORY_LIMIT,
  ) {}

  /** The stored entries, oldest first; [] when nothing is stored, null when what is stored is not a journal. */
  read(): HistoryEntry[] | null {
    try {
      const entries = JSON.parse(this.storage().getItem(STORAGE_KEYS.history) ?? "[]") as HistoryEntry[];
      if (Array.isArray(entries) && entries.every(isEntry)) return entries;
      this.log.debug("history journal is not valid");
    } catch (error) {
      this.log.debug("history journal could not be read", error);
    }
    return null;
  }

  /** Stores these entries, the newest `limit` of them by index; returns false when storage refused. */
  write(entries: HistoryEntry[]): boolean {
    if (this.refused) return false;
    const kept = [...entries].sort((a, b) => a.index - b.index).slice(-this.limit);
    try {
      this.storage().setItem(STORAGE_KEYS.history, JSON.stringify(kept));
      return true;
    } catch (error) {
      this.refused = true;
      this.log.debug("history journal not stored; Back and Forward will load the page", error);
      return false;
    }
  }
}
