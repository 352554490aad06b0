// An app on one process never loads node-redis nor file-type: hundreds of modules and megabytes of heap that
// every major collection would walk. They load with the first use (the `redis` option, the first upload).
// Runs the built package (`npm run build`) in a fresh Node, as an app would load it.
import { execFileSync } from "node:child_process";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..");

/** The node_modules packages loaded after running `script` in a fresh process that required the package. */
function packagesLoadedAfter(script: string): string[] {
  const program = `
    const http = require("node:http");
    const liveview = require(${JSON.stringify(path.join(ROOT, "dist", "cjs", "server", "index.js"))});
    (async () => {
      ${script}
      const names = new Set();
      for (const file of Object.keys(require.cache)) {
        const parts = file.split("node_modules/").pop().split("/");
        if (file.includes("node_modules/")) names.add(parts[0].startsWith("@") ? parts[0] + "/" + parts[1] : parts[0]);
      }
      process.stdout.write(JSON.stringify([...names]));
      process.exit(0);
    })();
  `;
  return JSON.parse(execFileSync(process.execPath, ["-e", program], { cwd: ROOT, encoding: "utf8" })) as string[];
}

describe("dependencies loaded on first use", () => {
  it("creates a one-process LiveView without loading node-redis, its socket.io adapter or file-type", () => {
    const loaded = packagesLoadedAfter(`
      const server = http.createServer();
      const live = liveview.createLiveView(server);
      await live.close();
    `);
    expect(loaded).toEqual(expect.arrayContaining(["socket.io", "handlebars"]));
    for (const lazy of ["redis", "@redis/client", "@socket.io/redis-streams-adapter", "file-type"]) expect(loaded).not.toContain(lazy);
  });

  it("loads node-redis and the Redis Streams adapter when the redis option is given", () => {
    const loaded = packagesLoadedAfter(`
      const server = http.createServer();
      const live = liveview.createLiveView(server, { redis: "redis://127.0.0.1:9", secret: "a-shared-secret-for-all-nodes" });
      await live.close();
    `);
    expect(loaded).toEqual(expect.arrayContaining(["redis", "@socket.io/redis-streams-adapter"]));
  });
});
