import type { Server as HttpServer } from "node:http";
import { Server, type ServerOptions } from "socket.io";
import { DEFAULT_PATH, LIVEVIEW_EVENT, READY_EVENT, type ReadyMessage, type Update } from "../protocol/index.js";
import { DEFAULT_LEDGER_TTL_MS, MemoryCallLedger, type CallLedger } from "./calls/call_ledger.js";
import { createConsumer } from "./handlers/consumer.js";
import { attachDispatcher } from "./calls/dispatch.js";
import { getLogger, isProduction, setLogger } from "./logger.js";
import { missedUpdatesAdapter } from "./wire/missed_updates_adapter.js";
import { liveviewRegistry, type LiveViewRegistry } from "./handlers/registry.js";
import { configureViews } from "./views/rendering.js";
import type { EngineName } from "./views/engines/engine_names.js";
import { configureDjangoKit, type DjangoKitOptions } from "./views/django/kit_settings.js";
import { sizeLimitedParser } from "./wire/size_limited_parser.js";
import { mountStaticAssets } from "./views/static_assets.js";
import { bundleVersion } from "./views/bundle_version.js";
import type { ErrorHook, ExpressAppLike, LiveViewRequest, ServerLogger, SessionMiddleware } from "./types.js";
import { mountViewEngine } from "./views/view_engine.js";
import { mountCsp, type CspOption } from "./security/csp.js";
import { attachUploads } from "./uploads/attach_uploads.js";
import { resolveUploadCaps, resolveUploadLimits, type UploadOptions } from "./uploads/upload_limits.js";
import { UploadStore, uploadStores } from "./uploads/upload_store.js";
import { send } from "./handlers/send.js";
import { broadcastBarrier } from "./redis/broadcast_barrier.js";
import { RecoverySessions } from "./redis/recovery_sessions.js";
import { setUpRedis, type RedisClientLike } from "./redis/redis_scale_out.js";
import { defaultUserId, handshake, type RoomMode, type TabIdentity } from "./handshake.js";
import { logText } from "./security/log_text.js";
import { ConnectionCap } from "./security/connection_cap.js";
import { clientAddress, type AllowedOrigins } from "./security/origins.js";
import { RecoveryGuard } from "./security/recovery_guard.js";
import { DEFAULT_ROOM_MAX_AGE_MS, RoomTokens } from "./security/room_tokens.js";
import { resolveSecret } from "./security/secret.js";
import { warnIfPublicOutsideProduction } from "./security/public_warning.js";
import { DEFAULT_SHUTDOWN_DEADLINE_MS, ShutdownTracker, type ShutdownOptions } from "./calls/shutdown.js";
import { resolveCallLimits, type CallLimitOptions } from "./security/call_limits.js";
import { RefusalLog } from "./security/refusal_log.js";
import { HandlersFolder, resolveHandlersDir } from "./handlers/load_handlers.js";
import { watchHandlers } from "./handlers/watch_handlers.js";

