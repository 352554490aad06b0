import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import express from "express";
import { RedisStore } from "connect-redis";
import session from "express-session";
import { createClient } from "redis";
import { createLiveView, liveviewRegistry, type LiveView } from "express-liveview";
import { authMiddleware, authRoutes, loggingMiddleware, rateLimitMiddleware, userOf } from "./auth";
import { setExampleContext } from "./context";
import { openDatabase, type Db } from "./db";
import { findArticle, searchArticles } from "./handlers/articles";
import { AVATAR_NAME, avatarDir } from "./handlers/avatar";
import { CHAT_ROOMS, chatRoomId, recentMessages, takeDraft } from "./handlers/chat";
import { startDashboard } from "./handlers/dashboard";
import { listTodos } from "./handlers/todos";
import { SalesSeries } from "./sales_series";
import { SqliteSessionStore } from "./session_store";

const root = path.resolve(__dirname, "..");

export interface ExampleOptions {
  /** Where the app keeps what it stores (database, avatars). Default: DATA_DIR, else ./data. */
  dataDir?: string;
  /** The SQLite file. Default: DATABASE_PATH, else DATA_DIR/app.db. */
  databasePath?: string;
  /** How often the dashboard is pushed. Default 3 s. */
  dashboardIntervalMs?: number;
  /** Where the logging middleware writes. Default: console.log. */
  log?: (line: string) => void;
  /** Redis shared by several nodes (sockets, sessions, exactly-once ids). Default: REDIS_URL, else none. */
  redisUrl?: string;
  /** How often each dashboard tab polls its user's own figures. Default 5 s. */
  dashboardPollMs?: number;
  /** Whether this process pushes the dashboard (run it on one node of a cluster). Default true. */
  dashboard?: boolean;
}

export interface ExampleApp {
  app: express.Express;
  httpServer: http.Server;
  liveview: LiveView;
  db: Db;
  /** Stops the timers, closes sockets, the HTTP server and the database. */
  close(): Promise<void>;
  /** For SIGTERM: stop taking sockets, let running calls finish (their tabs reconnect elsewhere), then close. */
  shutdown(deadlineMs?: number): Promise<void>;
}

/** A secret kept in the database, so session cookies and signed rooms survive a restart. */
function storedSecret(db: Db, key: string): string {
  // Two nodes of `npm run start:cluster` may start at once on one database: the first insert wins, both read it.
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)").run(key, randomBytes(32).toString("hex"));
  return (db.prepare("SELECT value FROM meta WHERE key = ?").get(key) as { value: string }).value;
}

