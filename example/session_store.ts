import session from "express-session";
import type { Db } from "./db";

/** express-session's store on the example's SQLite database (table `sessions`). */
export class SqliteSessionStore extends session.Store {
  constructor(private readonly db: Db) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: session.SessionData | null) => void): void {
    const row = this.db.prepare("SELECT data, expires FROM sessions WHERE sid = ?").get(sid) as { data: string; expires: number } | undefined;
    if (!row || row.expires < Date.now()) return callback(null, null);
    callback(null, JSON.parse(row.data) as session.SessionData);
  }

  override set(sid: string, data: session.SessionData, callback?: (err?: unknown) => void): void {
    const expires = data.cookie?.expires ? new Date(data.cookie.expires).getTime() : Date.now() + 86_400_000;
    this.db.prepare("INSERT INTO sessions (sid, data, expires) VALUES (?, ?, ?) ON CONFLICT(sid) DO UPDATE SET data = excluded.data, expires = excluded.expires").run(sid, JSON.stringify(data), expires);
    callback?.();
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.db.prepare("DELETE FROM sessions WHERE sid = ?").run(sid);
    callback?.();
  }

  override touch(sid: string, data: session.SessionData, callback?: () => void): void {
    this.set(sid, data, () => callback?.());
  }
}
