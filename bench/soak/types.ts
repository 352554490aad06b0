// What the soak's processes tell each other over IPC: the parent (run.ts), the example app (server.ts)
// and the load processes (load.ts). Times are epoch milliseconds with sub-millisecond precision
// (`performance.timeOrigin + performance.now()`), comparable across processes on one machine.

export const now = (): number => performance.timeOrigin + performance.now();

/** What the server process reports once a second. */
export interface ServerSample {
  at: number;
  rss: number;
  heapUsed: number;
  /** V8's reserved heap: what the garbage collector holds on to beyond heapUsed. */
  heapTotal: number;
  /** Memory outside the V8 heap that JS objects own (Buffers, ArrayBuffers: socket frames, SQLite rows). */
  external: number;
  /** With `--gc`: the used heap right after a forced full collection (once a minute; null in other samples). */
  heapAfterGc: number | null;
  /** Share of one core used since the previous sample (0..n). */
  cpu: number;
  /** Open engine.io connections. */
  connections: number;
  /** Distinct client addresses among them (the load spreads over 127.0.0.2, 127.0.0.3, ...). */
  addresses: number;
  /** p99 of the event loop's delay over the second, ms: high with low CPU means the machine starved the process. */
  loopDelayMs: number;
  /** p99 over the second of the calls' time inside the server (the example's logging middleware: middleware to ack), ms. */
  callMsP99: number;
}

export interface LoadOptions {
  url: string;
  /** This process's tabs: global indexes [first, first + count). */
  first: number;
  count: number;
  seed: number;
  /** Mean pause between one tab's calls (uniform in 2/3..4/3 of it). */
  callIntervalMs: number;
  /** How often a round of drops happens, and the share of this process's tabs each round drops. */
  dropEveryMs: number;
  dropShare: number;
  /** Tabs per loopback source address (127.0.0.2 onwards). */
  tabsPerAddress: number;
  /** Tag for unique call ids and texts, so no two runs share one. */
  runId: string;
}

/** One window of a load process (the parent asks every 10 s): what happened since the last one. */
export interface LoadWindow {
  /** Round trips of the calls acked in this window, ms. */
  latencies: number[];
  sent: number;
  acked: number;
  errors: number;
  /** Calls answered but whose reply update never came although the tab stayed connected or recovered. */
  lostUpdates: number;
  doubled: number;
  broadcasts: number;
  lostBroadcasts: number;
  chatDeliveries: number;
  drops: number;
  recovered: number;
  unrecovered: number;
  /** The load process's own CPU, share of one core over the window, and its event loop's p99 delay, ms. */
  cpu: number;
  loopDelayMs: number;
  /** Up to a few distinct error texts, to say what went wrong. */
  errorSamples: string[];
}

/** A chat message a tab sent: who should have seen it is decided at the end, against every tab's history. */
export interface SentChat {
  key: number;
  room: string;
  sentAt: number;
  /** null: never acked (a lost call; its delivery is not judged). */
  ackedAt: number | null;
}

export interface ChatVerdict {
  /** Deliveries a member had to get (connected or recovered across the send) and got once. */
  delivered: number;
  /** Had to get it and did not. */
  missing: number;
  /** Not judged: the tab joined after it, or was away without recovery while it was sent. */
  excused: number;
}

export interface EndState {
  /** Calls never acked. */
  lost: number;
  /** Todo titles created with an ok ack: each must be in the database exactly once. */
  todoTitles: string[];
  chatSent: SentChat[];
}

/** The highest dashboard tick a tab saw (-1: none), and whether it may have missed the last ones (away, unrecovered). */
export interface LastTick {
  tick: number;
  excused: boolean;
}

export type LoadMessage =
  | { type: "ready"; tabs: number; loggedIn: number; kinds: Record<string, number>; rampMs: number }
  | { type: "failed"; error: string };
