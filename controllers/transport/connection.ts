import type { CallAck, CallMessage, ReadyMessage, Update } from "../../protocol/index.js";

export type ConnectionStatus = "connected" | "connecting" | "disconnected";

/** Lifecycle notifications a connection gives its owner. */
export interface ConnectionEvents {
  update(update: Update): void;
  /** The server's first packet on each connection: the room joined, and a room it chose for this browser. */
  ready(ready: Partial<ReadyMessage>): void;
  connected(): void;
  disconnected(reason: string): void;
  reconnected(recovered: boolean): void;
  /**
   * On a reconnection to a server that did not recover this tab's session (a restart, another node, a long cut),
   * just before the calls waiting to be sent go out: calls made now are sent ahead of them, in the order made.
   */
  sessionLost(): void;
}

/**
 * What the page controller needs of a transport. socket.io-client is one implementation; tests pass a fake.
 */
export interface Connection {
  /** Sends a call; resolves with the server's ack (queued while not connected). */
  call(message: CallMessage): Promise<CallAck>;
  status(): ConnectionStatus;
  connect(): void;
  disconnect(): void;
  queueLength(): number;
  clearQueue(): void;
  /**
   * Sends an internal `liveview:*` event and resolves with its ack. Unlike calls, requests are not
   * kept across a lost connection: one made or pending while disconnected rejects.
   */
  request<T>(event: string, payload: unknown): Promise<T>;
  /** The server's per-message limit, once it said it (null before). */
  maxPayloadBytes(): number | null;
}
