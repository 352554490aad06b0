import type { Socket } from "socket.io";

type EngineTransport = Socket["conn"]["transport"];

/**
 * Lets everything one socket is sent in the current tick leave in one TCP write.
 *
 * engine.io writes a packet the moment its transport is writable, so a handler's update and the call's ack,
 * sent a few microseconds apart, cost two syscalls and usually two TCP segments. Holding the transport as
 * busy until the tick ends lets engine.io buffer both (and anything else sent meanwhile, in order); the
 * release then flushes them together with the TCP socket corked, which makes one `writev`.
 *
 * Only websocket transports are held, and only when they are idle: a transport with a write in flight
 * buffers on its own and flushes when that write completes. A held transport is not writable, so a second
 * send in the same tick finds it busy and leaves it held.
 */
export function coalesceWritesThisTick(socket: Socket): void {
  const conn = socket.conn;
  const transport = conn.transport;
  if (!transport.writable || transport.name !== "websocket") return;
  transport.writable = false;
  process.nextTick(release, transport, conn.request.socket);
}

function release(transport: EngineTransport, tcp: Socket["request"]["socket"] | null): void {
  // A transport that closed meanwhile stays unwritable; engine.io is tearing it down.
  if (transport.readyState !== "open") return;
  transport.writable = true;
  const corked = tcp !== null && typeof tcp.cork === "function" && !tcp.destroyed;
  if (corked) tcp.cork();
  try {
    // What the transport itself emits when a write completes: engine.io flushes its buffer on it.
    transport.emit("ready");
  } finally {
    if (corked) tcp.uncork();
  }
}