export interface LiveViewOptions extends CallLimitOptions {
  /** Express app: serves /static/liveview/liveview(.min).js and renders `res.render()` with the views. */
  app?: ExpressAppLike;
  /** Template root; partials from `views/partials`. Default "views" (relative to the working directory). */
  views?: string;
  /**
   * The view engine of `renderToString` and `res.render`: "hbs" Handlebars (default), "njk" Nunjucks, "ejs" EJS.
   * Nunjucks and EJS are optional peer dependencies: `npm install nunjucks` or `npm install ejs`.
   */
  engine?: EngineName;
  /**
   * The Django porting kit's settings: named `routes` for `{% url %}`, `staticUrl` for `{% static %}` (default
   * "/static/"), the `timeZone` and `locale` of `date`, `timesince` and the number filters.
   */
  django?: DjangoKitOptions;
  /**
   * A folder of handler modules (relative to the working directory, like `views`): every `.js`/`.ts` file under it
   * (`.mjs`, `.cjs`, `.mts`, `.cts` too; not `.d.ts`, `*.test.*`, `*.spec.*` nor dot-folders) is imported at start,
   * one at a time; each registers with `liveviewHandler`/`defineHandler` as it is imported, or exports a
   * `defineHandler(...)` as its default. `liveview.ready` resolves once they are loaded; calls arriving before wait.
   * Outside production the folder is watched: a changed file is imported again and replaces its own handlers.
   * A file that fails to load is logged with its line; the others load.
   */
  handlers?: string;
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
  /**
   * Key of the HMAC-SHA256 that signs rooms (at least 16 characters; 32 random bytes recommended). Default: the
   * `LIVEVIEW_SECRET` environment variable, else a random key of this process (with a warning). Every node of a
   * cluster must have the same one.
   */
  secret?: string;
  /**
   * "signed" (default): a tab joins only a room the server signed (`signRoom`, `{{liveviewSignedRoom}}`,
   * `{{liveviewRoomUuid}}`, or the room the server picks for a page without `data-room`). "unsigned": any valid
   * room name a client sends, as before step 8: anyone who learns or guesses a name reads that room. For migration.
   */
  rooms?: RoomMode;
  /** How long a signed room token is valid, in ms. Default 14 days. */
  roomMaxAgeMs?: number;
  /**
   * Origins allowed to open a socket besides the page's own (the `Host` header's). A handshake with no Origin
   * (not a browser) is always accepted. `"*"` accepts any origin: unsafe, a cross-site page could then open a
   * socket with a visitor's cookies.
   */
  allowedOrigins?: AllowedOrigins;
  /**
   * Behind a proxy: trust `X-Forwarded-Proto`/`-Host` for the page's origin and `X-Forwarded-For` for the client's
   * address. Only when a proxy you run sets them. Default false.
   */
  trustProxy?: boolean;
  /** Most sockets one client address may hold open at once. Default: no cap. */
  maxConnectionsPerIp?: number;
  /** The id `disconnectUser` matches for a user. Default: the user when a string or number, else its `id`, `username` or `name`. */
  getUserId?: (user: unknown) => string | number | null | undefined;
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
  /**
   * Uploads: the limits of a handler that declares `uploads: true` and the ceiling of every handler's own
   * (`maxFileBytes` 10 MB, `maxFiles` 10, `allowedTypes` any, checked from the bytes), and the caps on what waits
   * for its call (`maxPendingUploads` 20 and `maxPendingBytes` maxFiles × maxFileBytes per tab,
   * `maxProcessPendingUploads` 1,000 and `maxProcessPendingBytes` 256 MB per server, `pendingTtlMs` 2 minutes).
   */
  uploads?: UploadOptions;
  /**
   * With `app`: a strict Content-Security-Policy on every response, with a fresh nonce each time
   * (`res.locals.cspNonce`, the `{{cspNonce}}` helper). `{ directives }` adds to or replaces directives.
   * Default off.
   */
  csp?: CspOption;
  /**
   * The app's version, sent to every tab in `liveview:ready`: a page that reconnects to a server with another
   * version dispatches `liveview:version-changed` and reloads once the user is idle. Default: a hash of the
   * browser bundle file, computed at start. Set it to your release id when templates or assets change too.
   */
  version?: string;
  /**
   * Told of every error a handler, its middleware or its validator throws, with the tab and the call's content:
   * for an error reporting service (Sentry, Honeybadger...). The tab gets its error update either way.
   *
   * ```ts
   * createLiveView(httpServer, { app, onError: (error, consumer, content) => Sentry.captureException(error, { extra: { fn: content.function } }) });
   * ```
   */
  onError?: ErrorHook;
}

