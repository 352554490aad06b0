// `npm run soak -- --minutes 10 --connections 2000 [--out bench/soak.md]`: the example app under a long
// mixed load (calls, broadcasts, chat, reconnections), checked for errors, lost and doubled calls, with
// p50/p99 and the server's RSS per minute. Writes the report and its chart (the same name, .svg) and
// exits non-zero unless errors, lost and doubled are all 0. See bench/README.md, "Soak".
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startChild, type BenchChild } from "../support/processes";
import { sleep } from "../support/stats";
import { chartSvg } from "./chart";
import { chartSeries, minuteRows, renderMarkdown, rssVerdict, totals, type EndChecks, type SoakResult, type Window } from "./report";
import { now, type ChatVerdict, type EndState, type LastTick, type LoadOptions, type LoadWindow, type SentChat, type ServerSample } from "./types";

const WINDOW_MS = 10_000;

function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const at = args.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  if (at < 0) return fallback;
  return args[at].includes("=") ? args[at].slice(args[at].indexOf("=") + 1) : (args[at + 1] ?? fallback);
}
const number = (name: string, fallback: number): number => {
  const value = Number(option(name, String(fallback)));
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number`);
  return value;
};

const minutes = number("minutes", 10);
const connections = Math.round(number("connections", 2000));
const out = path.resolve(option("out", path.join(__dirname, "..", "soak.md")));
// `--gc`: the server runs with --expose-gc and forces a full collection once a minute, recording the heap
// left after it: what is really retained, as opposed to what V8 has not collected yet.
const forceGc = process.argv.includes("--gc");
const svgPath = out.replace(/\.md$/, "") + ".svg";
// One socket.io-client process holds about 1,000 tabs at this rate with room to spare (see README).
const loadProcesses = Math.round(number("load-processes", Math.max(1, Math.ceil(connections / 1000))));
const callIntervalMs = number("call-interval-ms", 3000);
const dropEveryMs = number("drop-every-ms", 5000);
const dropShare = number("drop-share", 0.05);
const tabsPerAddress = Math.round(number("tabs-per-address", 20));
const seed = Math.round(number("seed", 1));
const runId = Date.now().toString(36);
const lifetimeMs = minutes * 60_000 + connections * 100 + 180_000;

interface Load {
  child: BenchChild;
  ready: { tabs: number; loggedIn: number; kinds: Record<string, number>; rampMs: number };
}

async function startServer(dataDir: string): Promise<{ child: BenchChild; url: string; samples: ServerSample[] }> {
  const child = startChild("soak/server.ts", [dataDir, String(lifetimeMs)], {
    nodeFlags: forceGc ? ["--expose-gc"] : [],
    env: { NODE_ENV: "production", TSX_TSCONFIG_PATH: path.join(__dirname, "tsconfig.json") },
    maxLifetimeMs: lifetimeMs,
  });
  const samples: ServerSample[] = [];
  child.process.on("message", (message: { type?: string; sample?: ServerSample }) => {
    if (message.type === "sample" && message.sample) samples.push(message.sample);
  });
  const { port } = await child.next<{ port: number }>((m) => m.type === "listening", 60_000);
  return { child, url: `http://127.0.0.1:${port}`, samples };
}

async function startLoads(url: string): Promise<Load[]> {
  const per = Math.ceil(connections / loadProcesses);
  const starting = Array.from({ length: loadProcesses }, (_, i) => {
    const first = i * per;
    const options: LoadOptions = {
      url, first, count: Math.min(per, connections - first), seed, callIntervalMs, dropEveryMs, dropShare, tabsPerAddress, runId,
    };
    const child = startChild("soak/load.ts", [JSON.stringify(options), String(lifetimeMs)], { maxLifetimeMs: lifetimeMs });
    return child
      .next<Load["ready"] & { type: string; error?: string }>((m) => m.type === "ready" || m.type === "failed", connections * 100 + 60_000)
      .then((ready) => {
        if (ready.type === "failed") throw new Error(`load process ${i}: ${ready.error}`);
        return { child, ready };
      });
  });
  return Promise.all(starting);
}

