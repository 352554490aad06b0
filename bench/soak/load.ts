// A load process of the soak: opens its share of the virtual tabs (page load over HTTP, then the socket,
// 50 at a time), starts them calling when the parent says so, drops a share of them every few seconds,
// and answers the parent: `flush` (the window since the last flush), `stop` (no new calls), `end` (wait
// for the calls still out, then what is needed for the final checks), `verify` (the chat deliveries).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PAGES, pathOf, type PageKind } from "./calls";
import { verifyChat, type ChatMember } from "./chat_check";
import { loadPage } from "./page_load";
import { Tab, type TabShared } from "./tab";
import { serveParent, tellParent } from "../support/processes";
import { now, type EndState, type LoadOptions, type LoadWindow, type SentChat } from "./types";

const options = JSON.parse(process.argv[2]) as LoadOptions;
const maxLifetimeMs = Number(process.argv[3]);

/** mulberry32: a small seeded generator, so a run's mix of pages and calls can be repeated. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = seeded(options.seed * 7919 + options.first);

const emptyWindow = (): LoadWindow => ({
  latencies: [], sent: 0, acked: 0, errors: 0, lostUpdates: 0, doubled: 0, broadcasts: 0, lostBroadcasts: 0,
  chatDeliveries: 0, drops: 0, recovered: 0, unrecovered: 0, cpu: 0, loopDelayMs: 0, errorSamples: [],
});
let current = emptyWindow();
let cpuMark = process.cpuUsage();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let windowStart = now();
const MAX_NOTES = 30;
let notes = 0;
let stopping = false;
const chatSent: SentChat[] = [];
const todoTitles: string[] = [];

const shared: TabShared = {
  url: options.url,
  runId: options.runId,
  callIntervalMs: options.callIntervalMs,
  window: () => current,
  chatSent,
  todoTitles,
  note: (text) => {
    if (notes >= MAX_NOTES) return;
    notes++;
    current.errorSamples.push(text);
  },
  stopping: () => stopping,
};

function flush(): LoadWindow {
  const window = current;
  const at = now();
  const cpu = process.cpuUsage(cpuMark);
  window.cpu = (cpu.user + cpu.system) / 1000 / (at - windowStart);
  window.loopDelayMs = loopDelay.percentile(99) / 1e6;
  loopDelay.reset();
  current = emptyWindow();
  cpuMark = process.cpuUsage();
  windowStart = at;
  return window;
}

/** 127.0.0.2, 127.0.0.3, ...: every `tabsPerAddress` tabs share one, as users behind one address would. */
function sourceAddress(index: number): string {
  const n = 2 + Math.floor(index / options.tabsPerAddress);
  return `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function pickPage(): { kind: PageKind; loggedIn: boolean } {
  const total = PAGES.reduce((sum, page) => sum + page.weight, 0);
  let roll = random() * total;
  const page = PAGES.find((p) => (roll -= p.weight) < 0) ?? PAGES[0];
  return { kind: page.kind, loggedIn: random() < page.loggedIn };
}

const tabs: Tab[] = [];

async function openTab(index: number): Promise<void> {
  const { kind, loggedIn } = pickPage();
  const path = pathOf(kind, random);
  const address = sourceAddress(index);
  const user = loggedIn ? `soak_${options.runId}_${index}` : null;
  const page = await loadPage(options.url, path, address, user);
  const chatRoom = kind === "chat" ? path.slice("/chat/".length) : null;
  const tab = new Tab(index, kind, loggedIn, chatRoom, page, address, random, shared);
  tabs.push(tab);
  await tab.open();
}

async function openAll(): Promise<void> {
  const started = now();
  let next = options.first;
  const end = options.first + options.count;
  const worker = async () => {
    while (next < end) await openTab(next++);
  };
  await Promise.all(Array.from({ length: Math.min(50, options.count) }, worker));
  tellParent({
    type: "ready",
    tabs: tabs.length,
    loggedIn: tabs.filter((tab) => tab.loggedIn).length,
    kinds: Object.fromEntries(PAGES.map((p) => [p.kind, tabs.filter((tab) => tab.kind === p.kind).length])),
    rampMs: now() - started,
  });
}

let dropper: NodeJS.Timeout | null = null;

/** Each round drops a share of the tabs: half at once, half right after their next call goes out. */
function startDropping(): void {
  dropper = setInterval(() => {
    const candidates = tabs.filter((tab) => tab.connected && !tab.dropOnNextCall);
    const count = Math.min(candidates.length, Math.round(tabs.length * options.dropShare));
    for (let i = 0; i < count; i++) {
      const [tab] = candidates.splice(Math.floor(random() * candidates.length), 1);
      if (i % 2 === 0) tab.dropOnNextCall = true;
      else tab.drop();
    }
  }, options.dropEveryMs);
}

async function end(deadlineMs: number): Promise<EndState> {
  const deadline = now() + deadlineMs;
  while (now() < deadline && tabs.some((tab) => tab.busy || tab.away)) await sleep(100);
  const lost = tabs.reduce((sum, tab) => sum + tab.unanswered(), 0);
  if (lost > 0) shared.note(`${lost} calls never answered (tabs away at the end: ${tabs.filter((tab) => tab.away).length})`);
  return {
    lost,
    todoTitles,
    chatSent,
  };
}

function members(): ChatMember[] {
  return tabs.map((tab) => ({
    chatRoom: tab.chatRoom,
    connectedAt: tab.connectedAt,
    gaps: tab.awayFrom === null ? tab.gaps : [...tab.gaps, [tab.awayFrom, Infinity]],
    chatReceived: tab.chatReceived,
  }));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

serveParent(async (message) => {
  switch (message.type) {
    case "start":
      for (const tab of tabs) tab.start();
      startDropping();
      return {};
    case "flush":
      return { window: flush() };
    case "stop":
      stopping = true;
      if (dropper) clearInterval(dropper);
      for (const tab of tabs) {
        tab.stop();
        tab.dropOnNextCall = false;
      }
      return {};
    case "end":
      return { state: await end(Number(message.deadlineMs)), window: flush() };
    // Asked of every load process at the same moment, so their tabs' last ticks compare.
    case "ticks":
      return { ticks: tabs.map((tab) => ({ tick: tab.lastTick ?? -1, excused: tab.tickExcused || tab.away })) };
    case "verify":
      return { verdict: verifyChat(members(), message.sent as SentChat[]) };
    case "close":
      for (const tab of tabs) tab.socket.disconnect();
      return {};
    default:
      return { error: `unknown request ${String(message.type)}` };
  }
}, maxLifetimeMs);

openAll().catch((error: unknown) => {
  tellParent({ type: "failed", error: String(error instanceof Error ? error.stack : error) });
  setTimeout(() => process.exit(1), 100);
});
