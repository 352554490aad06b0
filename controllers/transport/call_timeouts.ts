interface Budget {
  /** Time this call may still wait while connected. */
  remainingMs: number;
  /** When the running timer started (null while paused). */
  startedAt: number | null;
  timer: ReturnType<typeof setTimeout> | null;
}

/**
 * The time each unanswered call may wait for its ack, counted only while connected: a call waiting in the
 * queue while offline is not timed out, and time spent disconnected does not count. `pause()` on a lost
 * connection, `resume()` when it is back. A budget of 0 turns the timeouts off.
 *
 * ```ts
 * const timeouts = new CallTimeouts(30_000, (id) => failCall(id, "timeout"));
 * timeouts.add(message.id);   // when the call is made
 * timeouts.delete(message.id); // when its ack arrives
 * ```
 */
export class CallTimeouts {
  private readonly budgets = new Map<string, Budget>();
  private connected = false;

  constructor(
    private readonly timeoutMs: number,
    private readonly onTimeout: (id: string) => void,
  ) {}

  add(id: string): void {
    if (this.timeoutMs <= 0) return;
    const budget: Budget = { remainingMs: this.timeoutMs, startedAt: null, timer: null };
    this.budgets.set(id, budget);
    if (this.connected) this.start(id, budget);
  }

  delete(id: string): void {
    const budget = this.budgets.get(id);
    if (budget?.timer) clearTimeout(budget.timer);
    this.budgets.delete(id);
  }

  resume(): void {
    this.connected = true;
    for (const [id, budget] of this.budgets) if (!budget.timer) this.start(id, budget);
  }

  pause(): void {
    this.connected = false;
    const now = Date.now();
    for (const budget of this.budgets.values()) {
      if (!budget.timer || budget.startedAt === null) continue;
      clearTimeout(budget.timer);
      budget.remainingMs = Math.max(0, budget.remainingMs - (now - budget.startedAt));
      budget.timer = null;
      budget.startedAt = null;
    }
  }

  size(): number {
    return this.budgets.size;
  }

  private start(id: string, budget: Budget): void {
    budget.startedAt = Date.now();
    budget.timer = setTimeout(() => {
      this.budgets.delete(id);
      this.onTimeout(id);
    }, budget.remainingMs);
  }
}
