import { randomUUID } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import type { Socket as ServerSocket } from "socket.io";
import { DEFAULT_PATH, LIVEVIEW_EVENT, type CallAck, type Update } from "../../protocol/index";
import type { LiveView } from "../../server/index";
import { RoomTokens } from "../../server/security/room_tokens";
import { TEST_SECRET } from "./server";

export interface ClientOptions {
  /** Sent as `auth.room`; left out of `auth` when undefined. */
  room?: unknown;
  /** Sent as `auth.storedRoom`, as a page without data-room sends the room its browser keeps. */
  storedRoom?: unknown;
  /** Sent as `auth.tab` (the page's tab id); left out when undefined, so the server takes the socket id. */
  tab?: unknown;
  path?: string;
  /** Extra handshake headers (cookie, origin, custom headers); socket.io-client passes them to `ws` in Node. */
  extraHeaders?: Record<string, string>;
}

const testTokens = new RoomTokens(TEST_SECRET);

/** Room `name` signed with the test servers' secret, as a page rendered by them would carry it. */
export const signedRoom = (name: string): string => testTokens.sign(name);

const openClients = new Set<Socket>();

/** A new socket.io-client socket with its own connection, websocket only, no reconnection; closed by closeClients(). */
export function createClient(url: string, options: ClientOptions = {}): Socket {
  const socket = io(url, {
    path: options.path ?? DEFAULT_PATH,
    transports: ["websocket"],
    forceNew: true,
    reconnection: false,
    auth: {
      ...(options.room === undefined ? {} : { room: options.room }),
      ...(options.storedRoom === undefined ? {} : { storedRoom: options.storedRoom }),
      ...(options.tab === undefined ? {} : { tab: options.tab }),
    },
    ...(options.extraHeaders ? { extraHeaders: options.extraHeaders } : {}),
  });
  openClients.add(socket);
  return socket;
}

/** Resolves with the connected socket; rejects with the connect_error. */
export function connectClient(url: string, options: ClientOptions = {}): Promise<Socket> {
  const socket = createClient(url, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => reject(error));
  });
}

/** Resolves with the connect_error of a handshake the server refuses; rejects if it connects. */
export function connectError(url: string, options: ClientOptions = {}): Promise<Error> {
  const socket = createClient(url, options);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => reject(new Error("expected the connection to be refused, but it connected")));
    socket.once("connect_error", (error) => resolve(error));
  });
}

/** Disconnects every client made by this module. */
export function closeClients(): void {
  for (const socket of openClients) socket.disconnect();
  openClients.clear();
}

/** A well-formed call message. */
export function callMessage(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: randomUUID(), function: name, data: {}, form: {}, lang: null, room: null, ...extra };
}

/** Emits `message` on `event` (default "liveview") and resolves with the server's ack. */
export function callWithAck(socket: Socket, message: unknown, event: string = LIVEVIEW_EVENT): Promise<CallAck> {
  return new Promise((resolve) => socket.emit(event, message, (ack: CallAck) => resolve(ack)));
}

/** Calls a handler by name with a well-formed message and resolves with the ack. */
export function call(socket: Socket, name: string, extra: Record<string, unknown> = {}): Promise<CallAck> {
  return callWithAck(socket, callMessage(name, extra));
}

/** Resolves with the next update (matching `predicate` when given) the socket receives. */
export function nextUpdate(socket: Socket, predicate: (update: Update) => boolean = () => true): Promise<Update> {
  return new Promise((resolve) => {
    const listener = (update: Update) => {
      if (!predicate(update)) return;
      socket.off(LIVEVIEW_EVENT, listener);
      resolve(update);
    };
    socket.on(LIVEVIEW_EVENT, listener);
  });
}

/** Records every update the socket receives from now on, in order. */
export function recordUpdates(socket: Socket): Update[] {
  const updates: Update[] = [];
  socket.on(LIVEVIEW_EVENT, (update: Update) => updates.push(update));
  return updates;
}

const BARRIER_EVENT = "liveview:test-barrier";

/**
 * Resolves once every socket received a marker sent after everything the server emitted so far. Packets to one
 * socket keep their order, so an update that was going to reach these sockets has arrived by then: this is how
 * the tests check that a socket received nothing, without waiting for a fixed time.
 */
export async function flush(liveview: LiveView, sockets: Socket[]): Promise<void> {
  const token = randomUUID();
  const arrived = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        const listener = (value: string) => {
          if (value !== token) return;
          socket.off(BARRIER_EVENT, listener);
          resolve();
        };
        socket.on(BARRIER_EVENT, listener);
      }),
  );
  liveview.io.emit(BARRIER_EVENT, token);
  await Promise.all(arrived);
}

/** The server-side socket of a connected client. */
export function serverSocketOf(liveview: LiveView, client: Socket): ServerSocket {
  const socket = client.id === undefined ? undefined : liveview.io.of("/").sockets.get(client.id);
  if (!socket) throw new Error(`no server socket for client ${String(client.id)}`);
  return socket;
}

/** Resolves once the server socket has received `count` "liveview" events (counted from now). */
export function serverReceived(socket: ServerSocket, count: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    // onAny sees each event as it arrives, before the middleware that takes the calls.
    const listener = (event: string) => {
      if (event !== LIVEVIEW_EVENT || ++seen < count) return;
      socket.offAny(listener);
      resolve();
    };
    socket.onAny(listener);
  });
}

/** A promise with its resolve function, for handlers the test releases when it chooses. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
