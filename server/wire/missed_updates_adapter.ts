import { randomBytes } from "node:crypto";
import { ReplyLogs, type TabLog } from "./reply_logs.js";
import {
  Adapter,
  type BroadcastFlags,
  type BroadcastOptions,
  type PrivateSessionId,
  type Room,
  type Session,
  type SocketId,
} from "socket.io-adapter";

/** socket.io-parser's EVENT packet type. */
const EVENT = 2;
/** Replies kept per tab: enough for any burst a tab can miss in a reconnection; a tab that missed more starts afresh. */
export const MAX_REPLIES_PER_TAB = 16;
/** Memory for the kept replies of every tab (outside the JS heap). */
export const DEFAULT_REPLY_BYTES = 1024 * 1024;
/** How often old packets and expired sessions are swept. */
const SWEEP_INTERVAL_MS = 10_000;
/** engine.io's defaults, used until the engine is attached. */
const DEFAULT_HEARTBEAT_MS = 25_000 + 20_000;

interface Packet {
  type: number;
  id?: number;
  nsp?: string;
  data: unknown[];
}

interface PersistedSession extends Omit<Session, "missedPackets"> {
  disconnectedAt: number;
}

/** A packet kept for tabs that may come back; `offset` is its number in the order packets were sent. */
interface KeptPacket {
  offset: number;
  at: number;
  /** The one room it went to, or null with the whole options kept. */
  room: Room | null;
  opts: BroadcastOptions | null;
  data: unknown[];
}

/** What the adapter reaches of a socket.io socket (the base adapter does the same). */
interface RecipientSocket {
  client: { writeToEngine(encoded: unknown[], opts: { preEncoded: boolean; volatile?: boolean; compress?: boolean }): void };
  notifyOutgoingListeners?: (packet: Packet) => void;
}

export interface MissedUpdatesStats {
  /** Replies kept for single tabs. */
  replies: number;
  /** Room and broadcast packets kept. */
  packets: number;
  /** Disconnected tabs whose session waits for them. */
  sessions: number;
}

/** What the adapter adds to socket.io's (reach it with `liveview.io.of("/").adapter`). */
export interface MissedUpdatesAdapter extends Adapter {
  stats(): MissedUpdatesStats;
  /** Drops what no returning tab can need any more; runs every 10 s by itself. */
  sweep(now?: number): void;
}

/**
 * The in-memory adapter with connection state recovery (what a returning tab missed is sent to it), built for
 * many small replies to single tabs.
 *
 * socket.io's own session-aware adapter keeps every packet, replies included, for the whole recovery window,
 * which at thousands of calls a second is gigabytes, and sends a reply to one socket as a broadcast. Here:
 * - a reply to one tab is encoded and written straight to it, and kept for that tab as the bytes that were
 *   written, outside the JS heap (ReplyLogs), its last MAX_REPLIES_PER_TAB. While the tab stays connected,
 *   replies older than one engine.io heartbeat (ping interval + timeout) are dropped: a dead connection is
 *   noticed within that time, so they were delivered.
 * - room and broadcast packets (one packet for all their tabs) are kept for the recovery window.
 * - offsets are a counter, so a reconnection finds its place without scanning.
 * A tab whose gap cannot be filled exactly (it missed more than its log holds, or came back too late) starts a
 * fresh session, as with socket.io: `socket.recovered` is false and the browser is told so.
 */
