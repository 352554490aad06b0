import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { bundleDir } from "./static_assets.js";

/**
 * The default `version` sent in every `liveview:ready`: a short hash of the browser bundle
 * (dist/static/liveview/liveview.js), read once. A deploy that rebuilds the bundle changes it, so pages
 * that reconnect to the new server reload. Undefined when the bundle is not built (no version is sent then).
 *
 * ```ts
 * bundleVersion(); // "k3Jv0yqP2m1xT8aQ"
 * ```
 */
export function bundleVersion(): string | undefined {
  try {
    const body = readFileSync(path.join(bundleDir(), "liveview.js"));
    return createHash("sha256").update(body).digest("base64url").slice(0, 16);
  } catch {
    return undefined;
  }
}
