import type { Behaviour } from "./behaviour.js";

function* matching(node: Element, selector: string): Generator<Element> {
  if (node.matches(selector)) yield node;
  yield* Array.from(node.querySelectorAll(selector));
}

/**
 * Wires behaviours to the elements under a root that match their selectors: those present at
 * start, those that arrive later (updates, page scripts) and those whose attributes change; and
 * unwires elements that leave. One MutationObserver serves every behaviour, and a batch of
 * mutations that touches no behaviour's selector costs one `matches` and one `querySelector` per added
 * node; removed nodes cost nothing while no behaviour holds anything (no observer, map or timer to release).
 */
export class ElementObserver {
  private readonly observer: MutationObserver;
  private readonly anySelector: string;
  private readonly attributeFilter: string[];
  private started = false;

  constructor(private readonly root: Element, private readonly behaviours: readonly Behaviour[]) {
    this.observer = new MutationObserver((records) => this.onMutations(records));
    this.anySelector = behaviours.map((b) => b.selector).join(",");
    this.attributeFilter = [...new Set(behaviours.flatMap((b) => b.attributes))];
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.observer.observe(this.root, { childList: true, subtree: true, attributes: true, attributeFilter: this.attributeFilter });
    this.added(this.root);
    this.afterBatch();
  }

  stop(): void {
    if (!this.started) return;
    this.started = false;
    this.observer.disconnect();
    for (const behaviour of this.behaviours) behaviour.stop();
  }

  private onMutations(records: MutationRecord[]): void {
    for (const record of records) {
      if (record.type === "attributes") this.attributeChanged(record.target as Element, record.attributeName ?? "");
      else {
        if (record.removedNodes.length > 0 && this.holdsAny()) record.removedNodes.forEach((node) => this.removed(node));
        record.addedNodes.forEach((node) => this.added(node));
      }
    }
    this.afterBatch();
  }

  /** Whether any behaviour holds resources for an element; if none does, a leaving element has nothing to release. */
  private holdsAny(): boolean {
    return this.behaviours.some((behaviour) => behaviour.size > 0);
  }

  private relevant(node: Node): node is Element {
    return node instanceof Element && (node.matches(this.anySelector) || node.querySelector(this.anySelector) !== null);
  }

  private added(node: Node): void {
    if (!this.relevant(node) || !node.isConnected) return;
    for (const behaviour of this.behaviours) {
      for (const el of matching(node, behaviour.selector)) behaviour.connect(el);
    }
  }

  private removed(node: Node): void {
    if (!this.relevant(node)) return;
    for (const behaviour of this.behaviours) {
      for (const el of matching(node, behaviour.selector)) if (!el.isConnected) behaviour.disconnect(el);
    }
  }

  private attributeChanged(el: Element, attribute: string): void {
    for (const behaviour of this.behaviours) {
      if (!behaviour.attributes.includes(attribute)) continue;
      behaviour.disconnect(el);
      if (el.isConnected && el.matches(behaviour.selector)) behaviour.connect(el);
    }
  }

  private afterBatch(): void {
    for (const behaviour of this.behaviours) behaviour.afterBatch?.();
  }
}
