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
  /** While it is away, its replies as strings: the ring may be overwritten meanwhile, these may not. */
  away: { offset: number; encoded: string }[];
}

/**
 * The replies sent to single tabs, kept for connection state recovery outside the JavaScript heap.
 *
 * Each reply is kept as the encoded packet that was written, copied into one fixed block of memory that is
 * reused in a circle; each tab keeps only numbers (offset, time, position, length) for its last `perTab`
 * replies. So keeping replies allocates nothing the garbage collector has to copy or mark, however many
 * calls a second the server answers; memory stays at `ringBytes`. When a tab disconnects, its kept replies
 * are copied out as strings, and so are those it is sent while away (few: it makes no calls meanwhile), so a
 * busy ring cannot overwrite what a returning tab needs. A reply overwritten before the server noticed the
 * disconnection (a connection that died silently), like one the tab's log had no room for, makes that tab
 * start a fresh session rather than miss it.
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
    // Zero-filled now: every page is touched at start, not one by one (each a page fault) while serving calls.
    this.ring = Buffer.alloc(ringBytes);
  }

  get(tab: string): TabLog | undefined {
    return this.logs.get(tab);
  }

  open(tab: string): TabLog {
    const log: TabLog = {
      slots: new Float64Array(this.perTab * FIELDS),
      first: 0,
      size: 0,
      lost: -1,
      waiting: false,
      away: [],
    };
    this.logs.set(tab, log);
    return log;
  }

  delete(tab: string): void {
    this.logs.delete(tab);
  }

  /** Replies kept, over every tab. */
  count(): number {
    let count = 0;
    for (const log of this.logs.values()) count += log.size + log.away.length;
    return count;
  }

  /**
   * The tab disconnected and its session waits for it: its kept replies are copied out of the ring (which
   * other tabs keep overwriting), and the replies it is sent while away are kept as strings too.
   */
  leave(log: TabLog): void {
    if (log.waiting) return;
    // Those already overwritten are gone: the tab's log then starts after the newest of them.
    for (let i = 0; i < log.size; i++) {
      const slot = ((log.first + i) % this.perTab) * FIELDS;
      if (log.slots[slot + 2] < this.written - this.ring.length) log.lost = log.slots[slot];
    }
    log.away = this.after(log, log.lost) ?? [];
    log.size = 0;
    log.waiting = true;
  }

  /** The tab came back (its missed replies were sent): what it is sent from now on goes to the ring again. */
  back(log: TabLog): void {
    log.waiting = false;
    log.away = [];
  }

  /** Keeps a reply's encoded packet; `null` (a packet with binary parts) cannot be kept, so the tab's log starts after it. */
  add(log: TabLog, offset: number, at: number, encoded: string | null): void {
    if (log.waiting) {
      if (encoded === null || this.perTab === 0) {
        log.lost = offset;
        log.away = [];
        return;
      }
      log.away.push({ offset, encoded });
      if (log.away.length > this.perTab) log.lost = log.away.shift()!.offset;
      return;
    }
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
    if (log.waiting) return log.away.filter((reply) => reply.offset > from);
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
