export const EMPTY = -1;

const FIRST_CAPACITY = 1024;

/**
 * The remembered call ids of the in-memory ledger, as numbers in typed arrays: no object per call, so ids that
 * outlive the garbage collector's young generation cost it nothing to copy or mark.
 *
 * Each id takes a slot: its 60-bit fingerprint, the tab it belongs to (a small integer the ledger hands out), and
 * when it expires. Slots are threaded on two lists in claim order: one over every tab (oldest first, so expiry
 * and the process-wide bound look at one end only) and one per tab (so a tab over its own bound forgets its own
 * oldest). The oldest slot of all is always the oldest of its tab, so every removal is at a tab's head and
 * only the list over all tabs needs back links. An open-addressing hash table (linear probing, at most half
 * full) finds a slot by fingerprint. Arrays start small and double up to `maxSlots`.
 */
export class CallIdTable {
  private high: Int32Array;
  private low: Int32Array;
  private owner: Int32Array;
  private expires: Float64Array;
  /** The list over all tabs. */
  private prev: Int32Array;
  private next: Int32Array;
  /** The next slot of the same tab; for a free slot, the next free one. */
  private tabNext: Int32Array;
  private index: Int32Array;
  private mask = 0;
  private capacity = 0;
  private fresh = 0;
  private free = EMPTY;
  private used = 0;
  /** The oldest and newest slot of all. */
  oldest = EMPTY;
  private newest = EMPTY;

  private tabHead = new Int32Array(0);
  private tabTail = new Int32Array(0);
  private tabCount = new Int32Array(0);

  constructor(private readonly maxSlots: number) {
    const capacity = Math.min(maxSlots, FIRST_CAPACITY);
    this.high = new Int32Array(capacity);
    this.low = new Int32Array(capacity);
    this.owner = new Int32Array(capacity);
    this.expires = new Float64Array(capacity);
    this.prev = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.tabNext = new Int32Array(capacity);
    this.index = new Int32Array(0);
    this.capacity = capacity;
    this.reindex();
  }

  get size(): number {
    return this.used;
  }

  countOf(tab: number): number {
    return this.tabCount[tab];
  }

  oldestOf(tab: number): number {
    return this.tabHead[tab];
  }

  ownerOf(slot: number): number {
    return this.owner[slot];
  }

  expiresAt(slot: number): number {
    return this.expires[slot];
  }

  /** Makes tab numbers below `tabs` usable (a new tab starts with no ids). */
  ensureTabs(tabs: number): void {
    if (tabs <= this.tabCount.length) return;
    const length = Math.max(tabs, this.tabCount.length * 2, 64);
    this.tabHead = grown(this.tabHead, length);
    this.tabTail = grown(this.tabTail, length);
    this.tabCount = grown(this.tabCount, length);
  }

  startTab(tab: number): void {
    this.tabHead[tab] = EMPTY;
    this.tabTail[tab] = EMPTY;
    this.tabCount[tab] = 0;
  }

  /** The slot of a fingerprint in a tab, or EMPTY. */
  find(high: number, low: number, tab: number): number {
    const { index, mask } = this;
    for (let i = high & mask; ; i = (i + 1) & mask) {
      const slot = index[i];
      if (slot === EMPTY) return EMPTY;
      if (this.high[slot] === high && this.low[slot] === low && this.owner[slot] === tab) return slot;
    }
  }

  /** Remembers an id as the newest of all and of its tab. The caller keeps `size` below `maxSlots`. */
  add(high: number, low: number, tab: number, expires: number): number {
    const slot = this.allocate();
    this.high[slot] = high;
    this.low[slot] = low;
    this.owner[slot] = tab;
    this.expires[slot] = expires;
    this.prev[slot] = this.newest;
    this.next[slot] = EMPTY;
    if (this.newest === EMPTY) this.oldest = slot;
    else this.next[this.newest] = slot;
    this.newest = slot;
    this.tabNext[slot] = EMPTY;
    const tail = this.tabTail[tab];
    if (tail === EMPTY) this.tabHead[tab] = slot;
    else this.tabNext[tail] = slot;
    this.tabTail[tab] = slot;
    this.tabCount[tab]++;
    this.insert(slot);
    this.used++;
    return slot;
  }

  /** Forgets the oldest id of a tab (`oldest` is its own tab's oldest); returns the ids left in that tab. */
  removeOldestOf(tab: number): number {
    const slot = this.tabHead[tab];
    this.unindex(slot);
    const before = this.prev[slot];
    const after = this.next[slot];
    if (before === EMPTY) this.oldest = after;
    else this.next[before] = after;
    if (after === EMPTY) this.newest = before;
    else this.prev[after] = before;
    this.tabHead[tab] = this.tabNext[slot];
    if (this.tabHead[tab] === EMPTY) this.tabTail[tab] = EMPTY;
    this.tabNext[slot] = this.free;
    this.free = slot;
    this.used--;
    return --this.tabCount[tab];
  }

  private allocate(): number {
    if (this.free !== EMPTY) {
      const slot = this.free;
      this.free = this.tabNext[slot];
      return slot;
    }
    if (this.fresh === this.capacity) this.grow();
    return this.fresh++;
  }

  /** Doubles the slot arrays (towards maxSlots) and rebuilds the hash table for them. */
  private grow(): void {
    const capacity = Math.min(this.maxSlots, this.capacity * 2);
    this.high = grown(this.high, capacity);
    this.low = grown(this.low, capacity);
    this.owner = grown(this.owner, capacity);
    this.expires = grown(this.expires, capacity);
    this.prev = grown(this.prev, capacity);
    this.next = grown(this.next, capacity);
    this.tabNext = grown(this.tabNext, capacity);
    this.capacity = capacity;
    this.reindex();
  }

  private reindex(): void {
    let size = 2;
    while (size < this.capacity * 2) size *= 2;
    this.index = new Int32Array(size).fill(EMPTY);
    this.mask = size - 1;
    for (let slot = this.oldest; slot !== EMPTY; slot = this.next[slot]) this.insert(slot);
  }

  private insert(slot: number): void {
    let i = this.high[slot] & this.mask;
    while (this.index[i] !== EMPTY) i = (i + 1) & this.mask;
    this.index[i] = slot;
  }

  /** Removes a slot from the hash table, shifting later entries of its probe run back (no tombstones). */
  private unindex(slot: number): void {
    const { index, mask } = this;
    let i = this.high[slot] & mask;
    while (index[i] !== slot) i = (i + 1) & mask;
    for (let j = (i + 1) & mask; index[j] !== EMPTY; j = (j + 1) & mask) {
      const home = this.high[index[j]] & mask;
      // Move index[j] into the hole at i unless its home lies cyclically in (i, j].
      if (i <= j ? home <= i || home > j : home <= i && home > j) {
        index[i] = index[j];
        i = j;
      }
    }
    index[i] = EMPTY;
  }
}

function grown<T extends Int32Array | Float64Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}
