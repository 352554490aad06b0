import type { Socket } from "socket.io";
import { getLogger } from "../logger.js";
import type { RedisEvalClient } from "./redis_call_ledger.js";

/** Where @socket.io/redis-streams-adapter keeps recovery sessions (its default `sessionKeyPrefix`). */
const SESSION_KEY_PREFIX = "sio:session:";

/** Disconnections after which socket.io keeps no session: the browser (or this server) meant to leave. */
const FINAL_REASONS = new Set(["client namespace disconnect", "server namespace disconnect", "io server disconnect"]);

const DELETE = `return redis.call('DEL', KEYS[1])`;

/**
 * socket.io stores a socket's recovery session when the socket disconnects, which a node killed outright
 * (SIGKILL, a lost machine) never does. So while a socket is connected its session is kept in Redis ahead of
 * time, renewed every half window: the browser that reconnects to another node after a crash still gets the
 * updates it missed. A socket that leaves for good has its session deleted, as socket.io would never have
 * written it.
 */
export class RecoverySessions {
  private readonly sockets = new Set<Socket>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: RedisEvalClient,
    private readonly windowMs: number,
  ) {}

  /** Call once the socket has joined its rooms. */
  track(socket: Socket): void {
    this.sockets.add(socket);
    persist(socket);
    if (!this.timer) {
      this.timer = setInterval(() => this.sockets.forEach(persist), Math.max(1000, Math.floor(this.windowMs / 2)));
      this.timer.unref();
    }
    socket.once("disconnect", (reason: string) => {
      this.sockets.delete(socket);
      if (this.sockets.size === 0) this.stop();
      if (FINAL_REASONS.has(reason)) {
        void this.client.eval(DELETE, { keys: [SESSION_KEY_PREFIX + pidOf(socket)], arguments: [] }).catch(() => undefined);
      }
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

function pidOf(socket: Socket): string {
  return (socket as unknown as { pid: string }).pid;
}

/** What socket.io itself persists on a recoverable disconnection, through the adapter. */
function persist(socket: Socket): void {
  if (!socket.connected) return;
  try {
    socket.nsp.adapter.persistSession({ sid: socket.id, pid: pidOf(socket), rooms: [...socket.rooms], data: socket.data });
  } catch (error) {
    // socket.data holds what getUser returned; it must be plain data to be stored (see docs/scaling.md).
    getLogger().warn(`[liveview] socket ${socket.id}: could not store its recovery session: ${String(error)}`);
  }
}
