import { ATTRIBUTES } from "../../protocol/index.js";
import type { Behaviour, CallFromElement } from "./behaviour.js";

interface Watched {
  margin: number;
  visible: boolean;
  pending: boolean;
}

/**
 * `data-liveview-intersect-appear="fn"` / `-disappear="fn"`: calls fn when the element enters the
 * viewport / leaves it after having been visible. `data-liveview-intersect-threshold="200"` fires
 * 200 px early. An element fires appear once per entry, and not again while its call is pending,
 * so a trigger replaced while visible never loads the same page twice.
 */
export class IntersectBehaviour implements Behaviour {
  readonly selector = `[${ATTRIBUTES.intersectAppear}],[${ATTRIBUTES.intersectDisappear}]`;
  readonly attributes = [ATTRIBUTES.intersectAppear, ATTRIBUTES.intersectDisappear, ATTRIBUTES.intersectThreshold];
  private readonly observers = new Map<number, IntersectionObserver>();
  private readonly watched = new Map<Element, Watched>();

  constructor(private readonly call: CallFromElement) {}

  get size(): number {
    return this.watched.size;
  }

  /** Live IntersectionObservers (one per distinct threshold in use). */
  get observerCount(): number {
    return this.observers.size;
  }

  connect(el: Element): void {
    if (this.watched.has(el) || typeof IntersectionObserver === "undefined") return;
    const margin = Math.max(0, Number(el.getAttribute(ATTRIBUTES.intersectThreshold)) || 0);
    this.watched.set(el, { margin, visible: false, pending: false });
    this.observerFor(margin).observe(el);
  }

  disconnect(el: Element): void {
    const state = this.watched.get(el);
    if (!state) return;
    this.watched.delete(el);
    const observer = this.observers.get(state.margin);
    observer?.unobserve(el);
    if (observer && ![...this.watched.values()].some((w) => w.margin === state.margin)) {
      observer.disconnect();
      this.observers.delete(state.margin);
    }
  }

  stop(): void {
    for (const observer of this.observers.values()) observer.disconnect();
    this.observers.clear();
    this.watched.clear();
  }

  private observerFor(margin: number): IntersectionObserver {
    let observer = this.observers.get(margin);
    if (!observer) {
      observer = new IntersectionObserver((entries) => entries.forEach((entry) => this.onEntry(entry)), {
        rootMargin: `${margin}px`,
      });
      this.observers.set(margin, observer);
    }
    return observer;
  }

  private onEntry(entry: IntersectionObserverEntry): void {
    const el = entry.target;
    const state = this.watched.get(el);
    if (!state) return;
    if (entry.isIntersecting && !state.visible) {
      state.visible = true;
      this.fire(el, state, ATTRIBUTES.intersectAppear);
    } else if (!entry.isIntersecting && state.visible) {
      state.visible = false;
      this.fire(el, state, ATTRIBUTES.intersectDisappear);
    }
  }

  /** Appear waits for its previous call to finish; disappear always goes. */
  private fire(el: Element, state: Watched, attribute: string): void {
    const name = el.getAttribute(attribute);
    if (!name) return;
    if (attribute === ATTRIBUTES.intersectDisappear) {
      void this.call(el, name);
      return;
    }
    if (state.pending) return;
    state.pending = true;
    void this.call(el, name).finally(() => {
      state.pending = false;
    });
  }
}
