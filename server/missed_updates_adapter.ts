import { randomBytes } from "node:crypto";
import {
  Adapter,
  type BroadcastOptions,
  type PrivateSessionId,
  type Room,
  type Session,
  type SocketId,
} from "socket.io-adapter";

/** socket.io-parser's EVENT packet type. */
const EVENT = 2;

interface Packet {
  type: number;
  id?: number;
  nsp?: string;
  data: unknown[];
}

type PersistedSession = Omit<Session, "missedPackets"> & { disconnectedAt: number };

/** A packet kept for tabs that may come back. A packet to one room keeps just that room, not the option sets. */
interface KeptPacket {
  at: number;
  room: Room | null;
  opts: BroadcastOptions | null;
  data: unknown[];
}

/** What the adapter reaches of a socket.io socket (the base adapter does the same). */
interface RecipientSocket {
  client: { writeToEngine(encoded: unknown[], opts: { preEncoded: boolean; volatile?: boolean; compress?: boolean }): void };
  notifyOutgoingListeners?: (packet: Packet) => void;
}

/**
 * The in-memory adapter with connection state recovery, built for many small replies to one tab.
 *
 * socket.io's own session-aware adapter sends a reply to one socket as a broadcast (walking a set of rooms and
 * framing the message for many recipients), gives it an offset that reads the clock, and keeps every packet for
 * up to twice the recovery window in one array searched from the start on every reconnection. Here a packet to
 * a single socket is encoded and written straight to it; offsets are a counter, so finding where a returning tab
 * stopped is one subtraction; and what is kept is dropped as soon as it is older than the window. The wire
 * format and what a returning tab receives are the same.
 */
export function missedUpdatesAdapter(windowMs: number): typeof Adapter {
  return class MissedUpdatesAdapter extends Adapter {
    private readonly sessions = new Map<PrivateSessionId, PersistedSession>();
    private kept: KeptPacket[] = [];
    /** Index in `kept` of the oldest packet still kept. */
    private head = 0;
    /** Offset number of `kept[0]`. */
    private base = 0;
    private readonly prefix = `${randomBytes(4).toString("hex")}-`;

    override persistSession(session: Omit<Session, "missedPackets">): void {
      const now = Date.now();
      this.dropExpiredSessions(now);
      this.sessions.delete(session.pid); // re-inserted last, so the map stays in disconnection order
      this.sessions.set(session.pid, { ...session, disconnectedAt: now });
    }

    override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
      const session = this.sessions.get(pid);
      // The base class declares a promise; socket.io also accepts null: "start a new session".
      const none = null as unknown as Promise<Session>;
      if (!session) return none;
      this.sessions.delete(pid);
      const now = Date.now();
      if (session.disconnectedAt + windowMs < now) return none;
      this.dropExpiredPackets(now);
      const index = this.indexOf(offset);
      if (index === -1) return none;
      const missedPackets: unknown[][] = [];
      for (let i = index + 1; i < this.kept.length; i++) {
        const packet = this.kept[i];
        if (reaches(packet, session.rooms)) missedPackets.push(packet.data);
      }
      const { disconnectedAt: _disconnectedAt, ...rest } = session;
      return Promise.resolve({ ...rest, missedPackets });
    }

    override broadcast(packet: Packet, opts: BroadcastOptions): void {
      const flags = opts.flags ?? {};
      // Packets waiting for an ack cannot be replayed (their callback stays on the old socket); volatile ones may be lost.
      if (packet.type === EVENT && packet.id === undefined && flags.volatile === undefined) this.keep(packet, opts);
      const socket = this.onlyRecipient(opts);
      if (!socket) return super.broadcast(packet, opts);
      packet.nsp = this.nsp.name;
      const encoded = (this.nsp.server.encoder as { encode(packet: Packet): unknown[] }).encode(packet);
      socket.notifyOutgoingListeners?.(packet);
      socket.client.writeToEngine(encoded, { preEncoded: true, volatile: flags.volatile, compress: flags.compress });
    }

    private keep(packet: Packet, opts: BroadcastOptions): void {
      const now = Date.now();
      this.dropExpiredPackets(now);
      packet.data.push(this.prefix + (this.base + this.kept.length).toString(36));
      const single = opts.rooms.size === 1 && (opts.except === undefined || opts.except.size === 0);
      this.kept.push({
        at: now,
        room: single ? opts.rooms.values().next().value! : null,
        opts: single ? null : opts,
        data: packet.data,
      });
    }

    /** The socket a packet goes to when it goes to exactly one, in this process (a reply to the tab that called). */
    private onlyRecipient(opts: BroadcastOptions): RecipientSocket | undefined {
      if (opts.rooms.size !== 1 || (opts.except !== undefined && opts.except.size > 0)) return undefined;
      const members = this.rooms.get(opts.rooms.values().next().value!);
      if (members === undefined || members.size !== 1) return undefined;
      const sid: SocketId = members.values().next().value!;
      return this.nsp.sockets.get(sid) as RecipientSocket | undefined;
    }

    private indexOf(offset: string): number {
      if (!offset.startsWith(this.prefix)) return -1;
      const index = parseInt(offset.slice(this.prefix.length), 36) - this.base;
      return Number.isInteger(index) && index >= this.head && index < this.kept.length ? index : -1;
    }

    private dropExpiredPackets(now: number): void {
      const threshold = now - windowMs;
      const { kept } = this;
      while (this.head < kept.length && kept[this.head].at < threshold) {
        kept[this.head] = DROPPED;
        this.head++;
      }
      // Compact now and then, so dropping stays O(1) per packet and the array does not grow for ever.
      if (this.head > 1024 && this.head * 2 > kept.length) {
        this.kept = kept.slice(this.head);
        this.base += this.head;
        this.head = 0;
      }
    }

    private dropExpiredSessions(now: number): void {
      for (const [pid, session] of this.sessions) {
        if (session.disconnectedAt + windowMs >= now) break;
        this.sessions.delete(pid);
      }
    }
  };
}

const DROPPED: KeptPacket = { at: 0, room: null, opts: null, data: [] };

/** Whether a kept packet was meant for a tab that was in `rooms` (the rule socket.io's own adapter applies). */
function reaches(packet: KeptPacket, rooms: Room[]): boolean {
  if (packet.room !== null) return rooms.includes(packet.room);
  const opts = packet.opts!;
  const included = opts.rooms.size === 0 || rooms.some((room) => opts.rooms.has(room));
  return included && !rooms.some((room) => opts.except?.has(room));
}
