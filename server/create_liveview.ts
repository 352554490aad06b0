import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { DEFAULT_PATH, LIVEVIEW_EVENT, READY_EVENT, isValidRoom, type Update } from "../protocol/index.js";
import { DEFAULT_LEDGER_TTL_MS, MemoryCallLedger, type CallLedger } from "./calls/call_ledger.js";
import { invalidTabError } from "./calls/tab_id.js";
import { createConsumer } from "./handlers/consumer.js";
import { attachDispatcher } from "./calls/dispatch.js";
import { getLogger, setLogger } from "./logger.js";
import { missedUpdatesAdapter } from "./wire/missed_updates_adapter.js";
import { liveviewRegistry, type LiveViewRegistry } from "./handlers/registry.js";
import { configureViews } from "./views/rendering.js";
import { sizeLimitedParser } from "./wire/size_limited_parser.js";
import { mountStaticAssets } from "./views/static_assets.js";
import type { ExpressAppLike, LiveViewRequest, ServerLogger, SessionMiddleware } from "./types.js";
import { mountViewEngine } from "./views/view_engine.js";
import { attachUploads } from "./uploads/attach_uploads.js";
import { resolveUploadLimits, type UploadOptions } from "./uploads/upload_limits.js";
import { UploadStore } from "./uploads/upload_store.js";
import { send } from "./handlers/send.js";
import { broadcastBarrier } from "./redis/broadcast_barrier.js";
import { RecoverySessions } from "./redis/recovery_sessions.js";
import { setUpRedis, type RedisClientLike } from "./redis/redis_scale_out.js";
import { DEFAULT_SHUTDOWN_DEADLINE_MS, ShutdownTracker, type ShutdownOptions } from "./calls/shutdown.js";

export interface LiveViewOptions {
  /** Express app: serves /static/liveview/liveview(.min).js and renders `res.render()` with the Handlebars views. */
  app?: ExpressAppLike;
  /** Template root; partials from `views/partials`. Default "views" (relative to the working directory). */
  views?: string;
  /** socket.io path. Default "/ws/liveview/". */
  path?: string;
  /** express-session middleware, shared with the sockets: `consumer.scope.session`. */
  session?: SessionMiddleware;
  /** Returns the user of a handshake request (may be async): `consumer.scope.user`. */
  getUser?: (req: LiveViewRequest) => unknown;
  /**
   * Redis shared by several nodes: a URL ("redis://127.0.0.1:6379") or a node-redis client. Plugs in the
   * socket.io Redis Streams adapter (broadcasts, rooms and missed updates across nodes) and keeps call ids in
   * Redis. Absent: one process, everything in memory.
   */
  redis?: string | RedisClientLike;
  /** socket.io adapter; overrides the one `redis` sets up. The in-memory adapter when both are absent. */
  adapter?: ServerOptions["adapter"];
  /** Transports the server accepts. Default websocket only, so several nodes need no sticky sessions. */
  transports?: ServerOptions["transports"];
  /** Largest accepted message in bytes; larger ones get a clear error. Default 1 MB. */
  maxPayloadBytes?: number;
  /** Origins allowed to open a socket (checked against the Origin header); any when absent. */
  allowedOrigins?: string[];
  /** Calls one tab may have waiting before more are refused. Default 1000. */
  maxQueuedCalls?: number;
  /** Where log lines go. Default: console. */
  logger?: ServerLogger;
  /** The registry to dispatch from. Default: the process-wide `liveviewRegistry`. */
  registry?: LiveViewRegistry;
  /**
   * How long a briefly disconnected client's missed updates are kept for it (socket.io connection
   * state recovery), in ms. Default 2 minutes; 0 turns recovery off.
   */
  recoveryWindowMs?: number;
  /**
   * Where recent call ids are remembered, per tab, so resent calls run once. Default: in Redis when `redis` is set,
   * else in memory (5,000 ids per tab, 1,000,000 in all); either way for 10 minutes or the recovery window if longer.
   */
  ledger?: CallLedger;
  /** File upload limits: `maxFileBytes` (10 MB), `maxFiles` (10), `allowedTypes` (any), checked from the bytes. */
  uploads?: UploadOptions;
}

/** What createLiveView returns. */
export interface LiveView {
  /** The socket.io server, for anything beyond this API. */
  io: Server;
  /** Sends an update to every connected client (every node with a shared adapter). */
  broadcast(update: Update): void;
  /** Sends an update to the clients of one room. */
  sendToRoom(room: string, update: Update): void;
  /** Closes every socket and the HTTP server (and the Redis client createLiveView opened). */
  close(): Promise<void>;
  /**
   * Takes this node out gracefully (on SIGTERM): stops accepting connections, lets the calls already running
   * finish and answers them, then closes each socket's connection so the browser reconnects (through the proxy,
   * to another node); at `deadlineMs` (10 s) it closes what is left, then closes like close().
   *
   * ```ts
   * process.once("SIGTERM", () => void liveview.shutdown({ deadlineMs: 10_000 }).then(() => process.exit(0)));
   * ```
   */
  shutdown(options?: ShutdownOptions): Promise<void>;
}

export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;
export const DEFAULT_RECOVERY_WINDOW_MS = 2 * 60_000;
/** Frames far over the limit are cut by the engine before they are read; up to this factor they get a clear error. */
const HARD_LIMIT_FACTOR = 8;

