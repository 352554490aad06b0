import type { Socket } from "socket.io";
import type { Consumer } from "../types.js";

/** Builds the consumer of a socket once, at connection; `scope.lang` follows each call. */
export function createConsumer(socket: Socket, room: string, user: unknown, session: unknown): Consumer {
  return {
    id: socket.id,
    room,
    scope: { user, session, headers: socket.handshake.headers, lang: null },
    socket,
  };
}
