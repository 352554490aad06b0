import type { CallAck, CallMessage } from "../../protocol/index";
import type { ConnectionFactory } from "../../controllers/live_view_client";
import type { Connection, ConnectionEvents, ConnectionStatus } from "../../controllers/transport/connection";

/** An in-memory transport: records calls, acks them with `ack` (at once, or on `release()`), and lets a test push updates. */
export class FakeConnection implements Connection {
  readonly calls: CallMessage[] = [];
  ack: CallAck = { ok: true };
  connectedState: ConnectionStatus = "disconnected";

  constructor(readonly events: ConnectionEvents) {}

  /** While true, calls wait for `release()` instead of being acked at once. */
  holdAcks = false;
  private readonly held: Array<() => void> = [];

  call(message: CallMessage): Promise<CallAck> {
    this.calls.push(message);
    const ack = this.ack;
    if (!this.holdAcks) return Promise.resolve(ack);
    return new Promise((resolve) => this.held.push(() => resolve(ack)));
  }
  /** Acks the held calls, oldest first. */
  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
  status(): ConnectionStatus {
    return this.connectedState;
  }
  connect(): void {
    this.connectedState = "connected";
    this.events.connected();
    this.events.ready({});
  }
  disconnect(): void {
    this.connectedState = "disconnected";
    this.events.disconnected("io client disconnect");
  }
  queueLength(): number {
    return 0;
  }
  clearQueue(): void {}
  readonly requests: Array<{ event: string; payload: unknown }> = [];
  /** Answers requests: by default every upload step succeeds. */
  answer: (event: string, payload: unknown) => unknown = () => ({ ok: true, received: 0 });
  request<T>(event: string, payload: unknown): Promise<T> {
    this.requests.push({ event, payload });
    return Promise.resolve(this.answer(event, payload) as T);
  }
  maxPayloadBytes(): number | null {
    return null;
  }
}

/** A factory that remembers the connection it made. */
export function fakeFactory(): { factory: ConnectionFactory; get(): FakeConnection } {
  let made: FakeConnection | null = null;
  return {
    factory: (_config, _room, events) => (made = new FakeConnection(events)),
    get: () => {
      if (!made) throw new Error("no connection made yet");
      return made;
    },
  };
}
