// Installs what the tests need from Debian when it is missing: Chromium (browser tests), redis-server
// (multi-node tests) and nginx (the proxy in front of two nodes in the failover test). Runs before
// `npm test`; does nothing when all are present.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";

const needed = [
  { bin: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", pkg: "chromium" },
  { bin: "/usr/bin/redis-server", pkg: "redis-server" },
  { bin: "/usr/sbin/nginx", pkg: "nginx" },
];
const missing = needed.filter(({ bin }) => !existsSync(bin)).map(({ pkg }) => pkg);
if (missing.length === 0) process.exit(0);

if (typeof process.getuid === "function" && process.getuid() !== 0) {
  console.error(`Missing ${missing.join(", ")}: install with  sudo apt-get install -y ${missing.join(" ")}`);
  process.exit(1);
}
console.log(`Installing ${missing.join(", ")} from Debian (apt-get)…`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
execFileSync("apt-get", ["install", "-y", "-qq", ...missing], { stdio: "inherit", env });
