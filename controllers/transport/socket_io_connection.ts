import { io, type Socket } from "socket.io-client";
import {
  ERROR_CODES,
  LIVEVIEW_EVENT,
  READY_EVENT,
  type CallAck,
  type CallMessage,
  type HandshakeAuth,
  type ReadyMessage,
  type Update,
} from "../../protocol/index.js";
import type { Connection, ConnectionEvents, ConnectionStatus } from "./connection.js";
import { CallTimeouts } from "./call_timeouts.js";
import type { ResolvedConfig } from "./connection_config.js";
import { applyBackoffFactor, managerOptions } from "./reconnect_schedule.js";

/** The part of a socket.io-client packet in its send buffer that says which call it carries. */
interface BufferedPacket {
  data?: unknown[];
}

interface PendingCall {
  message: CallMessage;
  resolve: (ack: CallAck) => void;
}

const callIdOf = (packet: BufferedPacket): string | undefined => (packet.data?.[1] as Partial<CallMessage> | undefined)?.id;

/** What the manager's "packet" event gives: socket.io-parser's packet (type 0 is CONNECT, with the session's ids). */
interface IncomingPacket {
  type: number;
  nsp: string;
  data?: unknown;
}

const CONNECT_PACKET = 0;
/** The page's socket is on the main namespace: its URL is the host alone. */
const MAIN_NAMESPACE = "/";

/**
 * The socket.io-client transport: one socket per page, websocket only, the room and the tab in the handshake.
 *
 * Calls made while not connected wait in socket.io-client's own send buffer and go out in order on
 * (re)connection. A call already sent whose ack had not come when the connection dropped is put back
 * at the front of that buffer with its id, so it is sent again after the reconnection; the server
 * recognises the id and runs it once. Nothing is lost and nothing runs twice. A call left unanswered for
 * `callTimeoutMs` of connected time fails with code `timeout`; a late ack for it is ignored.
 */
export class SocketIoConnection implements Connection {
  private readonly socket: Socket;
  /** Calls sent or buffered and not yet acknowledged, in the order they were made. */
  private readonly pending = new Map<string, PendingCall>();
  private everConnected = false;
  /** True once socket.io-client ran out of reconnection attempts, until the next connect. */
  private gaveUp = false;
  /** Requests waiting for their ack; rejected when the connection drops. */
  private readonly requests = new Set<(error: Error) => void>();
  private payloadLimit: number | null = null;
  private readonly timeouts: CallTimeouts;
  /** The private session id of the last connection (sent when the server keeps sessions for recovery). */
  private lastPid: string | undefined;

  constructor(config: ResolvedConfig, room: HandshakeAuth, private readonly events: ConnectionEvents) {
    // The tab (in `room`) makes the server recognise a resent call's id even over a new (not recovered) socket.
    const auth: HandshakeAuth = { ...room };
    this.timeouts = new CallTimeouts(config.callTimeoutMs, (id) => this.timedOut(id, config.callTimeoutMs));
    this.socket = io(config.url, {
      path: config.path,
      auth,
      transports: ["websocket"],
      autoConnect: false,
      ...managerOptions(config.reconnect),
    });
    applyBackoffFactor(this.socket.io, config.reconnect.factor);
    // Subscribed before the socket's own listener (it subscribes on connect()), so this sees the CONNECT packet
    // before socket.io-client flushes its send buffer.
    this.socket.io.on("packet", this.beforeConnect);
    this.socket.on(LIVEVIEW_EVENT, (update: Update) => this.events.update(update));
    // The server primes every connection with this event so connection-state recovery has an offset.
    this.socket.on(READY_EVENT, (ready: Partial<ReadyMessage> | undefined) => {
      if (typeof ready?.maxPayloadBytes === "number") this.payloadLimit = ready.maxPayloadBytes;
      // A room the server chose for this browser: sent again on every reconnection, and kept by the page.
      if (typeof ready?.roomToken === "string") auth.storedRoom = ready.roomToken;
      if (ready) this.events.ready(ready);
    });
    this.socket.on("connect", this.onConnect);
    this.socket.on("disconnect", (reason) => {
      this.timeouts.pause();
      this.requeueUnanswered();
      this.failRequests();
      this.events.disconnected(reason);
    });
    this.socket.io.on("reconnect_failed", () => {
      this.gaveUp = true;
      this.events.disconnected("reconnect_failed");
    });
    this.socket.on("connect_error", (error) => {
      if (!this.socket.active) this.events.disconnected(error.message);
    });
  }

  private readonly onConnect = (): void => {
    this.gaveUp = false;
    if (this.everConnected) this.events.reconnected(Boolean(this.socket.recovered));
    this.everConnected = true;
    this.timeouts.resume();
    this.events.connected();
  };

