import type { Namespace, Socket } from "socket.io";
import { PacketType } from "socket.io-parser";

/** How long the missed packets of a restored session wait for the handshake check (a handshake takes far less). */
const HOLD_MS = 30_000;

interface Held {
  packets: unknown[][];
  at: number;
}

/** socket.io keeps these on the socket without declaring them public; they are exercised in recovery_guard.test.ts. */
interface SocketInternals {
  pid?: string;
  recovered: boolean;
  packet(packet: { type: PacketType; data: unknown[] }): void;
}

/**
 * socket.io replays a restored session's missed packets as it builds the socket, before any middleware has
 * looked at the handshake, so a tab whose user logged out meanwhile would get them. This holds them back:
 * the adapter's `restoreSession` (public adapter API, whatever the adapter) hands them here, and the handshake
 * either releases them, when the tab is still the same user in the same session, or drops them and makes the
 * socket a fresh one (a new private id, so the browser sees `recovered: false`).
 */
export class RecoveryGuard {
  private readonly held = new Map<string, Held>();

  constructor(nsp: Namespace) {
    const adapter = nsp.adapter;
    const restore = adapter.restoreSession.bind(adapter);
    adapter.restoreSession = async (pid, offset) => {
      const session = await restore(pid, offset);
      if (!session) return session;
      this.sweep();
      this.held.set(session.pid, { packets: session.missedPackets, at: Date.now() });
      return { ...session, missedPackets: [] };
    };
  }

  /** Sends the packets held for this recovered socket, in order (the browser buffers them until it is connected). */
  release(socket: Socket): void {
    const internals = socket as unknown as SocketInternals;
    const held = this.take(internals);
    for (const data of held) internals.packet({ type: PacketType.EVENT, data });
  }

  /** Drops what was held and turns the recovered socket into a new session: nothing of the old one reaches it. */
  startAfresh(socket: Socket, newPid: string): void {
    const internals = socket as unknown as SocketInternals;
    this.take(internals);
    internals.recovered = false;
    internals.pid = newPid;
    for (const room of socket.rooms) if (room !== socket.id) void socket.leave(room);
  }

  private take(internals: SocketInternals): unknown[][] {
    const pid = internals.pid;
    if (pid === undefined) return [];
    const held = this.held.get(pid);
    this.held.delete(pid);
    return held?.packets ?? [];
  }

  private sweep(): void {
    const oldest = Date.now() - HOLD_MS;
    for (const [pid, held] of this.held) {
      if (held.at > oldest) break; // insertion order is age order
      this.held.delete(pid);
    }
  }
}