const merge = (parts: LoadWindow[], start: number, end: number): Window => ({
  start,
  end,
  latencies: parts.flatMap((p) => p.latencies),
  sent: parts.reduce((n, p) => n + p.sent, 0),
  acked: parts.reduce((n, p) => n + p.acked, 0),
  errors: parts.reduce((n, p) => n + p.errors, 0),
  lostUpdates: parts.reduce((n, p) => n + p.lostUpdates, 0),
  doubled: parts.reduce((n, p) => n + p.doubled, 0),
  broadcasts: parts.reduce((n, p) => n + p.broadcasts, 0),
  lostBroadcasts: parts.reduce((n, p) => n + p.lostBroadcasts, 0),
  chatDeliveries: parts.reduce((n, p) => n + p.chatDeliveries, 0),
  drops: parts.reduce((n, p) => n + p.drops, 0),
  recovered: parts.reduce((n, p) => n + p.recovered, 0),
  unrecovered: parts.reduce((n, p) => n + p.unrecovered, 0),
  loadCpu: parts.map((p) => p.cpu),
  loadLoopDelayMs: Math.max(...parts.map((p) => p.loopDelayMs)),
  loadAverage: os.loadavg()[0],
});

/** Each todo and chat message acked ok is stored exactly once; the database is read after the server stopped. */
function checkDatabase(file: string, todoTitles: string[], chats: SentChat[]) {
  const db = new Database(file, { readonly: true });
  try {
    const countBy = (sql: string) => new Map((db.prepare(sql).all(`soak-${runId}-%`) as Array<{ k: string; n: number }>).map((r) => [r.k, r.n]));
    const todos = countBy("SELECT title AS k, COUNT(*) AS n FROM todos WHERE title LIKE ? GROUP BY title");
    const messages = countBy("SELECT body AS k, COUNT(*) AS n FROM messages WHERE body LIKE ? GROUP BY body");
    const extra = (counts: Map<string, number>) => [...counts.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);
    const ackedChats = chats.filter((c) => c.ackedAt !== null).map((c) => `soak-${runId}-c${c.key}`);
    return {
      todosDoubled: extra(todos),
      todosMissing: todoTitles.filter((title) => !todos.has(title)).length,
      chatsDoubled: extra(messages),
      chatsMissing: ackedChats.filter((body) => !messages.has(body)).length,
    };
  } finally {
    db.close();
  }
}