export function missedUpdatesAdapter(windowMs: number, replyBytes = DEFAULT_REPLY_BYTES): typeof Adapter {
  return class MissedUpdatesAdapter extends Adapter implements MissedUpdatesAdapter {
    private readonly sessions = new Map<PrivateSessionId, PersistedSession>();
    private readonly logs = new ReplyLogs(replyBytes, MAX_REPLIES_PER_TAB);
    /** Room and broadcast packets, oldest at `head`. */
    private kept: KeptPacket[] = [];
    private head = 0;
    /** The newest offset dropped from `kept`: a tab that stopped before it may have missed something gone. */
    private lost = -1;
    private nextOffset = 0;
    private readonly prefix = `${randomBytes(4).toString("hex")}-`;
    private readonly timer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS);

    constructor(nsp: unknown) {
      super(nsp);
      this.timer.unref();
    }

    override close(): void {
      clearInterval(this.timer);
    }

    stats(): MissedUpdatesStats {
      return { replies: this.logs.count(), packets: this.kept.length - this.head, sessions: this.sessions.size };
    }

    override persistSession(session: Omit<Session, "missedPackets">): void {
      this.sessions.delete(session.pid); // re-inserted last, so the map stays in disconnection order
      this.sessions.set(session.pid, { ...session, disconnectedAt: Date.now() });
      // Replies sent while the tab is away are kept for it, even if it had none kept before.
      this.logs.leave(this.logs.get(session.sid) ?? this.logs.open(session.sid));
    }

    override delAll(id: SocketId): void {
      super.delAll(id);
      // A tab that left for good (no session kept) takes its replies with it.
      if (this.logs.get(id)?.waiting === false) this.logs.delete(id);
    }

    override restoreSession(pid: PrivateSessionId, offset: string): Promise<Session> {
      // The base class declares a promise; socket.io also accepts null: "start a new session".
      const none = null as unknown as Promise<Session>;
      const session = this.sessions.get(pid);
      if (!session) return none;
      this.sessions.delete(pid);
      const log = this.logs.get(session.sid);
      const from = this.offsetNumber(offset);
      const replies = log && from >= 0 ? this.logs.after(log, from) : [];
      if (session.disconnectedAt + windowMs < Date.now() || from < 0 || from < this.lost || replies === null) {
        this.logs.delete(session.sid);
        return none;
      }
      if (log) this.logs.back(log);
      const missed = this.kept.slice(this.firstAfter(from)).filter((packet) => reaches(packet, session.rooms));
      const missedPackets = merge(
        missed.map((packet) => ({ offset: packet.offset, data: packet.data })),
        replies.map((reply) => ({ offset: reply.offset, data: this.decode(reply.encoded) })),
      ).map((packet) => packet.data);
      const { disconnectedAt: _disconnectedAt, ...rest } = session;
      return Promise.resolve({ ...rest, missedPackets });
    }

    override broadcast(packet: Packet, opts: BroadcastOptions): void {
      const flags = opts.flags ?? {};
      const room = onlyRoom(opts);
      if (room !== null) {
        const log = this.logs.get(room);
        const socket = this.onlyMember(room);
        if (socket || log?.waiting) return this.toTab(room, packet, flags, socket, log);
      }
      // Packets waiting for an ack cannot be replayed (their callback stays on the old socket); volatile ones may be lost.
      if (replayable(packet, flags)) {
        const at = Date.now();
        this.dropExpiredPackets(at);
        this.kept.push({ offset: this.stamp(packet), at, room, opts: room === null ? opts : null, data: packet.data });
      }
      super.broadcast(packet, opts);
    }

    /**
     * A packet to one tab (its own room): encoded once, written straight to its socket (no frame made up front
     * for many recipients), and kept in the tab's log as the string that was written.
     */
    private toTab(
      tab: SocketId,
      packet: Packet,
      flags: BroadcastFlags,
      socket: RecipientSocket | undefined,
      found: TabLog | undefined,
    ): void {
      const keep = replayable(packet, flags);
      const offset = keep ? this.stamp(packet) : -1;
      packet.nsp = this.nsp.name;
      const encoded = (this.nsp.server.encoder as { encode(packet: Packet): unknown[] }).encode(packet);
      // A tab that left for good (no session waits for it) has no log: nothing to keep.
      const log = keep ? (found ?? (socket ? this.logs.open(tab) : undefined)) : undefined;
      if (log) {
        const text = encoded.length === 1 && typeof encoded[0] === "string" ? encoded[0] : null;
        this.logs.add(log, offset, Date.now(), text);
      }
      if (!socket) return;
      socket.notifyOutgoingListeners?.(packet);
      socket.client.writeToEngine(encoded, { preEncoded: true, volatile: flags.volatile, compress: flags.compress });
    }

    /** Gives a packet the next offset (the last argument, as socket.io's clients expect) and returns its number. */
    private stamp(packet: Packet): number {
      const offset = this.nextOffset++;
      packet.data.push(this.prefix + offset.toString(36));
      return offset;
    }

    /** A kept encoded packet's arguments: after `2` (EVENT) and the namespace unless "/", the JSON array. */
    private decode(encoded: string): unknown[] {
      const name: string = this.nsp.name;
      return JSON.parse(encoded.slice(name === "/" ? 1 : name.length + 2)) as unknown[];
    }

    sweep(now = Date.now()): void {
      this.dropExpiredPackets(now);
      for (const [pid, session] of this.sessions) {
        if (session.disconnectedAt + windowMs >= now) break;
        this.sessions.delete(pid);
        if (this.logs.get(session.sid)?.waiting) this.logs.delete(session.sid);
      }
      this.logs.forgetDelivered(now - this.heartbeatMs());
    }

    /** The socket a room holds when it holds exactly one, and that one is the socket whose id names the room. */
    private onlyMember(room: Room): RecipientSocket | undefined {
      const members = this.rooms.get(room);
      if (members === undefined || members.size !== 1 || !members.has(room)) return undefined;
      return this.nsp.sockets.get(room) as RecipientSocket | undefined;
    }

    private offsetNumber(offset: string): number {
      if (!offset.startsWith(this.prefix)) return -1;
      const value = parseInt(offset.slice(this.prefix.length), 36);
      return Number.isSafeInteger(value) && value < this.nextOffset ? value : -1;
    }

    /** Index in `kept` of the first packet sent after `offset` (offsets grow along the array). */
    private firstAfter(offset: number): number {
      let low = this.head;
      let high = this.kept.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (this.kept[middle].offset <= offset) low = middle + 1;
        else high = middle;
      }
      return low;
    }

    private dropExpiredPackets(now: number): void {
      const threshold = now - windowMs;
      const { kept } = this;
      while (this.head < kept.length && kept[this.head].at < threshold) {
        this.lost = kept[this.head].offset;
        kept[this.head] = DROPPED;
        this.head++;
      }
      // Compact now and then, so dropping stays O(1) per packet and the array does not grow for ever.
      if (this.head > 1024 && this.head * 2 > kept.length) {
        this.kept = kept.slice(this.head);
        this.head = 0;
      }
    }

    private heartbeatMs(): number {
      const opts = (this.nsp.server.engine as { opts?: { pingInterval?: number; pingTimeout?: number } } | undefined)?.opts;
      return opts?.pingInterval !== undefined && opts.pingTimeout !== undefined
        ? opts.pingInterval + opts.pingTimeout
        : DEFAULT_HEARTBEAT_MS;
    }
  };
}

/** Whether a packet can be sent again to a returning tab: an event with no ack callback, not volatile. */
const replayable = (packet: Packet, flags: BroadcastFlags): boolean =>
  packet.type === EVENT && packet.id === undefined && flags.volatile === undefined;

const DROPPED: KeptPacket = { offset: -1, at: 0, room: null, opts: null, data: [] };

/** The single room a packet goes to, or null (several rooms, everyone, or some excluded). */
function onlyRoom(opts: BroadcastOptions): Room | null {
  if (opts.rooms.size !== 1 || (opts.except !== undefined && opts.except.size > 0)) return null;
  return opts.rooms.values().next().value!;
}

/** Whether a kept packet was meant for a tab that was in `rooms` (the rule socket.io's own adapter applies). */
function reaches(packet: KeptPacket, rooms: Room[]): boolean {
  if (packet.room !== null) return rooms.includes(packet.room);
  const opts = packet.opts!;
  const included = opts.rooms.size === 0 || rooms.some((room) => opts.rooms.has(room));
  return included && !rooms.some((room) => opts.except?.has(room));
}

/** Two lists ordered by offset, merged in order. */
function merge<T extends { offset: number }>(a: T[], b: T[]): T[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].offset < b[j].offset)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
