import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import express from "express";
import { createApp, type ExampleApp } from "../../example/app";

/** The example app on a temporary data directory (a fresh, seeded database), and how to get rid of it. */
export interface Example extends ExampleApp {
  dataDir: string;
  cleanup(): Promise<void>;
}

/**
 * Builds the example app as a test would use it: never listening, quiet, on its own data directory. The dashboard
 * pushes only once an hour, so no test sees a push it did not ask for.
 */
export function startExample(): Example {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "liveview-example-"));
  const example = createApp({ dataDir, log: () => undefined, dashboardIntervalMs: 3_600_000, dashboardPollMs: 3_600_000 });
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
