// Figure 4: the browser bundle against its floor: Stimulus and socket.io-client bundled alone, from a tiny
// entry that imports both and starts Stimulus, with the settings of webpack.config.js's minified bundle.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import webpack from "webpack";

const ROOT = path.join(__dirname, "..", "..");
export const BUNDLE = path.join(ROOT, "dist", "static", "liveview", "liveview.min.js");

export interface BundleFigures {
  raw: number;
  gzip: number;
  floorRaw: number;
  floorGzip: number;
}

const FLOOR_ENTRY = `import { Application } from "@hotwired/stimulus";
import { io } from "socket.io-client";
window.__floor = { application: Application.start(), socket: io({ autoConnect: false, transports: ["websocket"] }) };
`;

/** gzip at the highest level, as a server would precompress a static file. */
const gzipBytes = (body: Buffer): number => gzipSync(body, { level: 9 }).length;

function buildFloor(dir: string): Promise<Buffer> {
  writeFileSync(path.join(dir, "entry.js"), FLOOR_ENTRY);
  const compiler = webpack({
    mode: "production",
    devtool: false,
    context: dir,
    entry: "./entry.js",
    target: ["web", "es2020"],
    output: { path: dir, filename: "floor.min.js", iife: true },
    resolve: { extensions: [".ts", ".js"], modules: [path.join(ROOT, "node_modules")] },
    performance: { hints: false },
  });
  return new Promise((resolve, reject) =>
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      if (error || !stats || stats.hasErrors()) return reject(error ?? new Error(stats?.toString("errors-only")));
      resolve(readFileSync(path.join(dir, "floor.min.js")));
    }),
  );
}

export async function measureBundle(): Promise<BundleFigures> {
  const bundle = readFileSync(BUNDLE);
  const dir = mkdtempSync(path.join(os.tmpdir(), "liveview-floor-"));
  try {
    const floor = await buildFloor(dir);
    return { raw: bundle.length, gzip: gzipBytes(bundle), floorRaw: floor.length, floorGzip: gzipBytes(floor) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
