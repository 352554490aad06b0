import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import type session from "express-session";
import { createApp, type ExampleApp, type ExampleOptions } from "../../example/app";
import { SqliteSessionStore } from "../../example/session_store";

/** The example app on a temporary data directory (a fresh, seeded database), and how to get rid of it. */
export interface Example extends ExampleApp {
  dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * Builds the example app as a test would use it: never listening, quiet (unless given a `log`), on its own data
 * directory. The dashboard pushes only once an hour, so no test sees a push it did not ask for.
 */
export function startExample(options: Pick<ExampleOptions, "log"> = {}): Example {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liveview-example-"));
  const example = createApp({ dataDir, log: () => undefined, dashboardIntervalMs: 3_600_000, dashboardPollMs: 3_600_000, ...options });
  return {
    ...example,
    dataDir,
    cleanup: async () => {
      await example.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a form to the app on a port of its own for the request; resolves with the response's status and headers. */
function post(app: express.Express, route: string, form: Record<string, string>): Promise<http.IncomingMessage> {
  const server = http.createServer(app);
  const body = new URLSearchParams(form).toString();
  return new Promise<http.IncomingMessage>((resolve, reject) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      const headers = { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), connection: "close" };
      const req = http.request({ host: "127.0.0.1", port, path: route, method: "POST", headers, agent: false }, (response) => {
        response.resume();
        response.on("end", () => resolve(response));
      });
      req.on("error", reject);
      req.end(body);
    });
  }).finally(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

/** Logs `name` in through the login form and returns the session cookie (`name=value`) to send with requests. */
export async function login(app: express.Express, name: string): Promise<string> {
  const response = await post(app, "/login", { username: name });
  const cookie = response.headers["set-cookie"]?.[0]?.split(";")[0];
  if (response.statusCode !== 303 || !cookie) throw new Error(`POST /login as ${name} answered ${response.statusCode} without a cookie`);
  return cookie;
}

/** A session as handlers see it in `consumer.scope.session`: the stored data, and `save()` to write it back. */
export type StoredSession = session.SessionData & { save(callback?: (error?: unknown) => void): void };

/**
 * The session the app keeps for a login cookie, as the socket's handshake hands it to handlers: what a handler
 * puts in it and saves is what the next page load of that browser reads. Pass it as a test page's `session`.
 */
export async function storedSession(example: Example, cookie: string): Promise<StoredSession> {
  // The cookie is `connect.sid=s:<sid>.<signature>`, URI-encoded; the store knows the sid.
  const sid = decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)).replace(/^s:/, "").split(".")[0];
  const store = new SqliteSessionStore(example.db);
  const data = await new Promise<session.SessionData>((resolve, reject) =>
    store.get(sid, (error, found) => (error || !found ? reject(new Error(`no stored session for ${cookie}`)) : resolve(found))),
  );
  const saved: StoredSession = Object.assign(data, { save: (callback?: (error?: unknown) => void) => store.set(sid, saved, callback) });
  return saved;
}
