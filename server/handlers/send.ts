import { LIVEVIEW_EVENT, type Update } from "../../protocol/index.js";
import type { Consumer } from "../types.js";
import { coalesceWritesThisTick } from "../wire/write_coalescing.js";

export interface SendOptions {
  /** Send to every connected client (on every node when a shared adapter is configured). */
  broadcast?: boolean;
}

/**
 * Sends an update to the browser tab behind `consumer`, or to everyone with `{ broadcast: true }`.
 * A send to a tab that has gone is dropped quietly.
 *
 * ```ts
 * send(consumer, { target: "#count", html: String(count) });
 * send(consumer, { target: "#messages", html: row, append: true }, { broadcast: true });
 * ```
 */
export function send(consumer: Consumer, update: Update, options: SendOptions = {}): void {
  if (options.broadcast) consumer.socket.nsp.emit(LIVEVIEW_EVENT, update);
  else {
    const { socket } = consumer;
    // The call's ack (and any further update) usually follows within this tick: one TCP write for all of them.
    coalesceWritesThisTick(socket);
    socket.emit(LIVEVIEW_EVENT, update);
  }
}
