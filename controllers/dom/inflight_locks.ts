import type { Update } from "../../protocol/index.js";

/** Whether one element is, holds or sits inside the other. */
const overlaps = (a: Element, b: Element): boolean => a === b || a.contains(b) || b.contains(a);

interface Held {
  update: Update;
  target: Element;
}

/**
 * Phoenix LiveView's in-flight locks: while an element has calls of its own waiting for their acks (a
 * debounced search box, a button clicked twice), an update that would change it (its target is, holds
 * or sits inside that element) is held, and applied once all of that element's calls are acked, so a
 * stale reply never rolls back what the user did since. Held updates keep their order: a later update
 * whose target overlaps a held one waits behind it.
 *
 * ```ts
 * const locks = new InFlightLocks((update) => applyUpdate(update, ctx));
 * locks.track(input, client.call(message));
 * locks.offer(update, () => document.querySelector(update.target));
 * ```
 */
export class InFlightLocks {
  private readonly counts = new Map<Element, number>();
  private readonly held: Held[] = [];

  constructor(private readonly apply: (update: Update) => void) {}

  /** Locks `el` until `pending` settles (counted: overlapping calls keep it locked until the last). */
  track<T>(el: Element, pending: Promise<T>): Promise<T> {
    this.counts.set(el, (this.counts.get(el) ?? 0) + 1);
    const release = () => {
      const left = (this.counts.get(el) ?? 1) - 1;
      if (left > 0) this.counts.set(el, left);
      else {
        this.counts.delete(el);
        this.flush();
      }
    };
    pending.then(release, release);
    return pending;
  }

  /**
   * Applies the update now, or holds it when its target overlaps a locked element or a held update.
   * `findTarget` is only called while something is locked or held, so the common case costs nothing.
   */
  offer(update: Update, findTarget: () => Element | null): void {
    const target = this.counts.size > 0 || this.held.length > 0 ? findTarget() : null;
    if (target && this.blocked(target, this.held.length)) this.held.push({ update, target });
    else this.apply(update);
  }

  /** Elements locked right now (diagnostics and tests). */
  get size(): number {
    return this.counts.size;
  }

  private blocked(target: Element, heldBefore: number): boolean {
    for (const el of this.counts.keys()) if (overlaps(el, target)) return true;
    for (let i = 0; i < heldBefore; i++) if (overlaps(this.held[i].target, target)) return true;
    return false;
  }

  private flush(): void {
    for (let i = 0; i < this.held.length; ) {
      const { update, target } = this.held[i];
      if (this.blocked(target, i)) i++;
      else {
        this.held.splice(i, 1);
        this.apply(update);
      }
    }
  }
}
