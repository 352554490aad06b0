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
  key: string;
  room: string;
  id: string;
  expires: number;
  /** The first run's ack, once it finished. */
  settled: CallAck | undefined;
  /** Made only when a duplicate arrives while the first run is still going (rare), not for every call. */
  waiting: { promise: Promise<CallAck>; resolve: (ack: CallAck) => void } | undefined;
}

export interface MemoryLedgerOptions {
  /** Ids remembered at most (oldest forgotten first). Default 10,000. */
  maxEntries?: number;
  /** How long an id is remembered. Default 10 minutes, well past the reconnection schedule. */
  ttlMs?: number;
}

/** The in-memory ledger: bounded by count and by age. */
export class MemoryCallLedger implements CallLedger {
  private readonly entries = new Map<string, Entry>();
  /**
   * Keys in the order they were claimed, oldest at `head`. Evicting from here costs O(1) per call, where
   * iterating the Map from its start would skip every slot deleted since its last rehash (thousands).
   */
  private order: Entry[] = [];
  private head = 0;
  /** The entry claimed last: a call that finishes at once settles it without building and hashing its key again. */
  private lastClaimed: Entry | undefined;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: MemoryLedgerOptions = {}) {
    this.maxEntries = options.maxEntries ?? 10_000;
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
  }

  get size(): number {
    return this.entries.size;
  }

  claim(room: string, id: string): Claim {
    const key = `${room}\n${id}`;
    const now = Date.now();
    const known = this.entries.get(key);
    if (known && known.expires > now) return { first: false, ack: firstAck(known) };
    const entry: Entry = { key, room, id, expires: now + this.ttlMs, settled: undefined, waiting: undefined };
    this.entries.set(key, entry);
    this.order.push(entry);
    this.lastClaimed = entry;
    this.evict(now);
    return FIRST;
  }

  settle(room: string, id: string, ack: CallAck): void {
    const last = this.lastClaimed;
    const entry = last && last.id === id && last.room === room ? last : this.entries.get(`${room}\n${id}`);
    if (!entry) return; // forgotten meanwhile (past maxEntries): nothing to answer duplicates with
    entry.settled = ack;
    entry.waiting?.resolve(ack);
  }

  /** Drops expired entries from the oldest end, then the oldest ones past the bound. */
  private evict(now: number): void {
    const { order, entries } = this;
    while (this.head < order.length) {
      const entry = order[this.head];
      // A key claimed again after it expired has a newer entry further on; this one is stale.
      const current = entries.get(entry.key) === entry;
      if (current && entry.expires > now && entries.size <= this.maxEntries) break;
      if (current) entries.delete(entry.key);
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
