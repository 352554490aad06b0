// The soak's report: a row per minute, the totals by kind, the verdict (errors, lost and doubled must be 0;
// whether RSS is flat) as Markdown for bench/soak.md, and the series of the chart.
import { bytes, quantile } from "../support/stats";
import type { Series } from "./chart";
import type { ChatVerdict, LoadWindow, ServerSample } from "./types";

/** One 10-second window, merged over the load processes; times in seconds since the measured start. */
export interface Window extends Omit<LoadWindow, "cpu" | "loopDelayMs" | "errorSamples"> {
  start: number;
  end: number;
  /** Each load process's share of one core, and the worst p99 event loop delay among them, ms. */
  loadCpu: number[];
  loadLoopDelayMs: number;
  /** The machine's 1-minute load average when the window closed (other work on the machine shows here). */
  loadAverage: number;
}

export interface EndChecks {
  /** Calls never acked, after the drain. */
  lostCalls: number;
  /** Dashboard ticks a connected tab had not seen at the end (more than one behind the newest). */
  lostBroadcastsAtEnd: number;
  chat: ChatVerdict;
  /** From the app's SQLite database after the server stopped. */
  todosDoubled: number;
  todosMissing: number;
  chatsDoubled: number;
  chatsMissing: number;
  /** Calls the example's logging middleware saw. */
  loggedCalls: number;
}

export interface SoakResult {
  date: string;
  command: string;
  minutes: number;
  connections: number;
  loadProcesses: number;
  callIntervalMs: number;
  dropEveryMs: number;
  dropShare: number;
  tabsPerAddress: number;
  rampMs: number;
  loggedIn: number;
  kinds: Record<string, number>;
  windows: Window[];
  /** Server samples, `at` in seconds since the measured start. */
  samples: ServerSample[];
  end: EndChecks;
  notes: string[];
  /** Cores, CPU model, Node version. */
  machine: string;
  /** The chart's file name, beside the report. */
  svgName: string;
}

