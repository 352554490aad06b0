import { isThenable } from "./thenable.js";

/** What a task may return: nothing when it finished at once, or a promise of its end. */
export type TaskResult = void | PromiseLike<unknown>;


/**
 * Runs one socket's calls one after another, in the order they arrived (as Django LiveView's consumer
 * does), and refuses more than `limit` waiting calls so a flooding client cannot grow memory. A task
 * that finishes at once lets the next one run at once; one that returns a promise holds the queue
 * until it settles. (Awaiting every task would cost each call a few microtask turns and promises.)
 */
export class CallQueue {
  private readonly waiting: Array<() => TaskResult> = [];
  private running = false;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.waiting.length;
  }

  /** Queues a task; false when the queue is full. A task that throws is dropped and the next one runs. */
  push(task: () => TaskResult): boolean {
    if (this.waiting.length >= this.limit) return false;
    this.waiting.push(task);
    if (!this.running) this.drain();
    return true;
  }

  private readonly drain = (): void => {
    this.running = true;
    let task: (() => TaskResult) | undefined;
    while ((task = this.waiting.shift())) {
      let result: TaskResult;
      try {
        result = task();
      } catch {
        continue;
      }
      if (isThenable(result)) {
        result.then(this.drain, this.drain);
        return;
      }
    }
    this.running = false;
  };
}
