import type { CallAck, CallMessage, Update } from "../../protocol/index.js";

export type ConnectionStatus = "connected" | "connecting" | "disconnected";

/** Lifecycle notifications a connection gives its owner. */
export interface ConnectionEvents {
  update(update: Update): void;
  connected(): void;
  disconnected(reason: string): void;
  reconnected(recovered: boolean): void;
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
}
