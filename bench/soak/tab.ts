// One virtual browser tab: its socket (socket.io-client, websocket only, from its own loopback address),
// one call at a time with a pause between, and the checks of everything it receives. Each call is
// judged when its ack comes: an error ack or error update is an error, a reply update that never came
// although the tab stayed connected (or recovered) is a lost update, two replies or a counter that ran
// ahead are a doubled call. A call sent and not answered when the connection dropped is resent with the
// same id after the reconnection, as the browser's client does (controllers/transport/socket_io_connection.ts).
import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { DEFAULT_PATH, LIVEVIEW_EVENT, RECONNECT_DEFAULTS, type CallAck, type CallMessage, type Update } from "../../protocol/index";
import { applyBackoffFactor, managerOptions } from "../../controllers/transport/reconnect_schedule";
import { chatKeyIn, initCall, planCall, type CallContext, type PageKind, type PlannedCall } from "./calls";
import type { LoadedPage } from "./page_load";
import { now, type LoadWindow, type SentChat } from "./types";

/** What the tabs of one load process share: the current window's counters and the run's records. */
export interface TabShared {
  url: string;
  runId: string;
  callIntervalMs: number;
  window: () => LoadWindow;
  chatSent: SentChat[];
  todoTitles: string[];
  /** Keeps a sample of what went wrong (the first few distinct texts). */
  note: (text: string) => void;
  stopping: () => boolean;
}

interface Pending {
  call: PlannedCall;
  message: CallMessage;
  /** When the call was first made, and when it last went out on a connected socket (the round trip's start). */
  madeAt: number;
  sentAt: number;
  replies: number;
  /** The tab reconnected without recovery while the call was out: its reply may be gone. */
  excused: boolean;
}

/** A time window in which the tab was away and did not recover what it missed. */
export type Gap = [number, number];

// engine.io-client hands `localAddress` to ws in Node; its types do not list it.
type ClientOptions = Partial<ManagerOptions & SocketOptions> & { localAddress: string };

const TICK = /update #(\d+)/;
const TODO_ID = /id="todo-(\d+)"/;

export class Tab {
  readonly socket: Socket;
  private pending: Pending | null = null;
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly context: CallContext;
  /** When the socket first connected (it is a member of its room from then on). */
  connectedAt: number | null = null;
  private awaySince: number | null = null;
  readonly gaps: Gap[] = [];
  /** Arm a drop for right after the next call goes out, so the drop catches it unanswered. */
  dropOnNextCall = false;
  private counterAcked = 0;
  private lastCounter = 0;
  lastTick: number | null = null;
  /** Away without recovery since the last tick: the ticks in between may be missing. */
  tickExcused = false;
  readonly chatReceived = new Map<number, number>();

  constructor(
    readonly index: number,
    readonly kind: PageKind,
    readonly loggedIn: boolean,
    /** The chat room's name for chat tabs (the page path's), to group members whatever the room token is. */
    readonly chatRoom: string | null,
    private readonly page: LoadedPage,
    localAddress: string,
    random: () => number,
    private readonly shared: TabShared,
  ) {
    let chats = 0;
    this.context = {
      kind,
      loggedIn,
      todos: [],
      runId: shared.runId,
      random,
      uniqueText: () => `soak-${shared.runId}-${index}-${this.seq}`,
      // Unique over the run: tab index and the tab's own count.
      chatKey: () => index * 1_000_000 + chats++,
    };
    const options: ClientOptions = {
      path: DEFAULT_PATH,
      transports: ["websocket"],
      auth: { room: page.room },
      forceNew: true,
      autoConnect: false,
      localAddress,
      ...(page.cookie ? { extraHeaders: { cookie: page.cookie } } : {}),
      // The browser's schedule: 3 s, x1.5, capped at 30 s, 5 tries.
      ...managerOptions({ ...RECONNECT_DEFAULTS }),
    };
    this.socket = io(shared.url, options);
    applyBackoffFactor(this.socket.io, RECONNECT_DEFAULTS.factor);
    this.socket.on(LIVEVIEW_EVENT, (update: Update) => this.onUpdate(update));
    this.socket.on("connect", () => this.onConnect());
    this.socket.on("disconnect", (reason) => this.onDisconnect(reason));
    this.socket.on("connect_error", (error) => this.error(`connect_error: ${error.message}`));
    this.socket.io.on("reconnect_failed", () => this.error("gave up reconnecting"));
  }

