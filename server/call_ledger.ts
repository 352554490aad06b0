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

export interface MemoryLedgerOptions {
  /** Ids remembered at most (oldest forgotten first). Default 10,000. */
  maxEntries?: number;
  /** How long an id is remembered. Default 10 minutes, well past the reconnection schedule. */
  ttlMs?: number;
}

/** A remembered call still running, or one that did not answer `{ ok: true }`. */
interface Outcome {
  low: number;
  ack: CallAck | undefined;
  waiting: { promise: Promise<CallAck>; resolve: (ack: CallAck) => void } | undefined;
}

const OK: CallAck = Object.freeze({ ok: true });
const IN_OVERFLOW = -1;

/**
 * The in-memory ledger, bounded by count and by age.
 *
 * At thousands of calls a second every remembered id outlives the garbage collector's young generation, so
 * keeping strings and objects per call made the collector copy and mark them all, which showed in tail
 * latency. Here a call is remembered as numbers only: a 60-bit fingerprint of its room and id (keyed by a
 * random seed, so clients cannot aim collisions) split over a Map of small integers, and a first-in-first-out
 * ring of typed arrays for eviction. Objects exist only for calls still running when another arrives and for
 * calls that failed. Two calls whose fingerprints share their first half (about one call in 100,000 at
 * 10,000 ids) are kept by room and id in a small exact map instead.
 */
export class MemoryCallLedger implements CallLedger {
  /** Fingerprint high half -> low half, for every remembered call. */
  private readonly ids = new Map<number, number>();
  private readonly outcomes = new Map<number, Outcome>();
  private readonly overflow = new Map<string, Outcome>();
  private readonly ringHigh: Int32Array;
  private readonly ringLow: Int32Array;
  private readonly ringExpires: Float64Array;
  private readonly ringKeys: (string | undefined)[];
  private head = 0;
  private count = 0;
  /** The call claimed last, until it settles: a call that finishes at once costs no outcome object. */
  private readonly last = { room: "", id: "", high: 0, low: 0, key: undefined as string | undefined, running: false };
  /** The fingerprint just computed. */
  private high = 0;
  private low = 0;
  private readonly seed = (Math.random() * 0x100000000) | 0;
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: MemoryLedgerOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.ringHigh = new Int32Array(this.maxEntries);
    this.ringLow = new Int32Array(this.maxEntries);
    this.ringExpires = new Float64Array(this.maxEntries);
    this.ringKeys = new Array<string | undefined>(this.maxEntries);
  }

  get size(): number {
    return this.count;
  }

  claim(room: string, id: string): Claim {
    const now = Date.now();
    this.evict(now, false);
    this.parkLast();
    this.fingerprint(room, id);
    const { high, low } = this;
    const known = this.ids.get(high);
    if (known === low) return { first: false, ack: ackOf(this.outcomeOf(high, low)) };
    let key = known === undefined ? undefined : `${room}\n${id}`;
    if (key !== undefined) {
      const outcome = this.overflow.get(key);
      if (outcome) return { first: false, ack: ackOf(outcome) };
    }
    this.evict(now, true);
    // The call that shared the first half may just have been forgotten: then this one takes its place.
    if (key !== undefined && this.ids.get(high) !== undefined) {
      this.overflow.set(key, { low: IN_OVERFLOW, ack: undefined, waiting: undefined });
    } else {
      key = undefined;
      this.ids.set(high, low);
    }
    const slot = (this.head + this.count) % this.maxEntries;
    this.ringHigh[slot] = high;
    this.ringLow[slot] = key === undefined ? low : IN_OVERFLOW;
    this.ringExpires[slot] = now + this.ttlMs;
    this.ringKeys[slot] = key;
    this.count++;
    const { last } = this;
    last.room = room;
    last.id = id;
    last.high = high;
    last.low = low;
    last.key = key;
    last.running = true;
    return FIRST;
  }

  settle(room: string, id: string, ack: CallAck): void {
    const { last } = this;
    if (last.running && last.id === id && last.room === room) {
      last.running = false;
      if (last.key !== undefined) return settleOutcome(this.overflow.get(last.key), ack);
      if (!ack.ok) this.outcomes.set(last.high, { low: last.low, ack, waiting: undefined });
      return;
    }
    this.fingerprint(room, id);
    const { high, low } = this;
    const outcome = this.outcomeOf(high, low);
    if (outcome && this.ids.get(high) === low) {
      settleOutcome(outcome, ack);
      if (ack.ok) this.outcomes.delete(high);
      return;
    }
    settleOutcome(this.overflow.get(`${room}\n${id}`), ack);
  }

  private outcomeOf(high: number, low: number): Outcome | undefined {
    const outcome = this.outcomes.get(high);
    return outcome?.low === low ? outcome : undefined;
  }

  /** The call claimed last is still running as another arrives: it gets an outcome a duplicate can wait on. */
  private parkLast(): void {
    const { last } = this;
    if (!last.running || last.key !== undefined) return;
    last.running = false;
    if (this.ids.get(last.high) === last.low) {
      this.outcomes.set(last.high, { low: last.low, ack: undefined, waiting: undefined });
    }
  }

  /** Forgets expired calls from the oldest end; to make room for one more, also the oldest past the bound. */
  private evict(now: number, makeRoom: boolean): void {
    while (this.count > 0 && ((makeRoom && this.count >= this.maxEntries) || this.ringExpires[this.head] <= now)) {
      const slot = this.head;
      const key = this.ringKeys[slot];
      if (key !== undefined) {
        this.overflow.delete(key);
        this.ringKeys[slot] = undefined;
      } else {
        const high = this.ringHigh[slot];
        const low = this.ringLow[slot];
        if (this.ids.get(high) === low) {
          this.ids.delete(high);
          if (this.outcomes.get(high)?.low === low) this.outcomes.delete(high);
          if (this.last.high === high && this.last.low === low) this.last.running = false;
        }
      }
      this.head = (this.head + 1) % this.maxEntries;
      this.count--;
    }
  }

  /** Two 30-bit hashes of room and id (small integers, stored without allocation), keyed by this ledger's seed. */
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

function settleOutcome(outcome: Outcome | undefined, ack: CallAck): void {
  if (!outcome) return;
  outcome.ack = ack;
  outcome.waiting?.resolve(ack);
}

const FIRST: Claim = Object.freeze({ first: true });
