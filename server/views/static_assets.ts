import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { ExpressAppLike } from "../types.js";

export const STATIC_ROUTE = "/static/liveview";
const BUNDLES = ["liveview.js", "liveview.min.js", "liveview.js.map"];

/** The folder holding the built browser bundle, found from this file in the source tree or in dist/. */
export function bundleDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const candidate = path.join(dir, "dist", "static", "liveview");
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, "static", "liveview", "liveview.js"))) return path.join(dir, "static", "liveview");
    dir = path.dirname(dir);
  }
  throw new Error("express-liveview: the browser bundle was not found; run `npm run build`");
}

/** Serves liveview.js and liveview.min.js at /static/liveview/ from memory, with an ETag. */
export function mountStaticAssets(app: ExpressAppLike): void {
  const dir = bundleDir();
  const cache = new Map<string, { body: Buffer; etag: string }>();
  const load = (name: string) => {
    let entry = cache.get(name);
    if (!entry) {
      const body = readFileSync(path.join(dir, name));
      entry = { body, etag: `"${createHash("sha1").update(body).digest("base64url")}"` };
      cache.set(name, entry);
    }
    return entry;
  };
  for (const name of BUNDLES) {
    app.get(`${STATIC_ROUTE}/${name}`, (req: IncomingMessage, res: ServerResponse) => {
      if (!existsSync(path.join(dir, name))) {
        res.statusCode = 404;
        res.end("Not found");
        return;
      }
      const { body, etag } = load(name);
      res.setHeader("ETag", etag);
      res.setHeader("Cache-Control", "no-cache");
      if (req.headers["if-none-match"] === etag) {
        res.statusCode = 304;
        res.end();
        return;
      }
      res.setHeader("Content-Type", name.endsWith(".map") ? "application/json" : "text/javascript; charset=utf-8");
      res.end(body);
    });
  }
}