  /** Connects; resolves once connected, then makes the page's init call and starts calling. */
  open(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`tab ${this.index}: no connection in 30 s`)), 30_000);
      this.socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      this.socket.connect();
    });
  }

  /** The page's own call (data-liveview-init), then the loop of calls. */
  start(): void {
    const init = initCall(this.kind);
    if (init) this.call(init);
    else this.scheduleNext();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Drops the connection as a network would: the engine closes, socket.io-client reconnects on its schedule. */
  drop(): void {
    this.socket.io.engine?.close();
  }

  get busy(): boolean {
    return this.pending !== null;
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  private scheduleNext(): void {
    if (this.shared.stopping()) return;
    const wait = this.shared.callIntervalMs * (2 / 3 + (2 / 3) * this.context.random());
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.shared.stopping()) this.call(planCall(this.context));
    }, wait);
  }

  private call(call: PlannedCall): void {
    const id = `${this.shared.runId}-${this.index}-${this.seq++}`;
    const message: CallMessage = { id, function: call.function, data: call.data, form: call.form, lang: null, room: this.page.room };
    const at = now();
    this.pending = { call, message, madeAt: at, sentAt: at, replies: 0, excused: false };
    this.shared.window().sent++;
    this.emit(message);
    if (this.dropOnNextCall && this.socket.connected) {
      this.dropOnNextCall = false;
      this.drop();
    }
  }

  private emit(message: CallMessage): void {
    this.socket.emit(LIVEVIEW_EVENT, message, (ack: CallAck) => this.onAck(message.id, ack));
  }

  private onConnect(): void {
    const at = now();
    if (this.connectedAt === null) {
      this.connectedAt = at;
      return;
    }
    const window = this.shared.window();
    if (this.socket.recovered) window.recovered++;
    else {
      window.unrecovered++;
      this.gaps.push([this.awaySince ?? at, at]);
      this.tickExcused = true;
      if (this.pending) this.pending.excused = true;
    }
    this.awaySince = null;
    // A call made while away went out just now, from socket.io-client's buffer.
    if (this.pending && this.pending.sentAt < at) this.pending.sentAt = at;
  }

  private onDisconnect(reason: string): void {
    this.awaySince = now();
    this.shared.window().drops++;
    // The server ended it: socket.io-client will not reconnect by itself, and neither would the page.
    if (reason === "io server disconnect") this.error(`the server disconnected tab ${this.index}`);
    const pending = this.pending;
    // socket.io-client has forgotten the ack of a call already sent: send it again, same id, on reconnection.
    if (pending && !this.socket.sendBuffer.some((packet) => (packet.data?.[1] as CallMessage | undefined)?.id === pending.message.id)) {
      this.emit(pending.message);
    }
  }

  private onAck(id: string, ack: CallAck): void {
    const pending = this.pending;
    const window = this.shared.window();
    if (!pending || pending.message.id !== id) {
      window.doubled++;
      this.shared.note(`tab ${this.index}: a second ack for call ${id}`);
      return;
    }
    this.pending = null;
    const at = now();
    window.acked++;
    window.latencies.push(at - pending.sentAt);
    const { call } = pending;
    if (!ack.ok) this.error(`${call.function} answered ok:false: ${ack.error}`);
    else this.judge(pending, at);
    this.scheduleNext();
  }

  /** The checks of a call answered ok. */
  private judge(pending: Pending, at: number): void {
    const { call } = pending;
    const window = this.shared.window();
    // dashboard_init's reply looks like the broadcast that may arrive meanwhile: count it, do not judge it twice.
    if (call.replyTarget && pending.replies === 0 && !pending.excused) {
      window.lostUpdates++;
      this.shared.note(`tab ${this.index}: ${call.function} was acked but its ${call.replyTarget} update never came`);
    } else if (pending.replies > 1 && call.function !== "dashboard_init") {
      window.doubled++;
      this.shared.note(`tab ${this.index}: ${call.function} answered ${pending.replies} times`);
    }
    if (call.counterStep !== undefined) {
      this.counterAcked += call.counterStep;
      // The count lives in the room on the server: after every call it is exactly the sum of our steps.
      if (pending.replies > 0 && this.lastCounter !== this.counterAcked) {
        const ahead = this.lastCounter > this.counterAcked;
        if (ahead) window.doubled++;
        else window.lostUpdates++;
        this.shared.note(`tab ${this.index}: counter shows ${this.lastCounter} after steps summing to ${this.counterAcked}`);
        this.counterAcked = this.lastCounter; // judge the next calls from here
      }
    }
    if (call.todoTitle) this.shared.todoTitles.push(call.todoTitle);
    if (call.chatKey !== undefined && this.chatRoom) {
      this.shared.chatSent.push({ key: call.chatKey, room: this.chatRoom, sentAt: pending.madeAt, ackedAt: at });
    }
    if (call.function === "dashboard_init") this.lastTick = null; // ticks count from the next broadcast
  }

  /** Calls still unanswered (at the end: lost). Their chat messages are recorded as never acked. */
  unanswered(): number {
    if (!this.pending) return 0;
    const { call, madeAt } = this.pending;
    if (call.chatKey !== undefined && this.chatRoom) this.shared.chatSent.push({ key: call.chatKey, room: this.chatRoom, sentAt: madeAt, ackedAt: null });
    return 1;
  }

  /** Since when the tab is away, or null when connected. */
  get awayFrom(): number | null {
    return this.awaySince;
  }

  /** Whether the tab is away now (its missing broadcasts at the end are excused only if it will not recover). */
  get away(): boolean {
    return this.awaySince !== null;
  }

  private onUpdate(update: Update): void {
    const html = update.html ?? "";
    if (update.error) this.error(`error update${update.code ? ` (${update.code})` : ""}: ${update.error}`);
    if (update.target === "#error" && html.trim()) this.error(`#error: ${html.replace(/<[^>]+>/g, "").trim()}`);
    if (html.includes("field-error")) this.error(`${update.target} shows a field error`);
    const pending = this.pending;
    if (pending && update.target === pending.call.replyTarget && (!pending.call.token || html.includes(pending.call.token))) pending.replies++;
    switch (update.target) {
      case "#dashboard-stats":
        if (pending?.call.function !== "dashboard_init") this.onTick(html);
        break;
      case "#messages":
        if (update.append) this.onChat(html);
        break;
      case "#counter":
        this.lastCounter = Number.parseInt(html, 10);
        break;
      case "#todo-list": {
        const id = TODO_ID.exec(html)?.[1];
        if (id) this.context.todos.push(Number(id));
        break;
      }
    }
  }

  private onTick(html: string): void {
    const window = this.shared.window();
    const tick = Number(TICK.exec(html)?.[1]);
    if (!Number.isFinite(tick)) return this.error("a dashboard update without its tick");
    window.broadcasts++;
    const last = this.lastTick;
    if (last !== null && tick <= last) {
      window.doubled++;
      this.shared.note(`tab ${this.index}: dashboard tick ${tick} after ${last}`);
    } else if (last !== null && tick > last + 1 && !this.tickExcused) {
      window.lostBroadcasts += tick - last - 1;
      this.shared.note(`tab ${this.index}: dashboard ticks ${last + 1}..${tick - 1} never came`);
    }
    this.lastTick = Math.max(tick, last ?? tick);
    this.tickExcused = false;
  }

  private onChat(html: string): void {
    const key = chatKeyIn(html, this.shared.runId);
    if (key === null) return; // a message from before this run
    const window = this.shared.window();
    window.chatDeliveries++;
    const seen = (this.chatReceived.get(key) ?? 0) + 1;
    this.chatReceived.set(key, seen);
    if (seen === 2) {
      window.doubled++;
      this.shared.note(`tab ${this.index}: chat message ${key} arrived twice`);
    }
  }

  private error(text: string): void {
    this.shared.window().errors++;
    this.shared.note(`tab ${this.index} (${this.kind}${this.loggedIn ? ", logged in" : ""}): ${text}`);
  }
}