/** Builds the example app without listening, so tests can start it on any port. */
export function createApp(options: ExampleOptions = {}): ExampleApp {
  const dataDir = path.resolve(options.dataDir ?? process.env.DATA_DIR ?? path.join(root, "data"));
  const db = openDatabase(options.databasePath ?? process.env.DATABASE_PATH ?? path.join(dataDir, "app.db"));
  const app = express();
  const httpServer = http.createServer(app);
  const redisUrl = options.redisUrl ?? process.env.REDIS_URL;
  const redis = redisUrl ? createClient({ url: redisUrl }) : null;
  if (redis) {
    redis.on("error", (error: Error) => console.error(`[example] Redis: ${error.message}`));
    void redis.connect(); // commands wait until it is connected
  }
  const sessions = session({
    // One node: sessions in SQLite. Several nodes: in the Redis they share, with the same secret.
    store: redis ? new RedisStore({ client: redis, prefix: "example:sess:" }) : new SqliteSessionStore(db),
    secret: process.env.SESSION_SECRET ?? storedSecret(db, "session_secret"),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: "lax", maxAge: 7 * 86_400_000 },
  });
  const liveview = createLiveView(httpServer, {
    app,
    views: path.join(root, "views"),
    // Every module in example/handlers registers its handlers as it is imported; outside production an edited
    // one is imported again, so a handler change needs no restart.
    handlers: path.join(root, "example/handlers"),
    session: sessions,
    getUser: userOf,
    // A strict Content-Security-Policy on every page: inline scripts carry {{cspNonce}}, updates run with it.
    csp: true,
    // The avatar handler declares its own limits (5 MB, 1 file, png/jpeg/webp); these bound what waits in memory.
    uploads: { maxPendingUploads: 4, maxProcessPendingBytes: 64 * 1024 * 1024 },
    // Signed rooms: the key is kept in the database like the session secret, so room tokens survive a restart.
    secret: process.env.LIVEVIEW_SECRET ?? storedSecret(db, "liveview_secret"),
    maxConnectionsPerIp: Number(process.env.MAX_CONNECTIONS_PER_IP ?? 50),
    ...(redis ? { redis } : {}),
  });

  // What the handler modules use; they load on a later turn, and read it when a call comes.
  setExampleContext({ db, liveview, dataDir, sales: new SalesSeries(), dashboardIntervalMs: options.dashboardIntervalMs ?? 3000 });
  // Every node answers the dashboard's calls; only one pushes the shared chart.
  const stopDashboard = options.dashboard === false ? () => undefined : startDashboard();
  const middlewares = [rateLimitMiddleware(), authMiddleware, loggingMiddleware(options.log ?? console.log)];
  middlewares.forEach((middleware) => liveviewRegistry.addMiddleware(middleware));

  app.use(sessions);
  app.use((req, res, next) => {
    res.locals.user = req.session.user ?? null;
    next();
  });
  app.use("/static", express.static(path.join(__dirname, "public")));
  // Chart.js from node_modules, never a CDN.
  const chartJs = path.join(path.dirname(require.resolve("chart.js")), "chart.umd.min.js");
  app.get("/static/vendor/chart.umd.js", (_req, res) => res.sendFile(chartJs));
  app.use(authRoutes(liveview));
  app.get("/", (_req, res) => res.render("pages/home", { title: "express-liveview", count: 0 }));
  app.get("/articles", (_req, res) => res.render("pages/articles", { title: "Articles", results: searchArticles(db, "") }));
  app.get("/articles/:id", (req, res) => {
    const article = findArticle(db, Number(req.params.id));
    if (!article) return void res.status(404).render("pages/articles", { title: "Articles", results: searchArticles(db, "") });
    res.render("pages/articles", { title: article.title, article });
  });
  app.get("/items", (_req, res) => res.render("pages/items", { title: "Items" }));
  app.get("/todos", (_req, res) => res.render("pages/todos", { title: "Todos", todos: listTodos(db), keyboardMap: '{"n":"todo_new"}' }));
  app.get("/chat", (_req, res) => res.redirect("/chat/general"));
  app.get("/chat/:room", (req, res) => {
    const name = req.params.room;
    if (!CHAT_ROOMS.includes(name)) return void res.redirect("/chat/general");
    const room = chatRoomId(name);
    res.render("pages/chat", {
      title: `#${name}`,
      room,
      rooms: CHAT_ROOMS.map((other) => ({ name: other, active: other === name })),
      messages: recentMessages(db, room),
      name,
      value: takeDraft(req.session, room),
    });
  });
  app.get("/dashboard", (_req, res) =>
    res.render("pages/dashboard", { title: "Dashboard", pollMs: options.dashboardPollMs ?? 5000 }),
  );
  app.get("/avatar", (_req, res) => res.render("pages/avatar", { title: "Avatar" }));
  app.get("/avatars/:name", (req, res) => {
    if (!AVATAR_NAME.test(req.params.name)) return void res.sendStatus(404);
    res.sendFile(req.params.name, { root: avatarDir(dataDir) }, (error) => error && !res.headersSent && res.sendStatus(404));
  });

  return {
    app,
    httpServer,
    liveview,
    db,
    close: () => finish(() => liveview.close()),
    shutdown: (deadlineMs = 10_000) => finish(() => liveview.shutdown({ deadlineMs })),
  };

  async function finish(closeLiveView: () => Promise<void>): Promise<void> {
    stopDashboard();
    // The handlers stay registered, as any module's that registers at import: an app made again (a restart in a
    // test) finds them.
    middlewares.forEach((middleware) => liveviewRegistry.removeMiddleware(middleware));
    await closeLiveView();
    await redis?.close();
    db.close();
  }
}
