// `npm run start:cluster`: the example app as two processes on two ports sharing one Redis.
//
// Uses REDIS_URL when it is set; otherwise starts Debian's redis-server (no persistence) on a free
// loopback port for as long as the cluster runs. PORT (default 3000) is the first node's port, the
// second node listens on PORT + 1. Ctrl+C or SIGTERM shuts both nodes down gracefully.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REDIS_SERVER = process.env.REDIS_SERVER_PATH ?? "/usr/bin/redis-server";
const firstPort = Number(process.env.PORT ?? 3000);
const ports = [firstPort, firstPort + 1];

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const ping = (port) =>
  new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
  });

async function startRedis() {
  if (!existsSync(REDIS_SERVER)) {
    console.error(
      `REDIS_URL is not set and ${REDIS_SERVER} is missing: set REDIS_URL=redis://host:6379, or install Redis (apt-get install redis-server).`,
    );
    process.exit(1);
  }
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "ignore", "inherit"],
    detached: true, // out of the terminal's process group: Ctrl+C stops the nodes first, then we stop it
  });
  for (let i = 0; i < 100 && !(await ping(port)); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  if (!(await ping(port))) {
    child.kill("SIGKILL");
    console.error(`redis-server did not answer on port ${port}`);
    process.exit(1);
  }
  console.log(`[cluster] started redis-server on 127.0.0.1:${port} (no persistence; stopped with the cluster)`);
  return { url: `redis://127.0.0.1:${port}`, child };
}

const redis = process.env.REDIS_URL ? { url: process.env.REDIS_URL, child: null } : await startRedis();
process.once("exit", () => redis.child?.kill("SIGTERM"));

const nodes = ports.map((port, index) => {
  const name = `node${index + 1}`;
  // One process each (no tsx wrapper process), so SIGTERM and SIGKILL reach the node itself.
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "example", "main.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), REDIS_URL: redis.url, NODE_NAME: name },
    stdio: "inherit",
  });
  console.log(`[cluster] ${name} (pid ${child.pid}) on http://localhost:${port}`);
  return { name, child, exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal))) };
});

let stopping = false;
async function stop(signal) {
  if (stopping) return;
  stopping = true;
  console.log(`[cluster] ${signal}: shutting both nodes down`);
  for (const { child } of nodes) if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
  await Promise.all(nodes.map(({ exited }) => exited));
  redis.child?.kill("SIGTERM");
  process.exit(0);
}
process.once("SIGINT", () => void stop("SIGINT"));
process.once("SIGTERM", () => void stop("SIGTERM"));

// A node that dies is left dead (its browsers move to the other node): that is what the cluster is for.
for (const { name, exited } of nodes) {
  void exited.then((how) => {
    if (!stopping) console.log(`[cluster] ${name} exited (${how}); the other node keeps serving`);
  });
}
await Promise.all(nodes.map(({ exited }) => exited));
if (!stopping) {
  redis.child?.kill("SIGTERM");
  process.exit(1);
}
