import { randomBytes } from "node:crypto";
import type { CallAck } from "../../protocol/index.js";
import { CallIdTable, EMPTY } from "./call_id_table.js";

/** What a ledger says of a call id: run it (first time), or answer with the first run's ack. */
export type Claim = { first: true } | { first: false; ack: Promise<CallAck> };

/**
 * Remembers recent call ids per tab so a call the client resent after a reconnection runs once: the duplicate
 * gets the first run's ack (waiting for it if the first run is still going).
 *
 * `scope` names the tab the call came from within its room (`ledgerScope(room, tab)`): since step 8 the ids of
 * each tab are kept and bounded apart, so one tab's calls never push out another's. (Before, it was the room;
 * a custom ledger written then keeps working, it just sees finer scopes.) The in-memory ledger serves one
 * process; a shared one (Redis) serves several nodes.
 */
export interface CallLedger {
  /** A shared ledger answers with a promise; the in-memory one answers at once. */
  claim(scope: string, id: string): Claim | Promise<Claim>;
  settle(scope: string, id: string, ack: CallAck): void;
}

export interface MemoryLedgerOptions {
  /** Ids remembered at most over all tabs of the process (memory: 40 bytes each at most). Default 1,000,000. */
  maxEntries?: number;
  /** Ids remembered at most per tab; a tab past it forgets its own oldest, never another tab's. Default 5,000. */
  maxEntriesPerTab?: number;
  /** How long an id is remembered after its call. Default 10 minutes, well past the reconnection schedule. */
  ttlMs?: number;
}

export const DEFAULT_LEDGER_TTL_MS = 10 * 60_000;
export const DEFAULT_LEDGER_MAX_ENTRIES = 1_000_000;
/**
 * Twice what a tab can call in the default recovery window under the default rate limit (a burst of 40, then
 * 20 a second for 2 minutes: 2,440), and five times the calls one socket may have waiting (1,000), which are the
 * only ones a resend can name: the ids a resend needs are a tab's newest, and a tab only forgets its oldest.
 */
export const DEFAULT_LEDGER_MAX_ENTRIES_PER_TAB = 5_000;

/** The ledger scope of a tab: its room and its id (both letters, digits, `-` and `_`, so `/` cannot be forged). */
export const ledgerScope = (room: string, tab: string): string => `${room}/${tab}`;

/** A remembered call still running, or one that did not answer `{ ok: true }`. */
interface Outcome {
  ack: CallAck | undefined;
  waiting: { promise: Promise<CallAck>; resolve: (ack: CallAck) => void } | undefined;
}

const OK: CallAck = Object.freeze({ ok: true });

/**
 * The in-memory ledger, bounded per tab, over all tabs, and by age.
 *
 * At thousands of calls a second every remembered id outlives the garbage collector's young generation, so a
 * call is remembered as numbers only (see CallIdTable): a 60-bit fingerprint of its id, keyed by its tab's
 * hash state (from a random seed, so clients cannot aim collisions). A tab is a small integer found by its scope
 * string in a map, which changes only when a tab comes or goes, never per call. Objects exist only for calls still
 * running when another arrives and for calls that failed.
 */
export class MemoryCallLedger implements CallLedger {
  private readonly table: CallIdTable;
  /** Tab numbers by scope, and back. */
  private readonly tabs = new Map<string, number>();
  private scopes: string[] = [];
  private readonly freeTabs: number[] = [];
  /** Each tab's hash state after its scope, so a call hashes only its id. */
  private saltHigh = new Int32Array(0);
  private saltLow = new Int32Array(0);
  /** The tab looked up last: calls come in runs from one socket. */
  private lastScope: string | null = null;
  private lastTab = EMPTY;
  /** By slot. */
  private readonly outcomes = new Map<number, Outcome>();
  /** The call claimed last, until it settles: a call that finishes at once costs no outcome object. */
  private readonly last = { scope: "", id: "", slot: EMPTY, running: false };
  /** The fingerprint just computed. */
  private high = 0;
  private low = 0;
  private readonly seed = randomBytes(4).readInt32LE(0);
  private readonly maxEntries: number;
  private readonly maxEntriesPerTab: number;
  private readonly ttlMs: number;

