import type { LiveView } from "express-liveview";
import type { Db } from "./db";
import type { SalesSeries } from "./sales_series";

/**
 * What the example's handler modules use. Each module in example/handlers/ registers its handlers as it is
 * imported, with no arguments, and reads this when a call comes; createApp fills it in before the handlers
 * folder loads. A test can put stand-ins here (its own database, a fake `liveview`) and call the handlers.
 */
export interface ExampleContext {
  db: Db;
  /** For pushes to other tabs (chat rooms, the dashboard): the app's LiveView, or a stand-in. */
  liveview: Pick<LiveView, "broadcast" | "sendToRoom">;
  /** Where the app keeps its files (avatars in `avatars/`). */
  dataDir: string;
  /** The dashboard's chart: moved on by createApp's push timer, drawn by `dashboard_init`. */
  sales: SalesSeries;
  /** How often the dashboard is pushed, in ms. */
  dashboardIntervalMs: number;
}

let current: ExampleContext | null = null;

export function setExampleContext(context: ExampleContext): void {
  current = context;
}

/** The context createApp set; throws when none was set (a handler called outside an app). */
export function exampleContext(): ExampleContext {
  if (!current) throw new Error("example/context.ts: no context yet (createApp() or a test sets it)");
  return current;
}
