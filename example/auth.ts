import express from "express";
import { RateLimiterMemory } from "rate-limiter-flexible";
import { send, type LiveView, type LiveViewRequest, type Middleware } from "express-liveview";

export interface User {
  name: string;
}

declare module "express-session" {
  interface SessionData {
    user?: User;
  }
}

/** The handlers that change something: anonymous visitors may read every page but not call these. */
export const WRITES = new Set([
  "todo_create", "todo_edit", "todo_save", "todo_toggle", "todo_delete", "chat_send", "upload_avatar",
]);

/** `getUser` for createLiveView: the user the session holds (null for visitors). */
export const userOf = (req: LiveViewRequest): User | null => (req.session?.user as User | undefined) ?? null;

const showError = (html: string) => ({ target: "#error", html });

/** Lets anonymous visitors read but not write, with a clear message in #error. */
export const authMiddleware: Middleware = (consumer, _content, functionName) => {
  if (!WRITES.has(functionName) || consumer.scope.user) return true;
  send(consumer, showError(`<p>You must be logged in to do that. <a href="/login">Log in</a></p>`));
  return false;
};

/** Logs each call with its user and how long it took. */
export function loggingMiddleware(log: (line: string) => void): Middleware {
  return (consumer, _content, functionName) => {
    const started = process.hrtime.bigint();
    const user = (consumer.scope.user as User | null)?.name ?? "anonymous";
    return (ack) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log(`[example] ${functionName} by ${user}: ${ack.ok ? "ok" : ack.error} in ${ms.toFixed(1)} ms`);
    };
  };
}

/** Answers floods with a clear message: at most `points` calls per tab per second. */
export function rateLimitMiddleware(points = 20): Middleware {
  const limiter = new RateLimiterMemory({ points, duration: 1 });
  return async (consumer) => {
    try {
      await limiter.consume(consumer.id);
      return true;
    } catch {
      send(consumer, showError("<p>Too many actions at once: please slow down.</p>"));
      return false;
    }
  };
}

const USERNAME = /^[A-Za-z0-9_-]{2,30}$/;

/** GET/POST /login and POST /logout: a username is enough in this example. Logging out closes the user's open tabs. */
export function authRoutes(liveview: Pick<LiveView, "disconnectUser">): express.Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false }));
  router.get("/login", (req, res) => res.render("pages/login", { title: "Log in", user: req.session.user }));
  router.post("/login", (req, res) => {
    const name = String(req.body?.username ?? "").trim();
    if (!USERNAME.test(name)) {
      res.status(400).render("pages/login", { title: "Log in", error: "Use 2 to 30 letters, digits, - or _.", username: name });
      return;
    }
    req.session.regenerate(() => {
      req.session.user = { name };
      res.redirect(303, "/todos");
    });
  });
  router.post("/logout", (req, res) => {
    const user = req.session.user;
    req.session.destroy(() => {
      // Every open tab of this user reconnects as a visitor, on every node: none keeps writing as them.
      if (user) liveview.disconnectUser(user.name);
      res.redirect(303, "/");
    });
  });
  return router;
}
