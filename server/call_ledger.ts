import type { CallAck } from "../protocol/index.js";

/** What a ledger says of a call id: run it (first time), or answer with the first run's ack. */
export type Claim = { first: true } | { first: false; ack: Promise<CallAck> };

/**
 * Remembers recent call ids per room so a call the client resent after a reconnection runs once:
 * the duplicate gets the first run's ack (waiting for it if the first run is still going).
 * The in-memory ledger serves one process; a shared one (Redis) serves several nodes.
 */
export interface CallLedger {
  /** A shared ledger answers with a promise; the in-memory one answers at once. */
  claim(room: string, id: string): Claim | Promise<Claim>;
  settle(room: string, id: string, ack: CallAck): void;
}

interface Entry {
  room: string;
  id: string;
  expires: number;
  /** The first run's ack, once it finished. */
  settled: CallAck | undefined;
  /** Made only when a duplicate arrives while the first run is still going (rare), not for every call. */
  waiting: { promise: Promise<CallAck>; resolve: (ack: CallAck) => void } | undefined;
  /** The entry of another room that used the same id (rare: ids are random). */
  next: Entry | undefined;
  /** Still remembered (not yet evicted or replaced). */
  live: boolean;
}

export interface MemoryLedgerOptions {
  /** Ids remembered at most (oldest forgotten first). Default 10,000. */
  maxEntries?: number;
  /** How long an id is remembered. Default 10 minutes, well past the reconnection schedule. */
  ttlMs?: number;
}

/**
 * The in-memory ledger: bounded by count and by age. Entries are found by call id alone (no room-and-id key
 * to build and hash on every call); the few ids two rooms share are chained.
 */
export class MemoryCallLedger implements CallLedger {
  private readonly entries = new Map<string, Entry>();
  private count = 0;
  /** Entries in the order they were claimed, oldest at `head`: evicting costs O(1) per call. */
  private order: Entry[] = [];
  private head = 0;
  /** The entry claimed last: a call that finishes at once settles it without looking it up. */
  private lastClaimed: Entry | undefined;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: MemoryLedgerOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
  }

  get size(): number {
    return this.count;
  }

  claim(room: string, id: string): Claim {
    const now = Date.now();
    const known = this.find(room, id);
    if (known && known.expires > now) return { first: false, ack: firstAck(known) };
    if (known) this.forget(known);
    const entry: Entry = {
      room,
      id,
      expires: now + this.ttlMs,
      settled: undefined,
      waiting: undefined,
      next: this.entries.get(id),
      live: true,
    };
    this.entries.set(id, entry);
    this.count++;
    this.order.push(entry);
    this.lastClaimed = entry;
    this.evict(now);
    return FIRST;
  }

  settle(room: string, id: string, ack: CallAck): void {
    const last = this.lastClaimed;
    const entry = last && last.id === id && last.room === room ? last : this.find(room, id);
    if (!entry) return; // forgotten meanwhile (past maxEntries): nothing to answer duplicates with
    entry.settled = ack;
    entry.waiting?.resolve(ack);
  }

  private find(room: string, id: string): Entry | undefined {
    let entry = this.entries.get(id);
    while (entry && entry.room !== room) entry = entry.next;
    return entry;
  }

  private forget(entry: Entry): void {
    entry.live = false;
    this.count--;
    const first = this.entries.get(entry.id);
    if (first === entry) {
      if (entry.next) this.entries.set(entry.id, entry.next);
      else this.entries.delete(entry.id);
      return;
    }
    for (let before = first; before; before = before.next) {
      if (before.next === entry) {
        before.next = entry.next;
        return;
      }
    }
  }

  /** Drops expired entries from the oldest end, then the oldest ones past the bound. */
  private evict(now: number): void {
    const { order } = this;
    while (this.head < order.length) {
      const entry = order[this.head];
      if (entry.live && entry.expires > now && this.count <= this.maxEntries) break;
      if (entry.live) this.forget(entry);
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > order.length) {
      this.order = order.slice(this.head);
      this.head = 0;
    }
  }
}

const FIRST: Claim = Object.freeze({ first: true });

/** The first run's ack: at once when it finished, else when it does. */
function firstAck(entry: Entry): Promise<CallAck> {
  if (entry.settled) return Promise.resolve(entry.settled);
  if (!entry.waiting) {
    let resolve!: (ack: CallAck) => void;
    const promise = new Promise<CallAck>((r) => (resolve = r));
    entry.waiting = { promise, resolve };
  }
  return entry.waiting.promise;
}
