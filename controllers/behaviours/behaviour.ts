/** Makes a call to the named function from an element (its data and form values go with it). */
export type CallFromElement = (el: Element, functionName: string) => Promise<unknown>;

/**
 * One interaction attribute's wiring. `connect` runs when a matching element appears (at start or
 * in an update), `disconnect` when it leaves; both are idempotent. `size` counts the elements
 * the behaviour holds resources for (observers, timers, parsed maps), so tests can see leaks.
 */
export interface Behaviour {
  readonly selector: string;
  /** Attributes whose change means the element must be wired again. */
  readonly attributes: readonly string[];
  connect(el: Element): void;
  disconnect(el: Element): void;
  /** Called once after each batch of connects (e.g. focus picks the first candidate). */
  afterBatch?(): void;
  stop(): void;
  readonly size: number;
}