/** What createLiveView returns. */
export interface LiveView {
  /** The socket.io server, for anything beyond this API. */
  io: Server;
  /**
   * Resolves once the `handlers` folder is loaded (at once without one); never rejects: a file that fails is
   * logged. Calls that arrive earlier wait for it, so awaiting it is only needed to use the handlers yourself.
   *
   * ```ts
   * const liveview = createLiveView(httpServer, { app, handlers: "handlers" });
   * await liveview.ready;
   * console.log(liveviewRegistry.listFunctions());
   * ```
   */
  ready: Promise<void>;
  /** Sends an update to every connected client (every node with a shared adapter). */
  broadcast(update: Update): void;
  /** Sends an update to the clients of one room. */
  sendToRoom(room: string, update: Update): void;
  /**
   * A signed token for room `name` (`name.signature`), for `<html data-room>`; the tab joins room `name`.
   * With `rooms: "unsigned"` it returns `name`.
   */
  signRoom(name: string): string;
  /** Closes every socket of a user on every node (at logout): their tabs reconnect afresh, as whoever they are now. */
  disconnectUser(userId: string | number): void;
  /** Closes every socket of a room on every node. */
  disconnectRoom(room: string): void;
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

/** The room every socket of a user joins; no client room name can contain ":", so none can clash with it. */
const userRoom = (userId: string): string => `liveview:user:${userId}`;

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
  const handlersDir = options.handlers === undefined ? null : resolveHandlersDir(options.handlers);
  const maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const version = options.version ?? bundleVersion();
  const renderer = configureViews(options.views ?? "views", options.engine);
  if (options.django) configureDjangoKit(options.django);
  if (options.app) {
    if (options.csp) mountCsp(options.app, options.csp);
    mountStaticAssets(options.app);
    mountViewEngine(options.app, renderer);
  }

  const recoveryWindowMs = options.recoveryWindowMs ?? DEFAULT_RECOVERY_WINDOW_MS;
  const rooms: RoomMode = options.rooms ?? "signed";
  if (rooms !== "signed" && rooms !== "unsigned") throw new Error(`express-liveview: rooms must be "signed" or "unsigned"`);
  const tokens = new RoomTokens(
    rooms === "signed" ? resolveSecret(options.secret, { redis: Boolean(options.redis) }) : (options.secret ?? "unsigned"),
    options.roomMaxAgeMs ?? DEFAULT_ROOM_MAX_AGE_MS,
  );
  const signRoom = (name: string): string => (rooms === "signed" ? tokens.sign(name) : name);
  renderer.useRoomSigner(signRoom);
  const trustProxy = options.trustProxy === true;
  const cap = options.maxConnectionsPerIp ? new ConnectionCap(options.maxConnectionsPerIp) : null;
  const ledgerTtlMs = Math.max(recoveryWindowMs, DEFAULT_LEDGER_TTL_MS); // a resend may come until recovery ends
  const redis = options.redis ? setUpRedis(options.redis, ledgerTtlMs) : null;
  const ledger = options.ledger ?? redis?.ledger ?? new MemoryCallLedger({ ttlMs: ledgerTtlMs });
  const sharedAdapter = options.adapter ?? redis?.createAdapter();
  // One process: our in-memory adapter, which keeps missed updates cheaply (socket.io's plain one when recovery is off).
  const adapter = sharedAdapter ?? (recoveryWindowMs > 0 ? missedUpdatesAdapter(recoveryWindowMs) : undefined);
  let ackBarrier: () => Promise<void> | null = () => null;
  const shutdown = new ShutdownTracker(() => ackBarrier());
  const uploads = new UploadStore(resolveUploadCaps(options.uploads));
  const uploadLimits = resolveUploadLimits(options.uploads);
  const callLimits = resolveCallLimits(options);
  const handlers = handlersDir === null ? null : new HandlersFolder(handlersDir, registry);
  const stopWatching = handlers && !isProduction() ? watchHandlers(handlers) : null;
  const io = new Server(httpServer, {
    path: options.path ?? DEFAULT_PATH,
    parser: sizeLimitedParser(maxPayloadBytes),
    maxHttpBufferSize: Math.max(maxPayloadBytes * HARD_LIMIT_FACTOR, 8 * 1024 * 1024),
    serveClient: false,
    transports: options.transports ?? ["websocket"],
    // The handshake runs for recovered connections too: a tab whose user logged out must not resume as them.
    ...(recoveryWindowMs > 0
      ? { connectionStateRecovery: { maxDisconnectionDuration: recoveryWindowMs, skipMiddlewares: false } }
      : {}),
    ...(adapter ? { adapter } : {}),
    allowRequest: (req, callback) => {
      if (shutdown.draining) return callback("Server shutting down", false);
      if (cap && !cap.allows(clientAddress(req, trustProxy))) {
        getLogger().warn(`[liveview] refused a connection from ${logText(clientAddress(req, trustProxy))}: too many connections`);
        return callback("Too many connections from this address", false);
      }
      callback(null, true);
    },
  });
  uploadStores.set(io, uploads);
  if (cap) {
    io.engine.on("connection", (conn: { request: LiveViewRequest; once(event: "close", fn: () => void): void }) =>
      conn.once("close", cap.add(clientAddress(conn.request, trustProxy))),
    );
  }
  if (options.session) io.engine.use(options.session);
  if (sharedAdapter) ackBarrier = broadcastBarrier(io.of("/").adapter);
  // Sessions kept ahead of time only where we know the adapter stores them in Redis: the one we set up.
  const recovery =
    redis && !options.adapter && recoveryWindowMs > 0 ? new RecoverySessions(redis.client, recoveryWindowMs) : null;
  const guard = recoveryWindowMs > 0 ? new RecoveryGuard(io.of("/")) : null;
  const getUserId = options.getUserId;
  const userIdOf = getUserId
    ? (user: unknown) => {
        const id = user === null || user === undefined ? null : getUserId(user);
        return id === null || id === undefined ? null : String(id);
      }
    : defaultUserId;