function line(label: string, w: Window[], samples: ServerSample[]): string {
  const latencies = w.flatMap((x) => x.latencies).sort((a, b) => a - b);
  const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(p * latencies.length) - 1))] ?? NaN;
  const seconds = w.reduce((n, x) => n + x.end - x.start, 0);
  const rss = samples.length ? samples[samples.length - 1].rss / 1024 / 1024 : NaN;
  const cpu = samples.reduce((n, s) => n + s.cpu, 0) / Math.max(1, samples.length);
  const count = (key: "errors" | "doubled" | "lostUpdates" | "lostBroadcasts") => w.reduce((n, x) => n + x[key], 0);
  return (
    `${label}: ${Math.round(w.reduce((n, x) => n + x.acked, 0) / seconds)} calls/s, p50 ${q(0.5).toFixed(2)} ms, p99 ${q(0.99).toFixed(1)} ms, ` +
    `errors ${count("errors")}, lost ${count("lostUpdates") + count("lostBroadcasts")}, doubled ${count("doubled")}, ` +
    `server RSS ${rss.toFixed(1)} MB, CPU ${Math.round(cpu * 100)}%, loop delay ${Math.max(0, ...samples.map((s) => s.loopDelayMs)).toFixed(0)} ms, ` +
    `load CPU ${w.at(-1)?.loadCpu.map((c) => `${Math.round(c * 100)}%`).join("+")}, machine load ${os.loadavg()[0].toFixed(2)}`
  );
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "liveview-soak-"));
  const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}) · Node ${process.version}`;
  const date = new Date().toISOString().slice(0, 16).replace("T", " ");
  console.log(`soak: ${minutes} min, ${connections} tabs in ${loadProcesses} load process(es), data in ${dataDir}`);
  const server = await startServer(dataDir);
  let loads: Load[] = [];
  try {
    loads = await startLoads(server.url);
    const rampMs = Math.max(...loads.map((l) => l.ready.rampMs));
    console.log(`soak: ${connections} tabs open in ${(rampMs / 1000).toFixed(1)} s; measuring`);
    await Promise.all(loads.map((l) => l.child.request({ type: "start" })));
    const started = now();
    const since = (at: number) => (at - started) / 1000;
    const windows: Window[] = [];
    let windowStart = 0;
    const notes: string[] = [];
    const collect = (parts: LoadWindow[]) => {
      const end = since(now());
      windows.push(merge(parts, windowStart, end));
      windowStart = end;
      for (const part of parts) notes.push(...part.errorSamples);
    };
    const totalMs = minutes * 60_000;
    for (let at = WINDOW_MS; at <= totalMs; at += WINDOW_MS) {
      await sleep(Math.max(0, started + at - now()));
      const parts = await Promise.all(loads.map((l) => l.child.request<{ window: LoadWindow }>({ type: "flush" })));
      collect(parts.map((p) => p.window));
      if (at % 60_000 === 0) {
        const minute = at / 60_000;
        const inMinute = server.samples.filter((s) => since(s.at) >= (minute - 1) * 60 && since(s.at) < minute * 60);
        console.log(line(`minute ${minute}`, windows.slice(-6), inMinute));
      }
    }

    // The end: no new calls, the calls still out answered (or lost), then the final checks.
    await Promise.all(loads.map((l) => l.child.request({ type: "stop" })));
    const ends = await Promise.all(loads.map((l) => l.child.request<{ state: EndState; window: LoadWindow }>({ type: "end", deadlineMs: 30_000 }, 45_000)));
    collect(ends.map((e) => e.window));
    await sleep(2000); // chat messages acked just now reach the other members
    const ticks = (await Promise.all(loads.map((l) => l.child.request<{ ticks: LastTick[] }>({ type: "ticks" })))).flatMap((t) => t.ticks);
    const newest = Math.max(...ticks.map((t) => t.tick));
    const lostBroadcastsAtEnd = ticks.filter((t) => t.tick >= 0 && !t.excused).reduce((n, t) => n + Math.max(0, newest - 1 - t.tick), 0);
    const chatSent = ends.flatMap((e) => e.state.chatSent);
    const verdicts = await Promise.all(loads.map((l) => l.child.request<{ verdict: ChatVerdict & { samples: string[] } }>({ type: "verify", sent: chatSent }, 120_000)));
    const chat: ChatVerdict = {
      delivered: verdicts.reduce((n, v) => n + v.verdict.delivered, 0),
      missing: verdicts.reduce((n, v) => n + v.verdict.missing, 0),
      excused: verdicts.reduce((n, v) => n + v.verdict.excused, 0),
    };
    for (const v of verdicts) notes.push(...v.verdict.samples);
    await Promise.all(loads.map((l) => l.child.request({ type: "close" })));
    const { loggedCalls } = await server.child.request<{ loggedCalls: number }>({ type: "close" }, 30_000);
    await server.child.stop();
    const end: EndChecks = {
      lostCalls: ends.reduce((n, e) => n + e.state.lost, 0),
      lostBroadcastsAtEnd,
      chat,
      ...checkDatabase(path.join(dataDir, "app.db"), ends.flatMap((e) => e.state.todoTitles), chatSent),
      loggedCalls,
    };

    const result: SoakResult = {
      date,
      command: `npm run soak -- ${process.argv.slice(2).join(" ")}`.trim(),
      minutes,
      connections,
      loadProcesses,
      callIntervalMs,
      dropEveryMs,
      dropShare,
      tabsPerAddress,
      rampMs,
      loggedIn: loads.reduce((n, l) => n + l.ready.loggedIn, 0),
      kinds: loads.reduce<Record<string, number>>((all, l) => {
        for (const [kind, n] of Object.entries(l.ready.kinds)) all[kind] = (all[kind] ?? 0) + n;
        return all;
      }, {}),
      windows,
      samples: server.samples.map((s) => ({ ...s, at: since(s.at) })),
      end,
      notes,
      machine,
      svgName: path.basename(svgPath),
    };
    writeFileSync(out, renderMarkdown(result));
    const series = chartSeries(result);
    writeFileSync(svgPath, chartSvg(`Soak: ${connections.toLocaleString("en-US")} tabs, ${minutes} min`, minutes * 60, series.p99, series.rss));
    const t = totals(result);
    const rss = rssVerdict(minuteRows(result));
    console.log(`\nsoak: errors ${t.errors}, lost ${t.lost}, doubled ${t.doubled}; RSS ${rss.text}`);
    for (const [label, n] of [...t.lostParts, ...t.doubledParts]) if (n) console.log(`  ${label}: ${n}`);
    for (const note of notes.slice(0, 10)) console.log(`  note: ${note}`);
    console.log(`soak: wrote ${path.relative(process.cwd(), out)} and ${path.relative(process.cwd(), svgPath)}`);
    process.exitCode = t.errors === 0 && t.lost === 0 && t.doubled === 0 ? 0 : 1;
  } finally {
    await Promise.all(loads.map((l) => l.child.stop()));
    await server.child.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(2);
});
