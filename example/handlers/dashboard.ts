import { liveviewHandler, renderToString, send, type Update } from "express-liveview";
import type { User } from "../auth";
import { exampleContext } from "../context";
import type { Db } from "../db";
import type { SalesSeries } from "../sales_series";

/**
 * The stats update: the numbers as HTML, and the chart's points as a `dashboard:update` event (`dispatch`) that the
 * page's chart listens for. No script is pushed, so it works under the app's strict Content-Security-Policy.
 */
export function statsUpdate(series: SalesSeries): Update {
  const view = series.view();
  return {
    target: "#dashboard-stats",
    html: renderToString("partials/dashboard_stats", view),
    dispatch: "dashboard:update",
    detail: { labels: view.labels, values: view.values },
  };
}

/** The dashboard: drawn on first show (data-liveview-init), then pushed by the timer of startDashboard(). */
liveviewHandler("dashboard_init", (consumer) => send(consumer, statsUpdate(exampleContext().sales)));

/**
 * Pushes the dashboard to every open one with `liveview.broadcast`, every `dashboardIntervalMs` of the context;
 * pages without #dashboard-stats ignore the update. createApp starts it (on one node of a cluster) and its close()
 * calls the function this returns.
 */
export function startDashboard(): () => void {
  const { liveview, sales, dashboardIntervalMs } = exampleContext();
  const timer = setInterval(() => {
    sales.advance();
    liveview.broadcast(statsUpdate(sales));
  }, dashboardIntervalMs);
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
liveviewHandler("dashboard_mine", (consumer) => {
  const user = (consumer.scope.user as User | null) ?? null;
  const counts = myTodoCounts(exampleContext().db, user);
  const checked = new Date().toLocaleTimeString("en-GB");
  send(consumer, { target: "#dashboard-mine", html: renderToString("partials/dashboard_mine", { user, counts, checked }) });
});
