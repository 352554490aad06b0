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
  ack: Promise<CallAck>;
  resolve: (ack: CallAck) => void;
  expires: number;
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
    if (known && known.expires > now) return { first: false, ack: known.ack };
    let resolve!: (ack: CallAck) => void;
    const ack = new Promise<CallAck>((r) => (resolve = r));
    this.entries.delete(key);
    this.entries.set(key, { ack, resolve, expires: now + this.ttlMs });
    this.evict(now);
    return { first: true };
  }

  settle(room: string, id: string, ack: CallAck): void {
    this.entries.get(`${room}\n${id}`)?.resolve(ack);
  }

  /** Drops expired entries from the oldest end, then the oldest ones past the bound. */
  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.expires > now && this.entries.size <= this.maxEntries) break;
      this.entries.delete(key);
    }
  }
}
