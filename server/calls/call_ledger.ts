import { randomBytes } from "node:crypto";
import type { CallAck } from "../../protocol/index.js";

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

export interface MemoryLedgerOptions {
  /** Ids remembered at most (oldest forgotten first). Default 10,000. */
  maxEntries?: number;
  /** How long an id is remembered. Default 10 minutes, well past the reconnection schedule. */
  ttlMs?: number;
}

/** A remembered call still running, or one that did not answer `{ ok: true }`. */
interface Outcome {
  ack: CallAck | undefined;
  waiting: { promise: Promise<CallAck>; resolve: (ack: CallAck) => void } | undefined;
}

const OK: CallAck = Object.freeze({ ok: true });
const EMPTY = -1;

/**
 * The in-memory ledger, bounded by count and by age.
 *
 * At thousands of calls a second every remembered id outlives the garbage collector's young generation, so
 * keeping strings and objects per call made the collector copy and mark them all, which showed in tail
 * latency. Here a call is remembered as numbers only, in typed arrays allocated once: a 60-bit fingerprint
 * of its room and id (keyed by a random seed, so clients cannot aim collisions) in a first-in-first-out ring,
 * found through an open-addressing hash table of ring slots. Objects exist only for calls still running
 * when another arrives and for calls that failed.
 */
export class MemoryCallLedger implements CallLedger {
  private readonly ringHigh: Int32Array;
  private readonly ringLow: Int32Array;
  private readonly ringExpires: Float64Array;
  private head = 0;
  private count = 0;
  /** Ring slots by fingerprint (linear probing, EMPTY where free); at most half full. */
  private readonly table: Int32Array;
  private readonly mask: number;
  /** By ring slot. */
  private readonly outcomes = new Map<number, Outcome>();
  /** The call claimed last, until it settles: a call that finishes at once costs no outcome object. */
  private readonly last = { room: "", id: "", slot: EMPTY, running: false };
  /** The fingerprint just computed. */
  private high = 0;
  private low = 0;
  private readonly seed = randomBytes(4).readInt32LE(0);
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: MemoryLedgerOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.ringHigh = new Int32Array(this.maxEntries);
    this.ringLow = new Int32Array(this.maxEntries);
    this.ringExpires = new Float64Array(this.maxEntries);
    let size = 2;
    while (size < this.maxEntries * 2) size *= 2;
    this.table = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  claim(room: string, id: string): Claim {
    const now = Date.now();
    this.evict(now, false);
    this.parkLast();
    this.fingerprint(room, id);
    const known = this.find(this.high, this.low);
    if (known !== EMPTY) return { first: false, ack: ackOf(this.outcomes.get(known)) };
    this.evict(now, true);
    const slot = (this.head + this.count) % this.maxEntries;
    this.ringHigh[slot] = this.high;
    this.ringLow[slot] = this.low;
    this.ringExpires[slot] = now + this.ttlMs;
    this.count++;
    let i = this.high & this.mask;
    while (this.table[i] !== EMPTY) i = (i + 1) & this.mask;
    this.table[i] = slot;
    const { last } = this;
    last.room = room;
    last.id = id;
    last.slot = slot;
    last.running = true;
    return FIRST;
  }

  settle(room: string, id: string, ack: CallAck): void {
    const { last } = this;
    if (last.running && last.id === id && last.room === room) {
      last.running = false;
      if (!ack.ok) this.outcomes.set(last.slot, { ack, waiting: undefined });
      return;
    }
    this.fingerprint(room, id);
    const slot = this.find(this.high, this.low);
    const outcome = slot === EMPTY ? undefined : this.outcomes.get(slot);
    if (!outcome) return; // forgotten meanwhile (past maxEntries): nothing to answer duplicates with
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

  /** The ring slot of a fingerprint, or EMPTY. */
  private find(high: number, low: number): number {
    for (let i = high & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.table[i];
      if (slot === EMPTY || (this.ringHigh[slot] === high && this.ringLow[slot] === low)) return slot;
    }
  }

  /** Forgets expired calls from the oldest end; to make room for one more, also the oldest past the bound. */
  private evict(now: number, makeRoom: boolean): void {
    while (this.count > 0 && ((makeRoom && this.count >= this.maxEntries) || this.ringExpires[this.head] <= now)) {
      const slot = this.head;
      this.unindex(slot);
      this.outcomes.delete(slot);
      if (this.last.slot === slot) this.last.running = false;
      this.head = (this.head + 1) % this.maxEntries;
      this.count--;
    }
  }

  /** Removes a slot from the hash table, shifting later entries of its probe run back (no tombstones). */
  private unindex(slot: number): void {
    const { table, mask } = this;
    let i = this.ringHigh[slot] & mask;
    while (table[i] !== slot) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; table[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.ringHigh[table[j]] & mask;
      // Move table[j] into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        table[i] = table[j];
        i = j;
      }
    }
    table[i] = EMPTY;
  }

  /** Two 30-bit hashes of room and id, keyed by this ledger's seed. */
  private fingerprint(room: string, id: string): void {
    let a = 0x811c9dc5 ^ this.seed;
    let b = 0x9747b28c ^ Math.imul(this.seed, 0x5bd1e995);
    // The room, a separator outside UTF-16 (so "ab"+"c" and "a"+"bc" differ), then the id.
    for (let i = -1 - room.length; i < id.length; i++) {
      const code = i < -1 ? room.charCodeAt(i + 1 + room.length) : i === -1 ? 0x10000 : id.charCodeAt(i);
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