  io.use(
    handshake({
      rooms,
      tokens,
      allowedOrigins: options.allowedOrigins ?? [],
      trustProxy,
      ...(options.getUser ? { getUser: options.getUser } : {}),
      userIdOf,
      guard,
    }),
  );

  io.on("connection", (socket) => {
    if (shutdown.draining) return shutdown.refuse(socket);
    const { room, user, userId, issuedRoom } = socket.data.liveview as TabIdentity;
    // The live session of this handshake (a recovered socket too): the store is shared, the object is not.
    const session = (socket.request as LiveViewRequest).session ?? null;
    void socket.join(room);
    if (userId !== null) void socket.join(userRoom(userId));
    shutdown.track(socket);
    recovery?.track(socket);
    const consumer = createConsumer(socket, room, user, session);
    attachDispatcher(socket, consumer, {
      registry,
      ledger,
      uploads,
      shutdown,
      maxPayloadBytes,
      onError: options.onError,
      ...(handlers ? { handlersLoading: handlers } : {}),
      ...callLimits,
    });
    const uploadRefusals = new RefusalLog(getLogger, callLimits.refusalQuietMs, `socket ${socket.id}`);
    attachUploads(socket, consumer, { store: uploads, registry, ceiling: uploadLimits, refusals: uploadRefusals }, (update) => send(consumer, update));
    const ready: ReadyMessage = { room, maxPayloadBytes };
    if (issuedRoom) ready.roomToken = issuedRoom;
    if (version !== undefined) ready.version = version;
    socket.emit(READY_EVENT, ready);
  });
  warnIfPublicOutsideProduction(httpServer);

  const close = async (): Promise<void> => {
    stopWatching?.();
    handlers?.close();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    uploads.close();
    recovery?.stop();
    await redis?.close();
  };
  let stopping: Promise<void> | null = null;

  return {
    io,
    ready: handlers ? handlers.ready : Promise.resolve(),
    broadcast: (update) => void io.emit(LIVEVIEW_EVENT, update),
    sendToRoom: (room, update) => void io.to(room).emit(LIVEVIEW_EVENT, update),
    signRoom,
    disconnectUser: (userId) => io.in(userRoom(String(userId))).disconnectSockets(true),
    disconnectRoom: (room) => io.in(room).disconnectSockets(true),
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
