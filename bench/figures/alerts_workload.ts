// Figure 6: the seed's headline workload (see alerts/alerts_app.ts) driven in Chromium. Each action is a
// click made in the page; the time runs from just before the click to the MutationObserver callback that
// sees the result in the DOM. Bytes on the wire are the WebSocket frame payloads both ways, from the click
// until the call's ack, as Chromium reports them to playwright.
import type { Browser, Page, WebSocket } from "playwright-core";
import { startAlertsApp } from "../alerts/alerts_app";
import { median, quantile } from "../support/stats";
import { openLiveViewPage } from "../support/page_server";

export type AlertAction = "create" | "details" | "delete";
export const ALERT_ACTIONS: AlertAction[] = ["create", "details", "delete"];

export interface ActionFigures {
  medianMs: number;
  p95Ms: number;
  /** Median bytes per action, frame payloads sent + received. */
  bytes: number;
}

/** Counts frame bytes from a reset until the next ack (`43<id>[...]`) arrives. */
class FrameMeter {
  bytes = 0;
  private onAck: (() => void) | null = null;

  attach(ws: WebSocket): void {
    const count = (payload: string | Buffer) => {
      // Engine.io pings and pongs are not part of any action.
      if (payload === "2" || payload === "3") return;
      this.bytes += Buffer.byteLength(payload);
    };
    ws.on("framesent", ({ payload }) => count(payload));
    ws.on("framereceived", ({ payload }) => {
      count(payload);
      if (typeof payload === "string" && payload.startsWith("43")) this.onAck?.();
    });
  }

  /** Resets the count; resolves at the next ack. */
  armed(): Promise<void> {
    this.bytes = 0;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no ack within 5 s")), 5000);
      this.onAck = () => {
        clearTimeout(timer);
        this.onAck = null;
        resolve();
      };
    });
  }
}

/** Clicks the action's button in the page and resolves with ms until its result is in the DOM. */
const act = (page: Page, action: AlertAction, id: string) =>
  page.evaluate(
    ({ action, id }) =>
      new Promise<{ ms: number; newest: string }>((resolve, reject) => {
        const byId = (selector: string) => document.querySelector(selector);
        const targets = { create: "#notifications", details: "#modal", delete: "#alerts-table" };
        const target = byId(targets[action])!;
        const before = new Set(Array.from(target.children));
        const done = {
          create: () => Array.from(target.children).some((child) => !before.has(child)),
          details: () => target.querySelector(`[data-alert-id="${id}"]`) !== null,
          delete: () => document.getElementById(`alert-${id}`) === null,
        }[action];
        const button = (
          action === "create"
            ? byId("#create-alert")
            : byId(
                `#alert-${id} button[data-liveview-function="${action === "details" ? "alert_details" : "delete_alert"}"]`,
              )
        ) as HTMLElement;
        const timer = setTimeout(() => reject(new Error(`${action} ${id}: no result within 5 s`)), 5000);
        let start = 0;
        const observer = new MutationObserver(() => {
          if (!done()) return;
          const ms = performance.now() - start;
          observer.disconnect();
          clearTimeout(timer);
          resolve({ ms, newest: byId("#alerts-table tbody tr")?.id.replace("alert-", "") ?? "" });
        });
        observer.observe(target, { childList: true, subtree: true });
        start = performance.now();
        button.click();
      }),
    { action, id },
  );

export async function measureAlerts(
  browser: Browser,
  opts: { iterations: number },
): Promise<Record<AlertAction, ActionFigures>> {
  const app = await startAlertsApp(20);
  const context = await browser.newContext();
  const meter = new FrameMeter();
  const times: Record<AlertAction, number[]> = { create: [], details: [], delete: [] };
  const bytes: Record<AlertAction, number[]> = { create: [], details: [], delete: [] };
  try {
    const page = await openLiveViewPage(context, app.url, (p) => p.on("websocket", (ws) => meter.attach(ws)));
    // Two warm-up rounds, then the measured ones: create an alert, open its details, delete it.
    for (let round = -2; round < opts.iterations; round++) {
      let id = "";
      for (const action of ALERT_ACTIONS) {
        const acked = meter.armed();
        const result = await act(page, action, id);
        await acked;
        if (action === "create") id = result.newest;
        if (round < 0) continue;
        times[action].push(result.ms);
        bytes[action].push(meter.bytes);
      }
    }
  } finally {
    await context.close();
    await app.close();
  }
  const figures = {} as Record<AlertAction, ActionFigures>;
  for (const action of ALERT_ACTIONS) {
    figures[action] = {
      medianMs: median(times[action]),
      p95Ms: quantile(times[action], 0.95),
      bytes: median(bytes[action]),
    };
  }
  return figures;
}
