/** Per slot: the packet's offset number, when it was sent, and where its encoded bytes start and how many. */
const FIELDS = 4;

/** The replies kept for one tab: a small ring of slots, oldest at `first`. */
export interface TabLog {
  readonly slots: Float64Array;
  first: number;
  size: number;
  /** The newest offset forgotten: a tab that stopped before it cannot be caught up exactly. */
  lost: number;
  /** The tab disconnected and its session waits for it. */
  waiting: boolean;
}

/**
 * The replies sent to single tabs, kept for connection state recovery outside the JavaScript heap.
 *
 * Each reply is kept as the encoded packet that was written, copied into one fixed block of memory that is
 * reused in a circle; each tab keeps only numbers (offset, time, position, length) for its last `perTab`
 * replies. So keeping replies allocates nothing the garbage collector has to copy or mark, however many
 * calls a second the server answers; memory stays at `ringBytes`. A reply overwritten before its tab came
 * back, like one the tab's log had no room for, makes that tab start a fresh session rather than miss it.
 */
export class ReplyLogs {
  private readonly ring: Buffer;
  /** Bytes written into the ring since the start (its position is this modulo the ring's size). */
  private written = 0;
  private readonly logs = new Map<string, TabLog>();

  constructor(
    ringBytes: number,
    private readonly perTab: number,
  ) {
    this.ring = Buffer.allocUnsafeSlow(ringBytes);
  }

  get(tab: string): TabLog | undefined {
    return this.logs.get(tab);
  }

  open(tab: string): TabLog {
    const log: TabLog = { slots: new Float64Array(this.perTab * FIELDS), first: 0, size: 0, lost: -1, waiting: false };
    this.logs.set(tab, log);
    return log;
  }

  delete(tab: string): void {
    this.logs.delete(tab);
  }

  /** Replies kept, over every tab. */
  count(): number {
    let count = 0;
    for (const log of this.logs.values()) count += log.size;
    return count;
  }

  /** Keeps a reply's encoded packet; `null` (a packet with binary parts) cannot be kept, so the tab's log starts after it. */
  add(log: TabLog, offset: number, at: number, encoded: string | null): void {
    const stored = encoded === null || this.perTab === 0 ? -1 : this.store(encoded);
    if (stored < 0) {
      log.lost = offset;
      log.size = 0;
      return;
    }
    if (log.size === this.perTab) {
      log.lost = log.slots[log.first * FIELDS];
      log.first = (log.first + 1) % this.perTab;
      log.size--;
    }
    const slot = ((log.first + log.size) % this.perTab) * FIELDS;
    log.slots[slot] = offset;
    log.slots[slot + 1] = at;
    log.slots[slot + 2] = stored;
    log.slots[slot + 3] = this.written - stored;
    log.size++;
  }

  /**
   * The encoded replies a tab was sent after offset `from`, oldest first, with their offsets; null when its log
   * cannot fill that gap exactly (a reply forgotten or overwritten).
   */
  after(log: TabLog, from: number): { offset: number; encoded: string }[] | null {
    if (from < log.lost) return null;
    const out: { offset: number; encoded: string }[] = [];
    for (let i = 0; i < log.size; i++) {
      const slot = ((log.first + i) % this.perTab) * FIELDS;
      const offset = log.slots[slot];
      if (offset <= from) continue;
      const start = log.slots[slot + 2];
      if (start < this.written - this.ring.length) return null;
      const at = start % this.ring.length;
      out.push({ offset, encoded: this.ring.toString("utf8", at, at + log.slots[slot + 3]) });
    }
    return out;
  }

  /** Forgets the replies of connected tabs sent before `before` (they were delivered, see the adapter). */
  forgetDelivered(before: number): void {
    for (const log of this.logs.values()) {
      if (log.waiting) continue;
      while (log.size > 0 && log.slots[log.first * FIELDS + 1] < before) {
        log.lost = log.slots[log.first * FIELDS];
        log.first = (log.first + 1) % this.perTab;
        log.size--;
      }
    }
  }

  /** Copies a string into the ring; returns where it starts (in bytes written since the start), or -1. */
  private store(text: string): number {
    const size = this.ring.length;
    const most = text.length * 3; // UTF-8 takes at most 3 bytes per UTF-16 unit
    if (most > size / 4) return -1; // a huge reply would push out everyone else's
    let position = this.written % size;
    if (position + most > size) {
      this.written += size - position; // what is left at the end stays unused this time round
      position = 0;
    }
    const start = this.written;
    this.written += this.ring.write(text, position, "utf8");
    return start;
  }
}
