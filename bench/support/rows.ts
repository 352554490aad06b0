// Turns each figure's measurements into table rows, with the targets of issue 7.
import type { ActionFigures, AlertAction } from "../figures/alerts_workload";
import type { BundleFigures } from "../figures/bundle_size";
import type { ClusterFanOut } from "../figures/cluster_fanout";
import type { ConnectionFigures } from "../figures/connections";
import type { DomFigures } from "../figures/dom_update";
import type { LevelResult } from "../figures/round_trip";
import type { UploadFigures } from "../upload_throughput";
import { target, type Row } from "./report";
import { bytes, ms, perSecond, ratio, us } from "./stats";

/** Django LiveView's own figure for this workload (its documentation), shown as context only. */
export const DJANGO_LIVEVIEW_MS_PER_ACTION = 22.91;
const TARGET_LEVEL = 100;
const share = (fraction: number): string => `${Math.round(fraction * 100)}%`;

export function roundTripRows(results: Map<number, LevelResult>): Row[] {
  const rows: Row[] = [];
  for (const [n, { liveview: lv, echo, noRecovery }] of results) {
    const at = `Round trip, ${n.toLocaleString("en-US")} connection${n === 1 ? "" : "s"}`;
    const targeted = n === TARGET_LEVEL;
    rows.push(
      {
        figure: `${at}: calls/s`,
        ours: `${perSecond(lv.callsPerSecond)} (load client: ${share(lv.clientCpuShare)} of its core)`,
        baseline: `socket.io echo: ${perSecond(echo.callsPerSecond)} (${share(echo.clientCpuShare)})`,
        ratio: ratio(lv.callsPerSecond, echo.callsPerSecond),
        target: targeted ? target(lv.callsPerSecond / echo.callsPerSecond, 0.9, "min") : "",
      },
      {
        figure: `${at}: latency p50 / p99`,
        ours: `${ms(lv.p50Ms)} / ${ms(lv.p99Ms)}`,
        baseline: `${ms(echo.p50Ms)} / ${ms(echo.p99Ms)}`,
        ratio: `${ratio(lv.p50Ms, echo.p50Ms)} / ${ratio(lv.p99Ms, echo.p99Ms)}`,
        target: targeted ? `p99 ${target(lv.p99Ms / echo.p99Ms, 1.2, "max")}` : "",
      },
      {
        figure: `${at}: server CPU per call`,
        ours: us(lv.cpuPerCallUs),
        baseline: us(echo.cpuPerCallUs),
        ratio: ratio(lv.cpuPerCallUs, echo.cpuPerCallUs),
        target: targeted ? target(lv.cpuPerCallUs / echo.cpuPerCallUs, 1.2, "max") : "",
      },
    );
    if (noRecovery) {
      rows.push({
        figure: `${at}, \`recoveryWindowMs: 0\` (no missed-update recovery): calls/s; CPU per call`,
        ours: `${perSecond(noRecovery.callsPerSecond)}; ${us(noRecovery.cpuPerCallUs)}`,
        baseline: `${perSecond(echo.callsPerSecond)}; ${us(echo.cpuPerCallUs)}`,
        ratio: `${ratio(noRecovery.callsPerSecond, echo.callsPerSecond)}; ${ratio(noRecovery.cpuPerCallUs, echo.cpuPerCallUs)}`,
        target: "(context)",
      });
    }
  }
  const [first] = results.values();
  if (first) {
    rows.push({
      figure: "Round trip: bytes on the wire per call (in / out)",
      ours: `${bytes(first.liveview.bytesInPerCall)} / ${bytes(first.liveview.bytesOutPerCall)}`,
      baseline: `${bytes(first.echo.bytesInPerCall)} / ${bytes(first.echo.bytesOutPerCall)}`,
      ratio: ratio(first.liveview.bytesInPerCall, first.echo.bytesInPerCall),
      target: "",
    });
  }
  return rows;
}

export function connectionRows(lv: ConnectionFigures, echo: ConnectionFigures): Row[] {
  const n = lv.connections.toLocaleString("en-US");
  const rows: Row[] = [
    {
      figure: `Idle memory per connection, ${n} connections (RSS)`,
      ours: bytes(lv.rssPerConnection),
      baseline: bytes(echo.rssPerConnection),
      ratio: ratio(lv.rssPerConnection, echo.rssPerConnection),
      target: target(lv.rssPerConnection / echo.rssPerConnection, 1.3, "max"),
    },
  ];
  if (lv.fanOutMs !== undefined && echo.fanOutMs !== undefined) {
    rows.push({
      figure: `Broadcast until all ${n} connections got it (median of ${lv.fanOutSamples?.length})`,
      ours: `${ms(lv.fanOutMs)} (liveview.broadcast)`,
      baseline: `${ms(echo.fanOutMs)} (io.emit)`,
      ratio: ratio(lv.fanOutMs, echo.fanOutMs),
      target: target(lv.fanOutMs / echo.fanOutMs, 1.2, "max"),
    });
  }
  return rows;
}