/**
 * Attaches LiveView to an HTTP server: a socket.io server at `/ws/liveview/`, the browser bundle and the
 * Handlebars views when given `app`. Handlers come from the process-wide registry, so calling it again
 * on a new server (a restart) keeps working with the same handlers.
 *
 * ```ts
 * const app = express();
 * const httpServer = http.createServer(app);
 * const liveview = createLiveView(httpServer, { app, views: "views" });
 * httpServer.listen(3000);
 * ```
 */
export function createLiveView(httpServer: HttpServer, options: LiveViewOptions = {}): LiveView {
  setLogger(options.logger);
  const registry = options.registry ?? liveviewRegistry;
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const renderer = configureViews(options.views ?? "views");
  if (options.app) {
    mountStaticAssets(options.app);
    mountViewEngine(options.app, renderer);
  }

  const allowed = options.allowedOrigins;
  const recoveryWindowMs = options.recoveryWindowMs ?? DEFAULT_RECOVERY_WINDOW_MS;
  const ledgerTtlMs = Math.max(recoveryWindowMs, DEFAULT_LEDGER_TTL_MS); // a resend may come until recovery ends
  const redis = options.redis ? setUpRedis(options.redis, ledgerTtlMs) : null;
  const ledger = options.ledger ?? redis?.ledger ?? new MemoryCallLedger({ ttlMs: ledgerTtlMs });
  const sharedAdapter = options.adapter ?? redis?.createAdapter();
  // One process: our in-memory adapter, which keeps missed updates cheaply (socket.io's plain one when recovery is off).
  const adapter = sharedAdapter ?? (recoveryWindowMs > 0 ? missedUpdatesAdapter(recoveryWindowMs) : undefined);
  let ackBarrier: () => Promise<void> | null = () => null;
  const shutdown = new ShutdownTracker(() => ackBarrier());
  const uploads = new UploadStore(resolveUploadLimits(options.uploads));
  const io = new Server(httpServer, {
    path: options.path ?? DEFAULT_PATH,
    parser: sizeLimitedParser(maxPayloadBytes),
    maxHttpBufferSize: Math.max(maxPayloadBytes * HARD_LIMIT_FACTOR, 8 * 1024 * 1024),
    serveClient: false,
    transports: options.transports ?? ["websocket"],
    ...(recoveryWindowMs > 0
      ? { connectionStateRecovery: { maxDisconnectionDuration: recoveryWindowMs, skipMiddlewares: true } }
      : {}),
    ...(adapter ? { adapter } : {}),
    allowRequest: (req, callback) =>
      callback(null, !shutdown.draining && (!allowed || allowed.includes(String(req.headers.origin)))),
  });
  if (options.session) io.engine.use(options.session);
  if (sharedAdapter) ackBarrier = broadcastBarrier(io.of("/").adapter);
  // Sessions kept ahead of time only where we know the adapter stores them in Redis: the one we set up.
  const recovery =
    redis && !options.adapter && recoveryWindowMs > 0 ? new RecoverySessions(redis.client, recoveryWindowMs) : null;

  io.use(async (socket, next) => {
    try {
      const tabError = invalidTabError(socket);
      if (tabError) return next(tabError);
      const requested: unknown = socket.handshake.auth?.room;
      const room = requested === undefined || requested === null || requested === "" ? socket.id : requested;
      if (!isValidRoom(room)) {
        getLogger().warn(`[liveview] refused a connection with an invalid room`);
        return next(new Error("Invalid room: use 1 to 128 letters, digits, '-' or '_'"));
      }
      const request = socket.request as LiveViewRequest;
      const user = options.getUser ? await options.getUser(request) : null;
      // Plain data only: with Redis it is stored there for connection state recovery on another node.
      socket.data.liveview = { room, user: user ?? null };
      next();
    } catch (error) {
      getLogger().error("[liveview] connection refused: getUser failed", error);
      next(new Error("Connection refused: the server could not identify the user"));
    }
  });

  io.on("connection", (socket) => {
    if (shutdown.draining) return shutdown.refuse(socket);
    const { room, user } = socket.data.liveview as { room: string; user: unknown };
    // The live session of this handshake (a recovered socket too): the store is shared, the object is not.
    const session = (socket.request as LiveViewRequest).session ?? null;
    void socket.join(room);
    shutdown.track(socket);
    recovery?.track(socket);
    const consumer = createConsumer(socket, room, user, session);
    attachDispatcher(socket, consumer, {
      registry,
      ledger,
      uploads,
      shutdown,
      maxQueuedCalls: options.maxQueuedCalls ?? 1000,
    });
    attachUploads(socket, room, uploads, (update) => send(consumer, update));
    socket.emit(READY_EVENT, { room, maxPayloadBytes });
  });

  const close = async (): Promise<void> => {
    await new Promise<void>((resolve) => io.close(() => resolve()));
    recovery?.stop();
    await redis?.close();
  };
  let stopping: Promise<void> | null = null;

  return {
    io,
    broadcast: (update) => void io.emit(LIVEVIEW_EVENT, update),
    sendToRoom: (room, update) => void io.to(room).emit(LIVEVIEW_EVENT, update),
    close,
    shutdown: (shutdownOptions = {}) =>
      (stopping ??= (async () => {
        const deadlineMs = shutdownOptions.deadlineMs ?? DEFAULT_SHUTDOWN_DEADLINE_MS;
        httpServer.close(); // no new connections: the proxy sends them to the other nodes
        await shutdown.drain(deadlineMs);
        // Whatever HTTP requests are still open (a keep-alive page load) must not hold the exit.
        httpServer.closeIdleConnections();
        const timer = setTimeout(() => httpServer.closeAllConnections(), 1000);
        await close();
        clearTimeout(timer);
      })()),
  };
}
