import { liveviewHandler, renderToString, send, type LiveView } from "express-liveview";
import type { User } from "../auth";
import type { Db } from "../db";

/** A made-up sales series that moves a little every tick. */
export class SalesSeries {
  private readonly values: number[] = [];
  private tick = 0;

  constructor(private readonly length = 12) {
    for (let i = 0; i < length; i++) this.advance();
  }

  advance(): void {
    const last = this.values[this.values.length - 1] ?? 100;
    this.values.push(Math.max(10, Math.round(last + (Math.random() - 0.45) * 20)));
    if (this.values.length > this.length) this.values.shift();
    this.tick++;
  }

  view(): { labels: string[]; values: number[]; total: number; latest: number; tick: number } {
    const labels = this.values.map((_, i) => `t-${this.values.length - 1 - i}`);
    return { labels, values: [...this.values], total: this.values.reduce((a, b) => a + b, 0), latest: this.values[this.values.length - 1], tick: this.tick };
  }
}

/** The stats block: numbers, and an inline script that draws them on the Chart.js chart. */
export function statsHtml(series: SalesSeries): string {
  const view = series.view();
  const data = JSON.stringify({ labels: view.labels, values: view.values }).replace(/</g, "\\u003c");
  return renderToString("partials/dashboard_stats", { ...view, data });
}

/**
 * The dashboard: drawn on first show (data-liveview-init), then pushed to every open dashboard
 * by a timer with `liveview.broadcast`. Pages without #dashboard-stats ignore the update.
 */
export function startDashboard(liveview: LiveView, intervalMs: number): () => void {
  const series = new SalesSeries();
  liveviewHandler("dashboard_init", (consumer) => send(consumer, { target: "#dashboard-stats", html: statsHtml(series) }));
  const timer = setInterval(() => {
    series.advance();
    liveview.broadcast({ target: "#dashboard-stats", html: statsHtml(series) });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** The user's own todo counts, or null for a visitor. */
export function myTodoCounts(db: Db, user: User | null): { open: number; done: number } | null {
  if (!user) return null;
  const row = db
    .prepare("SELECT COUNT(*) AS total, COALESCE(SUM(done), 0) AS done FROM todos WHERE author = ?")
    .get(user.name) as { total: number; done: number };
  return { open: row.total - row.done, done: row.done };
}

/**
 * The dashboard's per-user panel: each tab polls `dashboard_mine` (`data-liveview-poll`), and the handler renders
 * that tab's user's own figures. Everyone sees the same chart, pushed once for all; each sees their own panel.
 */
export function registerMyStatsHandler(db: Db): void {
  liveviewHandler("dashboard_mine", (consumer) => {
    const user = (consumer.scope.user as User | null) ?? null;
    const counts = myTodoCounts(db, user);
    const checked = new Date().toLocaleTimeString("en-GB");
    send(consumer, { target: "#dashboard-mine", html: renderToString("partials/dashboard_mine", { user, counts, checked }) });
  });
}