export interface MinuteRow {
  minute: number;
  callsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  lost: number;
  doubled: number;
  broadcasts: number;
  chatDeliveries: number;
  drops: number;
  recovered: number;
  unrecovered: number;
  rss: number;
  heap: number;
  heapTotal: number;
  external: number;
  /** The used heap after the minute's forced full collection (`--gc`), or NaN. */
  heapAfterGc: number;
  serverCpu: number;
  loadCpu: number;
  /** Worst per-second p99 event loop delay of the server, and of the load processes, ms. */
  serverLoopDelayMs: number;
  loadLoopDelayMs: number;
  /** Worst per-second p99 of the calls' time inside the server, ms. */
  serverCallMs: number;
  loadAverage: number;
  addresses: number;
  connections: number;
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const medianOf = (values: number[]): number => (values.length ? quantile(values, 0.5) : NaN);

export function minuteRows(result: SoakResult): MinuteRow[] {
  const rows: MinuteRow[] = [];
  for (let minute = 0; minute < result.minutes; minute++) {
    const windows = result.windows.filter((w) => w.start >= minute * 60 && w.start < (minute + 1) * 60);
    const samples = result.samples.filter((s) => s.at >= minute * 60 && s.at < (minute + 1) * 60);
    if (windows.length === 0) continue;
    const latencies = windows.flatMap((w) => w.latencies);
    const seconds = sum(windows.map((w) => w.end - w.start));
    const pick = (key: "sent" | "acked" | "errors" | "lostUpdates" | "lostBroadcasts" | "doubled" | "broadcasts" | "chatDeliveries" | "drops" | "recovered" | "unrecovered") => sum(windows.map((w) => w[key]));
    rows.push({
      minute: minute + 1,
      callsPerSecond: pick("acked") / seconds,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      errors: pick("errors"),
      lost: pick("lostUpdates") + pick("lostBroadcasts"),
      doubled: pick("doubled"),
      broadcasts: pick("broadcasts"),
      chatDeliveries: pick("chatDeliveries"),
      drops: pick("drops"),
      recovered: pick("recovered"),
      unrecovered: pick("unrecovered"),
      rss: medianOf(samples.map((s) => s.rss)),
      heap: medianOf(samples.map((s) => s.heapUsed)),
      heapTotal: medianOf(samples.map((s) => s.heapTotal)),
      external: medianOf(samples.map((s) => s.external)),
      heapAfterGc: medianOf(samples.flatMap((s) => (typeof s.heapAfterGc === "number" ? [s.heapAfterGc] : []))),
      serverCpu: sum(samples.map((s) => s.cpu)) / Math.max(1, samples.length),
      loadCpu: sum(windows.map((w) => sum(w.loadCpu))) / windows.length,
      serverLoopDelayMs: Math.max(0, ...samples.map((s) => s.loopDelayMs)),
      loadLoopDelayMs: Math.max(0, ...windows.map((w) => w.loadLoopDelayMs)),
      serverCallMs: Math.max(0, ...samples.map((s) => s.callMsP99).filter(Number.isFinite)),
      loadAverage: Math.max(0, ...windows.map((w) => w.loadAverage)),
      addresses: Math.max(0, ...samples.map((s) => s.addresses)),
      connections: medianOf(samples.map((s) => s.connections)),
    });
  }
  return rows;
}

export interface Totals {
  errors: number;
  lost: number;
  doubled: number;
  lostParts: Array<[string, number]>;
  doubledParts: Array<[string, number]>;
}

export function totals(result: SoakResult): Totals {
  const all = (key: "errors" | "lostUpdates" | "lostBroadcasts" | "doubled") => sum(result.windows.map((w) => w[key]));
  const { end } = result;
  const lostParts: Array<[string, number]> = [
    ["calls never acked", end.lostCalls],
    ["reply updates missing (tab connected or recovered)", all("lostUpdates")],
    ["dashboard broadcasts missing (tab connected or recovered)", all("lostBroadcasts") + end.lostBroadcastsAtEnd],
    ["chat deliveries missing (member connected or recovered)", end.chat.missing],
    ["acked todos not in the database", end.todosMissing],
    ["acked chat messages not in the database", end.chatsMissing],
  ];
  const doubledParts: Array<[string, number]> = [
    ["calls answered twice, counters ahead, broadcasts or chat messages seen twice", all("doubled")],
    ["todos stored twice", end.todosDoubled],
    ["chat messages stored twice", end.chatsDoubled],
  ];
  return {
    errors: all("errors"),
    lost: sum(lostParts.map(([, n]) => n)),
    doubled: sum(doubledParts.map(([, n]) => n)),
    lostParts,
    doubledParts,
  };
}

/** RSS is flat when the last minute's median is within 10% of the second minute's (the first is warm-up). */
export const FLAT_LIMIT = 0.1;

export function rssVerdict(rows: MinuteRow[]): { flat: boolean | null; text: string } {
  return flatnessVerdict(rows, "rss");
}

/** Whether one memory figure stayed within ±10% from minute 2 (after the ramp) to the last minute, with its trend. */
export function flatnessVerdict(rows: MinuteRow[], key: "rss" | "heap" | "external" | "heapAfterGc"): { flat: boolean | null; text: string } {
  if (rows.length < 3) return { flat: null, text: `too short to judge (${rows.length} minute(s); needs 3)` };
  const second = rows[1][key];
  const last = rows[rows.length - 1][key];
  const growth = (last - second) / second;
  // Least-squares slope over minutes 2..N, to show a trend the two end points might hide.
  const tail = rows.slice(1);
  const mx = sum(tail.map((r) => r.minute)) / tail.length;
  const my = sum(tail.map((r) => r[key])) / tail.length;
  const slope = sum(tail.map((r) => (r.minute - mx) * (r[key] - my))) / sum(tail.map((r) => (r.minute - mx) ** 2));
  const flat = Math.abs(growth) <= FLAT_LIMIT;
  const pct = `${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%`;
  return {
    flat,
    text: `${flat ? "flat" : "NOT flat"}: minute ${rows.length} median ${bytes(last)} against minute 2's ${bytes(second)} (${pct}; limit ±${FLAT_LIMIT * 100}%), trend ${bytes(Math.abs(slope))}/min ${slope >= 0 ? "up" : "down"} over minutes 2..${rows.length}`,
  };
}

const f1 = (n: number): string => (Number.isFinite(n) ? n.toFixed(1) : "–");
const f2 = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : "–");
const pct = (share: number): string => `${Math.round(share * 100)}%`;
const mb = (n: number): string => (Number.isFinite(n) ? (n / 1024 / 1024).toFixed(1) : "–");

