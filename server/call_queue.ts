/**
 * Runs one socket's calls one after another, in the order they arrived (as Django LiveView's consumer
 * does), and refuses more than `limit` waiting calls so a flooding client cannot grow memory.
 */
export class CallQueue {
  private readonly waiting: Array<() => Promise<void>> = [];
  private running = false;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.waiting.length;
  }

  /** Queues a task; false when the queue is full. */
  push(task: () => Promise<void>): boolean {
    if (this.waiting.length >= this.limit) return false;
    this.waiting.push(task);
    if (!this.running) void this.drain();
    return true;
  }

  private async drain(): Promise<void> {
    this.running = true;
    let task: (() => Promise<void>) | undefined;
    while ((task = this.waiting.shift())) await task();
    this.running = false;
  }
}