  /**
   * Tells the owner when a reconnection starts a new session (socket.io-client's own rule for `recovered`: the
   * server sent no private id, or another one), while the calls made offline still wait: the calls the owner
   * makes then go ahead of them.
   */
  private readonly beforeConnect = (packet: IncomingPacket): void => {
    if (packet.type !== CONNECT_PACKET || packet.nsp !== MAIN_NAMESPACE) return;
    const pid = (packet.data as { pid?: unknown } | undefined)?.pid;
    const recovered = typeof pid === "string" && pid === this.lastPid;
    this.lastPid = typeof pid === "string" ? pid : undefined;
    if (!this.everConnected || recovered) return;
    const waiting = this.socket.sendBuffer.splice(0);
    this.events.sessionLost();
    this.socket.sendBuffer.push(...waiting);
  };

  connect(): void {
    this.gaveUp = false;
    if (this.socket.connected) return;
    // socket.io-client ignores connect() while its manager waits out a backoff delay. The page asks for now
    // (the browser is back online, or LiveView.connect()), so the wait is cut short: a disconnect clears the
    // manager's timer (the send buffer and the recovery offset stay), and connect opens a new engine at once.
    if (this.waitingToReconnect()) this.socket.disconnect();
    this.socket.connect();
  }

  /** socket.io-client 4.8's Manager internals: `_reconnecting` while a retry is due, `_readyState` "opening" during one. */
  private waitingToReconnect(): boolean {
    const manager = this.socket.io as unknown as { _reconnecting?: boolean; _readyState?: string };
    return manager._reconnecting === true && manager._readyState !== "opening";
  }

  disconnect(): void {
    this.socket.disconnect();
  }

  status(): ConnectionStatus {
    if (this.socket.connected) return "connected";
    return this.socket.active && !this.gaveUp ? "connecting" : "disconnected";
  }

  call(message: CallMessage): Promise<CallAck> {
    return new Promise((resolve) => {
      this.pending.set(message.id, { message, resolve });
      this.timeouts.add(message.id);
      this.emit(message);
    });
  }

  private emit(message: CallMessage): void {
    this.socket.emit(LIVEVIEW_EVENT, message, (ack: CallAck) => {
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      this.timeouts.delete(message.id);
      call?.resolve(ack);
    });
  }

  /** Gives up on a call the server has not answered in time; the ledger still answers a resend of its id. */
  private timedOut(id: string, timeoutMs: number): void {
    const call = this.pending.get(id);
    if (!call) return;
    this.pending.delete(id);
    const index = this.socket.sendBuffer.findIndex((packet) => callIdOf(packet) === id);
    if (index >= 0) this.socket.sendBuffer.splice(index, 1);
    call.resolve({ ok: false, error: `No answer from the server in ${timeoutMs} ms`, code: ERROR_CODES.timeout });
  }

  /**
   * socket.io-client forgets the ack callbacks of packets already sent when the socket disconnects.
   * Those calls go back into its send buffer, ahead of the calls made after them, to be sent again.
   */
  private requeueUnanswered(): void {
    const buffered = new Set(this.socket.sendBuffer.map(callIdOf));
    const unanswered = [...this.pending.values()].filter((call) => !buffered.has(call.message.id));
    if (unanswered.length === 0) return;
    const later = this.socket.sendBuffer.splice(0);
    for (const call of unanswered) this.emit(call.message);
    this.socket.sendBuffer.push(...later);
  }

  request<T>(event: string, payload: unknown): Promise<T> {
    if (!this.socket.connected) return Promise.reject(new Error("Not connected"));
    return new Promise<T>((resolve, reject) => {
      this.requests.add(reject);
      this.socket.emit(event, payload, (ack: T) => {
        this.requests.delete(reject);
        resolve(ack);
      });
    });
  }

  maxPayloadBytes(): number | null {
    return this.payloadLimit;
  }

  private failRequests(): void {
    const error = new Error("Connection lost");
    for (const reject of this.requests) reject(error);
    this.requests.clear();
  }

  queueLength(): number {
    return this.socket.sendBuffer.length;
  }

  /** Drops the calls still waiting to be sent; their promises resolve with an error ack. */
  clearQueue(): void {
    for (const packet of this.socket.sendBuffer.splice(0)) {
      const id = callIdOf(packet);
      const call = id ? this.pending.get(id) : undefined;
      if (!call || !id) continue;
      this.pending.delete(id);
      this.timeouts.delete(id);
      call.resolve({ ok: false, error: "Cleared before it was sent" });
    }
  }
}
