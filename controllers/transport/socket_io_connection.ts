import { io, type Socket } from "socket.io-client";
import { LIVEVIEW_EVENT, READY_EVENT, type CallAck, type CallMessage, type Update } from "../../protocol/index.js";
import type { Connection, ConnectionEvents, ConnectionStatus } from "./connection.js";
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

/**
 * The socket.io-client transport: one socket per page, websocket only, the room and the tab in the handshake.
 *
 * Calls made while not connected wait in socket.io-client's own send buffer and go out in order on
 * (re)connection. A call already sent whose ack had not come when the connection dropped is put back
 * at the front of that buffer with its id, so it is sent again after the reconnection; the server
 * recognises the id and runs it once. Nothing is lost and nothing runs twice.
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

  constructor(config: ResolvedConfig, room: string, private readonly events: ConnectionEvents, tab?: string) {
    this.socket = io(config.url, {
      path: config.path,
      // The tab makes the server recognise a resent call's id even over a new (not recovered) socket.
      auth: tab === undefined ? { room } : { room, tab },
      transports: ["websocket"],
      autoConnect: false,
      ...managerOptions(config.reconnect),
    });
    applyBackoffFactor(this.socket.io, config.reconnect.factor);
    this.socket.on(LIVEVIEW_EVENT, (update: Update) => this.events.update(update));
    // The server primes every connection with this event so connection-state recovery has an offset.
    this.socket.on(READY_EVENT, (ready: { maxPayloadBytes?: unknown }) => {
      if (typeof ready?.maxPayloadBytes === "number") this.payloadLimit = ready.maxPayloadBytes;
    });
    this.socket.on("connect", this.onConnect);
    this.socket.on("disconnect", (reason) => {
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
    this.events.connected();
  };

  connect(): void {
    this.gaveUp = false;
    if (!this.socket.connected) this.socket.connect();
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
      this.emit(message);
    });
  }

  private emit(message: CallMessage): void {
    this.socket.emit(LIVEVIEW_EVENT, message, (ack: CallAck) => {
      const call = this.pending.get(message.id);
      this.pending.delete(message.id);
      call?.resolve(ack);
    });
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
      call.resolve({ ok: false, error: "Cleared before it was sent" });
    }
  }
}