  constructor(options: MemoryLedgerOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_LEDGER_MAX_ENTRIES);
    this.maxEntriesPerTab = Math.max(1, options.maxEntriesPerTab ?? DEFAULT_LEDGER_MAX_ENTRIES_PER_TAB);
    this.ttlMs = options.ttlMs ?? DEFAULT_LEDGER_TTL_MS;
    this.table = new CallIdTable(this.maxEntries);
  }

  /** Ids remembered, over all tabs. */
  get size(): number {
    return this.table.size;
  }

  claim(scope: string, id: string): Claim {
    const now = Date.now();
    const { table } = this;
    while (table.size > 0 && table.expiresAt(table.oldest) <= now) {
      this.forgetOldestOf(table.ownerOf(table.oldest), EMPTY);
    }
    this.parkLast();
    const tab = this.tabOf(scope, true);
    this.fingerprint(tab, id);
    const known = table.find(this.high, this.low, tab);
    if (known !== EMPTY) return { first: false, ack: ackOf(this.outcomes.get(known)) };
    // A tab at its bound forgets its own oldest; only when all tabs together are at theirs does the oldest of all go.
    if (table.countOf(tab) >= this.maxEntriesPerTab) this.forgetOldestOf(tab, tab);
    else if (table.size >= this.maxEntries) this.forgetOldestOf(table.ownerOf(table.oldest), tab);
    const slot = table.add(this.high, this.low, tab, now + this.ttlMs);
    const { last } = this;
    last.scope = scope;
    last.id = id;
    last.slot = slot;
    last.running = true;
    return FIRST;
  }

  settle(scope: string, id: string, ack: CallAck): void {
    const { last } = this;
    if (last.running && last.id === id && last.scope === scope) {
      last.running = false;
      if (!ack.ok) this.outcomes.set(last.slot, { ack, waiting: undefined });
      return;
    }
    const tab = this.tabOf(scope, false);
    if (tab === EMPTY) return; // forgotten meanwhile
    this.fingerprint(tab, id);
    const slot = this.table.find(this.high, this.low, tab);
    const outcome = slot === EMPTY ? undefined : this.outcomes.get(slot);
    if (!outcome) return; // forgotten meanwhile (past a bound): nothing to answer duplicates with
    outcome.ack = ack;
    outcome.waiting?.resolve(ack);
    if (ack.ok) this.outcomes.delete(slot);
  }

  /** The call claimed last is still running as another arrives: it gets an outcome a duplicate can wait on. */
  private parkLast(): void {
    const { last } = this;
    if (!last.running) return;
    last.running = false;
    this.outcomes.set(last.slot, { ack: undefined, waiting: undefined });
  }

  /** Forgets a tab's oldest id; a tab left with none goes too, unless it is `keep` (the one claiming). */
  private forgetOldestOf(tab: number, keep: number): void {
    const slot = this.table.oldestOf(tab);
    if (this.outcomes.size > 0) this.outcomes.delete(slot);
    if (this.last.slot === slot) this.last.running = false;
    if (this.table.removeOldestOf(tab) === 0 && tab !== keep) this.dropTab(tab);
  }

  private tabOf(scope: string, create: boolean): number {
    if (scope === this.lastScope) return this.lastTab;
    let tab = this.tabs.get(scope);
    if (tab === undefined) {
      if (!create) return EMPTY;
      tab = this.addTab(scope);
    }
    this.lastScope = scope;
    this.lastTab = tab;
    return tab;
  }

  private addTab(scope: string): number {
    const tab = this.freeTabs.pop() ?? this.scopes.length;
    if (tab === this.scopes.length) {
      this.scopes.push(scope);
      this.table.ensureTabs(tab + 1);
      if (tab >= this.saltHigh.length) {
        const length = Math.max(64, this.saltHigh.length * 2);
        const high = new Int32Array(length);
        const low = new Int32Array(length);
        high.set(this.saltHigh);
        low.set(this.saltLow);
        this.saltHigh = high;
        this.saltLow = low;
      }
    } else {
      this.scopes[tab] = scope;
    }
    this.table.startTab(tab);
    this.tabs.set(scope, tab);
    // The scope, then a separator outside UTF-16 (so "ab"+"c" and "a"+"bc" differ); ids continue from here.
    let a = 0x811c9dc5 ^ this.seed;
    let b = 0x9747b28c ^ Math.imul(this.seed, 0x5bd1e995);
    for (let i = 0; i <= scope.length; i++) {
      const code = i < scope.length ? scope.charCodeAt(i) : 0x10000;
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
      b ^= b >>> 13;
    }
    this.saltHigh[tab] = a;
    this.saltLow[tab] = b;
    return tab;
  }

  private dropTab(tab: number): void {
    this.tabs.delete(this.scopes[tab]!);
    this.scopes[tab] = "";
    this.freeTabs.push(tab);
    if (this.lastTab === tab) this.lastScope = null;
  }

  /** Two 30-bit hashes of a tab's id, continuing from the tab's hash state. */
  private fingerprint(tab: number, id: string): void {
    let a = this.saltHigh[tab];
    let b = this.saltLow[tab];
    for (let i = 0; i < id.length; i++) {
      const code = id.charCodeAt(i);
      a = Math.imul(a ^ code, 0x01000193);
      b = Math.imul(b ^ code, 0x5bd1e995);
      b ^= b >>> 13;
    }
    a = Math.imul(a ^ (a >>> 16), 0x85ebca6b);
    a ^= a >>> 13;
    b = Math.imul(b ^ (b >>> 16), 0xc2b2ae35);
    b ^= b >>> 16;
    this.high = a >>> 2;
    this.low = b >>> 2;
  }
}

/** What a duplicate is answered: the first run's ack, at once when it finished, else when it does. */
function ackOf(outcome: Outcome | undefined): Promise<CallAck> {
  if (!outcome) return Promise.resolve(OK);
  if (outcome.ack) return Promise.resolve(outcome.ack);
  if (!outcome.waiting) {
    let resolve!: (ack: CallAck) => void;
    const promise = new Promise<CallAck>((r) => (resolve = r));
    outcome.waiting = { promise, resolve };
  }
  return outcome.waiting.promise;
}

const FIRST: Claim = Object.freeze({ first: true });
