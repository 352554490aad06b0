import { EventEmitter } from "node:events";
import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "socket.io";

/** Where a test socket's emits go: the hub delivers them to the test pages as socket.io would to tabs. */
export interface SocketRouter {
  /** To every socket in `rooms` (every socket when null), except those in `except`. */
  deliver(rooms: ReadonlySet<string> | null, except: ReadonlySet<TestSocket>, event: string, args: unknown[]): void;
}

/** What `socket.to(room)`, `socket.broadcast` and `nsp.to(room)` return. */
export class TestBroadcast {
  constructor(
    private readonly router: SocketRouter,
    private readonly rooms: ReadonlySet<string> | null,
    private readonly except: ReadonlySet<TestSocket>,
  ) {}

  to(room: string | string[]): TestBroadcast {
    const rooms = new Set(this.rooms ?? []);
    for (const name of Array.isArray(room) ? room : [room]) rooms.add(name);
    return new TestBroadcast(this.router, rooms, this.except);
  }

  in(room: string | string[]): TestBroadcast {
    return this.to(room);
  }

  emit(event: string, ...args: unknown[]): boolean {
    this.router.deliver(this.rooms, this.except, event, args);
    return true;
  }
}

let sequence = 0;

/**
 * Stands in for a socket.io socket in a test page: what the server code and handlers use of one (`id`,
 * `handshake`, `emit`, `to(room)`, `broadcast`, `nsp`, `join`, `rooms`, `data`, `once("disconnect")`,
 * `disconnect()`). Nothing goes over a network; emits reach the test pages at once.
 */
export class TestSocket extends EventEmitter {
  readonly id = `test-socket-${++sequence}`;
  readonly rooms = new Set<string>();
  readonly data: Record<string, unknown> = {};
  readonly handshake: { headers: IncomingHttpHeaders; auth: { tab: string }; address: string; query: Record<string, string> };
  /** No transport to hold: the write coalescing of `send` leaves it alone. */
  readonly conn = { transport: { writable: false, name: "test", readyState: "open" }, close: (): void => void this.disconnect() };
  readonly nsp: { emit(event: string, ...args: unknown[]): boolean; to(room: string | string[]): TestBroadcast; in(room: string | string[]): TestBroadcast };
  connected = true;

  constructor(
    private readonly router: SocketRouter,
    private readonly receive: (event: string, args: unknown[], broadcast: boolean) => void,
    headers: IncomingHttpHeaders,
    tab: string,
  ) {
    super();
    this.handshake = { headers, auth: { tab }, address: "127.0.0.1", query: {} };
    this.rooms.add(this.id);
    const all = new TestBroadcast(router, null, new Set());
    this.nsp = { emit: (event, ...args) => all.emit(event, ...args), to: (room) => all.to(room), in: (room) => all.to(room) };
  }

  /** An emit to this socket alone. */
  override emit(event: string | symbol, ...args: unknown[]): boolean {
    if (typeof event !== "string" || event === "disconnect") return super.emit(event, ...args);
    if (this.connected) this.receive(event, args, false);
    return true;
  }

  /** Hands an emit that went to many sockets to this one's page. */
  deliverBroadcast(event: string, args: unknown[]): void {
    if (this.connected) this.receive(event, args, true);
  }

  join(room: string | string[]): void {
    for (const name of Array.isArray(room) ? room : [room]) this.rooms.add(name);
  }

  leave(room: string): void {
    this.rooms.delete(room);
  }

  /** Every other socket in `room`, as socket.io's `socket.to(room)`. */
  to(room: string | string[]): TestBroadcast {
    return new TestBroadcast(this.router, null, new Set([this])).to(room);
  }

  in(room: string | string[]): TestBroadcast {
    return this.to(room);
  }

  /** Every other socket, as socket.io's `socket.broadcast`. */
  get broadcast(): TestBroadcast {
    return new TestBroadcast(this.router, null, new Set([this]));
  }

  /** socket.io's packet middleware: a test page hands its calls straight to the dispatcher, so none are kept. */
  use(): this {
    return this;
  }

  disconnect(): this {
    if (!this.connected) return this;
    this.connected = false;
    super.emit("disconnect", "client namespace disconnect");
    this.removeAllListeners();
    return this;
  }

  /** What the server code's types expect; only the members above exist. */
  asSocket(): Socket {
    return this as unknown as Socket;
  }
}
