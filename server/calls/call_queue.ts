import { isThenable } from "./thenable.js";

/** What a task may return: nothing when it finished at once, or a promise of its end. */
export type TaskResult = void | PromiseLike<unknown>;

/** Why push() refused a task. */
export type QueueRefusal = "too_many_calls" | "too_many_bytes";

/**
 * Runs one socket's calls one after another, in the order they arrived (as Django LiveView's consumer
 * does), and bounds what waits, so a flooding client cannot grow memory: at most `limit` waiting calls of
 * at most `byteLimit` bytes in all. A task that finishes at once lets the next one run at once; one that
 * returns a promise holds the queue until it settles. (Awaiting every task would cost each call a few
 * microtask turns and promises.)
 */
export class CallQueue {
  private readonly waiting: Array<() => TaskResult> = [];
  /** The size of each waiting task, in the same order. */
  private readonly sizes: number[] = [];
  private waitingBytes = 0;
  private running = false;

  constructor(
    private readonly limit: number,
    private readonly byteLimit: number = Infinity,
  ) {}

  get size(): number {
    return this.waiting.length;
  }

  /** The bytes of the calls waiting (not the one running). */
  get bytes(): number {
    return this.waitingBytes;
  }

  /**
   * Queues a task of `bytes`; null when queued, else why not. A task that throws is dropped and the next one runs.
   * A call larger than the byte budget on its own still runs when nothing else waits, so none is refused for ever.
   */
  push(task: () => TaskResult, bytes = 0): QueueRefusal | null {
    if (this.waiting.length >= this.limit) return "too_many_calls";
    if (this.waitingBytes > 0 && this.waitingBytes + bytes > this.byteLimit) return "too_many_bytes";
    this.waiting.push(task);
    this.sizes.push(bytes);
    this.waitingBytes += bytes;
    if (!this.running) this.drain();
    return null;
  }

  private readonly drain = (): void => {
    this.running = true;
    let task: (() => TaskResult) | undefined;
    while ((task = this.waiting.shift())) {
      this.waitingBytes -= this.sizes.shift() ?? 0;
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
