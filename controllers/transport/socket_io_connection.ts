import { io, type Socket } from "socket.io-client";
import { LIVEVIEW_EVENT, READY_EVENT, type CallAck, type CallMessage, type Update } from "../../protocol/index.js";
import type { Connection, ConnectionEvents, ConnectionStatus } from "./connection.js";
import type { ResolvedConfig } from "./connection_config.js";
import { applyBackoffFactor, managerOptions } from "./reconnect_schedule.js";

interface QueuedPacket {
  data?: unknown[];
}

/**
 * The socket.io-client transport: one socket per page, websocket only, the room in the handshake.
 * Calls made while not connected wait in socket.io-client's own send buffer and go out in order.
 */
export class SocketIoConnection implements Connection {
  private readonly socket: Socket;
  private readonly pending = new Map<string, (ack: CallAck) => void>();
  private everConnected = false;
  /** True once socket.io-client ran out of reconnection attempts, until the next connect. */
  private gaveUp = false;

  constructor(config: ResolvedConfig, room: string, private readonly events: ConnectionEvents) {
    this.socket = io(config.url, {
      path: config.path,
      auth: { room },
      transports: ["websocket"],
      autoConnect: false,
      ...managerOptions(config.reconnect),
    });
    applyBackoffFactor(this.socket.io, config.reconnect.factor);
    this.socket.on(LIVEVIEW_EVENT, (update: Update) => this.events.update(update));
    this.socket.on(READY_EVENT, () => undefined);
    this.socket.on("connect", this.onConnect);
    this.socket.on("disconnect", (reason) => {
      this.failUnanswered();
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
    if (this.everConnected) this.events.reconnected(this.socket.recovered);
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
      this.pending.set(message.id, resolve);
      this.socket.emit(LIVEVIEW_EVENT, message, (ack: CallAck) => {
        this.pending.delete(message.id);
        resolve(ack);
      });
    });
  }

  /**
   * socket.io-client forgets the ack callbacks of calls already sent when the socket disconnects;
   * those calls settle now as failed, so no element stays busy waiting for an answer that cannot come.
   */
  private failUnanswered(): void {
    const queued = new Set(
      (this.socket.sendBuffer as QueuedPacket[]).map((packet) => (packet.data?.[1] as Partial<CallMessage> | undefined)?.id),
    );
    for (const [id, resolve] of this.pending) {
      if (queued.has(id)) continue;
      this.pending.delete(id);
      resolve({ ok: false, error: "Connection lost before the server answered" });
    }
  }

  queueLength(): number {
    return this.socket.sendBuffer.length;
  }

  /** Drops the calls still waiting to be sent; their promises resolve with an error ack. */
  clearQueue(): void {
    for (const packet of this.socket.sendBuffer as QueuedPacket[]) {
      const message = packet.data?.[1] as Partial<CallMessage> | undefined;
      const resolve = message?.id ? this.pending.get(message.id) : undefined;
      if (message?.id) this.pending.delete(message.id);
      resolve?.({ ok: false, error: "Cleared before it was sent" });
    }
    this.socket.sendBuffer.length = 0;
  }
}
