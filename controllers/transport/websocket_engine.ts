import { Emitter } from "@socket.io/component-emitter";

/** What socket.io-client's Manager hands the engine it makes (the parts a websocket uses). */
export interface EngineOptions {
  path?: string;
  query?: Record<string, string>;
}

/** What the engine may send: socket.io-parser's text packets and binary attachments. */
export type EngineData = string | ArrayBuffer | ArrayBufferView | Blob;

/** Why the engine closed, in engine.io-client's words (socket.io-client passes them on as disconnect reasons). */
export type EngineCloseReason = "transport close" | "transport error" | "ping timeout" | "forced close";

interface EngineEvents {
  open: () => void;
  data: (data: string | ArrayBuffer) => void;
  ping: () => void;
  error: (error: Error) => void;
  close: (reason: EngineCloseReason, description?: unknown) => void;
}

/** The handshake's fields this engine uses. */
interface Handshake {
  sid: string;
  pingInterval: number;
  pingTimeout: number;
}

// engine.io protocol 4: a text frame starts with its packet type; a binary frame is a message as it is.
const OPEN = "0";
const PING = "2";
const PONG = "3";
const MESSAGE = "4";
const PROTOCOL = "4";

const ignore = (): void => {};

/**
 * An engine.io protocol 4 client that speaks websocket only, for the browser bundle. Our pages connect
 * with `transports: ["websocket"]` (the server allows nothing else by default), so engine.io-client's
 * long-polling, transport upgrades, WebTransport and write batching can never run; the bundle's build puts
 * this class in its place under socket.io-client (webpack.config.js), and socket.io-client keeps doing the
 * rest: the socket.io protocol, acks, buffering, reconnection and connection-state recovery.
 *
 * What it keeps of engine.io-client's behaviour, since socket.io-client relies on it:
 * - "open" after the server's handshake; "data" per message (text without its type, binary as an ArrayBuffer);
 * - "ping" on each server ping, answered with a pong; "close" with "ping timeout" when no ping comes within
 *   pingInterval + pingTimeout, also noticed on the next send after a page slept through its timers;
 * - "error" then "close" ("transport error") when the websocket fails; "transport close" when it closes,
 *   or when the browser says it went offline (except for `localhost`, which stays reachable offline);
 * - writes made before the handshake wait for it; writes after the close are dropped.
 *
 * The ESM entry (`express-liveview/client`) leaves socket.io-client as it is: an app that bundles it
 * itself gets the stock engine.
 */
export class WebSocketEngine extends Emitter<Record<string, never>, Record<string, never>, EngineEvents> {
  id: string | null = null;
  readyState: "opening" | "open" | "closed" = "opening";
  /** socket.io-client reads `transport.writable` to decide whether a volatile packet may go now. */
  readonly transport = { name: "websocket", writable: false };
  private ws: WebSocket | null = null;
  private readonly early: EngineData[] = [];
  private pingInterval = 0;
  private pingTimeout = 0;
  private pingTimer: ReturnType<typeof setTimeout> | undefined;
  /** When the connection counts as dead without a ping: never before the handshake, 0 once found dead. */
  private pingDeadline = Infinity;
  private readonly watchesOffline: boolean;

  constructor(uri: string, options: EngineOptions = {}) {
    super();
    const url = new URL(uri);
    const query = new URLSearchParams(options.query);
    url.searchParams.forEach((value, key) => query.set(key, value));
    query.set("EIO", PROTOCOL);
    query.set("transport", "websocket");
    const secure = url.protocol === "wss:" || url.protocol === "https:";
    const path = `${(options.path ?? "/engine.io").replace(/\/$/, "")}/`;
    this.watchesOffline = url.hostname !== "localhost" && typeof globalThis.addEventListener === "function";
    if (this.watchesOffline) globalThis.addEventListener("offline", this.onOffline);
    try {
      const ws = new WebSocket(`${secure ? "wss" : "ws"}://${url.host}${path}?${query}`);
      ws.binaryType = "arraybuffer";
      ws.onmessage = (event: MessageEvent<string | ArrayBuffer>) => this.receive(event.data);
      ws.onerror = (event) => this.fail(event);
      ws.onclose = (event) => this.shut("transport close", { description: "websocket connection closed", context: event });
      this.ws = ws;
    } catch (error) {
      // Reported once the manager listens: it subscribes after making the engine.
      setTimeout(() => this.fail(error), 0);
    }
  }

  /** Sends one socket.io packet (or one binary attachment of one). */
  write(data: EngineData): void {
    if (this.readyState === "opening") this.early.push(data);
    else if (this.readyState === "open") this.ws?.send(typeof data === "string" ? MESSAGE + data : data);
  }

  close(): void {
    this.shut("forced close");
  }

  /**
   * Whether the connection missed its heartbeat (socket.io-client asks before each send, so a page whose
   * timers slept does not write into a dead socket); a missed one closes the engine.
   */
  _hasPingExpired(): boolean {
    if (!this.pingDeadline) return true;
    const expired = Date.now() > this.pingDeadline;
    if (expired) {
      this.pingDeadline = 0;
      queueMicrotask(() => this.shut("ping timeout"));
    }
    return expired;
  }

  private receive(data: string | ArrayBuffer): void {
    if (typeof data !== "string") this.emitReserved("data", data);
    else if (data[0] === MESSAGE) this.emitReserved("data", data.slice(1));
    else if (data[0] === PING) {
      this.ws?.send(PONG);
      this.emitReserved("ping");
      this.armPingTimer();
    } else if (data[0] === OPEN && this.readyState === "opening") this.opened(data.slice(1));
  }

  private opened(json: string): void {
    let handshake: Handshake;
    try {
      handshake = JSON.parse(json) as Handshake;
    } catch (error) {
      return this.fail(error);
    }
    this.id = handshake.sid;
    this.pingInterval = handshake.pingInterval;
    this.pingTimeout = handshake.pingTimeout;
    this.readyState = "open";
    this.transport.writable = true;
    this.emitReserved("open");
    for (const data of this.early.splice(0)) this.write(data);
    if (this.readyState === "open") this.armPingTimer();
  }

  private armPingTimer(): void {
    clearTimeout(this.pingTimer);
    const delay = this.pingInterval + this.pingTimeout;
    this.pingDeadline = Date.now() + delay;
    this.pingTimer = setTimeout(() => this.shut("ping timeout"), delay);
  }

  private readonly onOffline = (): void => this.shut("transport close", { description: "network connection lost" });

  private fail(context: unknown): void {
    if (this.readyState === "closed") return;
    const error = Object.assign(new Error("websocket error"), { type: "TransportError", description: context });
    this.emitReserved("error", error);
    this.shut("transport error", error);
  }

  private shut(reason: EngineCloseReason, description?: unknown): void {
    if (this.readyState === "closed") return;
    this.readyState = "closed";
    this.transport.writable = false;
    this.id = null;
    this.early.length = 0;
    clearTimeout(this.pingTimer);
    if (this.watchesOffline) globalThis.removeEventListener("offline", this.onOffline);
    const ws = this.ws;
    if (ws) {
      ws.onmessage = ws.onclose = null;
      ws.onerror = ignore; // closing a websocket still connecting reports an error nobody needs
      ws.close();
    }
    this.emitReserved("close", reason, description);
  }
}