/** Two nodes behind Redis against one in-memory node, both measured in this run. */
export function clusterFanOutRow(cluster: ClusterFanOut, oneNodeMs: number): Row {
  const n = cluster.connections.toLocaleString("en-US");
  return {
    figure: `Broadcast until all ${n} connections got it, spread over two nodes behind Redis (median of ${cluster.samples.length})`,
    ours: `${ms(cluster.fanOutMs)} (liveview.broadcast on one node)`,
    baseline: `one node, in memory: ${ms(oneNodeMs)}`,
    ratio: ratio(cluster.fanOutMs, oneNodeMs),
    target: "",
  };
}

export function bundleRows(b: BundleFigures): Row[] {
  const extraKb = (b.gzip - b.floorGzip) / 1024;
  return [
    {
      figure: "Browser bundle liveview.min.js, gzip",
      ours: bytes(b.gzip),
      baseline: `Stimulus + socket.io-client alone: ${bytes(b.floorGzip)}`,
      ratio: `${ratio(b.gzip, b.floorGzip)} (+${extraKb.toFixed(1)} KB)`,
      target: `≤ +4 KB: ${extraKb <= 4 ? "met" : "**not met**"}`,
    },
    {
      figure: "Browser bundle liveview.min.js, raw",
      ours: bytes(b.raw),
      baseline: bytes(b.floorRaw),
      ratio: ratio(b.raw, b.floorRaw),
      target: "",
    },
  ];
}

export function domRows(d: DomFigures, iterations: number): Row[] {
  return [
    {
      figure: `Apply a 1,000-row table body, receipt to DOM (median of ${iterations})`,
      ours: ms(d.replaceMs),
      baseline: `innerHTML: ${ms(d.replaceBaselineMs)}`,
      ratio: ratio(d.replaceMs, d.replaceBaselineMs),
      target: "",
    },
    {
      figure: "100 appends of 10 rows, receipt to DOM (sum)",
      ours: ms(d.appendsMs),
      baseline: `insertAdjacentHTML: ${ms(d.appendsBaselineMs)}`,
      ratio: ratio(d.appendsMs, d.appendsBaselineMs),
      target: "",
    },
    {
      figure: `Morph the 1,000-row table into a render with every row's time changed (median of ${iterations})`,
      ours: `morph ${ms(d.tableMorphMs)}; replace ${ms(d.tableReplaceMs)}`,
      baseline: `innerHTML: ${ms(d.tableInnerHtmlMs)}`,
      ratio: `${ratio(d.tableMorphMs, d.tableInnerHtmlMs)}; ${ratio(d.tableReplaceMs, d.tableInnerHtmlMs)}`,
      target: `morph ${target(d.tableMorphMs / d.tableInnerHtmlMs, 2, "max")}`,
    },
    {
      figure: "The 100 appends done the morph way: the whole list (10 to 1,000 rows) re-sent and morphed each time (sum)",
      ours: `morph ${ms(d.growMorphMs)}`,
      baseline: `innerHTML of the whole list: ${ms(d.growInnerHtmlMs)}`,
      ratio: ratio(d.growMorphMs, d.growInnerHtmlMs),
      target: "",
    },
    {
      figure: `Re-render a 200-field form with new values and errors (median of ${iterations})`,
      ours: `morph ${ms(d.formMorphMs)}; replace ${ms(d.formReplaceMs)}`,
      baseline: `innerHTML: ${ms(d.formInnerHtmlMs)}`,
      ratio: `${ratio(d.formMorphMs, d.formInnerHtmlMs)}; ${ratio(d.formReplaceMs, d.formInnerHtmlMs)}`,
      target: "",
    },
  ];
}

const ACTION_LABELS: Record<AlertAction, string> = {
  create: "create a random alert (insert, broadcast table, notification)",
  details: "view an alert's details in a modal",
  delete: "delete an alert (broadcast table)",
};

export function alertRows(figures: Record<AlertAction, ActionFigures>, iterations: number): Row[] {
  return (Object.keys(ACTION_LABELS) as AlertAction[]).map((action) => {
    const f = figures[action];
    return {
      figure: `Alerts page on SQLite: ${ACTION_LABELS[action]}, click to DOM, median / p95 of ${iterations}; bytes on the wire`,
      ours: `${ms(f.medianMs)} / ${ms(f.p95Ms)}; ${bytes(f.bytes)}`,
      baseline: `Django LiveView reports ${DJANGO_LIVEVIEW_MS_PER_ACTION} ms per action (its docs, not this run)`,
      ratio: `${ratio(f.medianMs, DJANGO_LIVEVIEW_MS_PER_ACTION)} (context only)`,
      target: "",
    };
  });
}

export function uploadRow(upload: UploadFigures): Row {
  return {
    figure: `Upload of a ${upload.fileBytes / (1024 * 1024)} MB file from Chromium (median of ${upload.iterations})`,
    ours: `${upload.socketMBps.toFixed(1)} MB/s`,
    baseline: `plain HTTP POST: ${upload.httpMBps.toFixed(1)} MB/s`,
    ratio: ratio(upload.socketMBps, upload.httpMBps),
    target: "",
  };
}