export function renderMarkdown(result: SoakResult): string {
  const rows = minuteRows(result);
  const t = totals(result);
  const rss = rssVerdict(rows);
  const allLatencies = result.windows.flatMap((w) => w.latencies);
  const acked = sum(result.windows.map((w) => w.acked));
  const ok = (n: number) => (n === 0 ? "0 ✓" : `**${n}** ✗`);
  const lines: string[] = [];
  lines.push("# Soak", "");
  lines.push(`${result.date} · \`${result.command}\` · ${result.machine}`, "");
  lines.push(
    `The example app (example/app.ts, its real handlers, middlewares and 3 s dashboard) in its own process with NODE_ENV=production, ` +
      `${result.connections.toLocaleString("en-US")} virtual tabs in ${result.loadProcesses} load process(es) (socket.io-client, websocket only, ` +
      `${result.tabsPerAddress} tabs per loopback address), each loading its page over HTTP first ` +
      `(${result.loggedIn} logged in through POST /login), then one call every ${(result.callIntervalMs * 2 / 3 / 1000).toFixed(1)}–${(result.callIntervalMs * 4 / 3 / 1000).toFixed(1)} s. ` +
      `Every ${result.dropEveryMs / 1000} s, ${pct(result.dropShare)} of the tabs lose their connection (the engine closes; half of them right after a call went out) and reconnect on the browser's schedule. ` +
      `Tabs by page: ${Object.entries(result.kinds).map(([k, n]) => `${k} ${n}`).join(", ")}. Opening them all took ${(result.rampMs / 1000).toFixed(1)} s, not counted below.`,
    "",
  );
  lines.push("## Verdict", "");
  lines.push(`| check | result |`, `| --- | --- |`);
  lines.push(`| errors | ${ok(t.errors)} |`, `| lost | ${ok(t.lost)} |`, `| doubled | ${ok(t.doubled)} |`);
  lines.push(`| RSS | ${rss.text} |`);
  lines.push(`| JS heap used | ${flatnessVerdict(rows, "heap").text} |`);
  lines.push(`| external (Buffers) | ${flatnessVerdict(rows, "external").text} |`);
  if (rows.some((r) => Number.isFinite(r.heapAfterGc))) lines.push(`| heap after a forced full GC (\`--gc\`) | ${flatnessVerdict(rows, "heapAfterGc").text} |`);
  lines.push("");
  lines.push("## Per minute", "");
  lines.push("| minute | calls/s | p50 ms | p99 ms | in server p99 ms | errors | lost | doubled | broadcasts | chat deliveries | drops (recovered / not) | server RSS MB | heap used / total MB | after full GC MB | external MB | server CPU | load CPU | loop delay ms (server / load) | machine load | tabs | addresses |");
  lines.push("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
  for (const r of rows) {
    lines.push(
      `| ${r.minute} | ${Math.round(r.callsPerSecond)} | ${f2(r.p50)} | ${f1(r.p99)} | ${f1(r.serverCallMs)} | ${r.errors} | ${r.lost} | ${r.doubled} | ${r.broadcasts.toLocaleString("en-US")} | ${r.chatDeliveries.toLocaleString("en-US")} | ${r.drops} (${r.recovered} / ${r.unrecovered}) | ${mb(r.rss)} | ${mb(r.heap)} / ${mb(r.heapTotal)} | ${mb(r.heapAfterGc)} | ${mb(r.external)} | ${pct(r.serverCpu)} | ${pct(r.loadCpu)} | ${f1(r.serverLoopDelayMs)} / ${f1(r.loadLoopDelayMs)} | ${f2(r.loadAverage)} | ${Math.round(r.connections)} | ${r.addresses} |`,
    );
  }
  lines.push("");
  lines.push(
    "The lost column counts what the tabs see as it happens (reply updates and dashboard broadcasts missing); calls never acked, chat deliveries and the database are checked at the end and appear in the totals. " +
      "CPU is a share of one core; the machine has " + result.machine.split(" · ")[0] + ". " +
      "In server is the worst per-second p99 of a call's time from the first middleware to its ack (the example's logging middleware). Loop delay is the worst per-second p99 of the event loop's delay: high while CPU is low, the machine's other work (machine load: the 1-minute load average) held the process back, not the app.",
    "",
  );
  lines.push("## Totals", "");
  lines.push(`| | |`, `| --- | ---: |`);
  lines.push(`| calls acked | ${acked.toLocaleString("en-US")} |`);
  lines.push(`| round trip p50 / p99 / max | ${f2(quantile(allLatencies, 0.5))} / ${f1(quantile(allLatencies, 0.99))} / ${f1(allLatencies.reduce((max, value) => (value > max ? value : max), 0))} ms |`);
  lines.push(`| calls seen by the example's logging middleware | ${result.end.loggedCalls.toLocaleString("en-US")} |`);
  lines.push(`| dashboard broadcasts received | ${sum(result.windows.map((w) => w.broadcasts)).toLocaleString("en-US")} |`);
  lines.push(`| chat deliveries judged: delivered / excused (joined later, or away without recovery) | ${result.end.chat.delivered.toLocaleString("en-US")} / ${result.end.chat.excused.toLocaleString("en-US")} |`);
  const recovered = sum(result.windows.map((w) => w.recovered));
  const unrecovered = sum(result.windows.map((w) => w.unrecovered));
  lines.push(`| drops / reconnections recovered / not recovered | ${sum(result.windows.map((w) => w.drops))} / ${recovered} / ${unrecovered} |`);
  lines.push(`| errors | ${t.errors} |`);
  for (const [label, n] of t.lostParts) lines.push(`| lost: ${label} | ${n} |`);
  for (const [label, n] of t.doubledParts) lines.push(`| doubled: ${label} | ${n} |`);
  lines.push("");
  if (result.notes.length) {
    lines.push("## What went wrong (first notes)", "");
    for (const note of result.notes.slice(0, 30)) lines.push(`- ${note.replace(/\|/g, "\\|")}`);
    lines.push("");
  }
  lines.push(`![p99 round trip and server RSS over time](${result.svgName})`, "");
  return lines.join("\n");
}

/** p99 per 10-second window and the server's RSS each second, for the chart. */
export function chartSeries(result: SoakResult): { p99: Series; rss: Series } {
  return {
    p99: {
      label: "p99 round trip per 10 s",
      unit: "ms",
      color: "#c0392b",
      // The measured windows only: the drain at the end has few calls and would end the line at a dip.
      points: result.windows
        .filter((w) => w.latencies.length && w.start < result.minutes * 60)
        .map((w) => [w.end, quantile(w.latencies, 0.99)]),
    },
    rss: {
      label: "server RSS",
      unit: "MB",
      color: "#2471a3",
      points: result.samples.filter((s) => s.at >= 0 && s.at <= result.minutes * 60).map((s) => [s.at, s.rss / 1024 / 1024]),
    },
  };
}
