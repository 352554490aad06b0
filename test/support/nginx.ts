import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { httpGet } from "./http";
import { eventually, freePort, spawnChild, type Child } from "./processes";

/** Debian's nginx (`npm test` installs it through scripts/ensure-test-deps.mjs). */
export const NGINX_PATH = process.env.NGINX_PATH ?? "/usr/sbin/nginx";

export interface Proxy {
  port: number;
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/**
 * The configuration docs/deployment.md recommends, on loopback: both nodes upstream, websocket upgrade
 * headers, long read timeouts, and the next node tried when one refuses. Everything nginx writes goes to `dir`.
 */
export function nginxConfig(dir: string, port: number, upstreams: number[]): string {
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  return `
${asRoot ? "user root;" : ""}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }

  upstream liveview {
${upstreams.map((upstream) => `    server 127.0.0.1:${upstream} max_fails=1 fail_timeout=10s;`).join("\n")}
  }

  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://liveview;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_send_timeout 1h;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_next_upstream_tries 2;
    }
  }
}
`;
}

export const nginxAvailable = (): boolean => existsSync(NGINX_PATH);

/** Starts nginx in the foreground on a free loopback port in front of `upstreams`; stop() removes its temp dir. */
export async function startNginx(upstreams: number[]): Promise<Proxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "liveview-nginx-"));
  for (const sub of ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, sub));
  const port = await freePort();
  const conf = path.join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig(dir, port, upstreams));
  const child = spawnChild(NGINX_PATH, ["-p", dir, "-e", path.join(dir, "error.log"), "-c", conf, "-g", "daemon off;"]);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await child.stop("SIGQUIT", 3000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await eventually(async () => (await httpGet(`${url}/page`).catch(() => ({ status: 0 }))).status === 200, 10_000);
  } catch (error) {
    const output = child.output();
    await stop();
    throw new Error(`nginx did not start: ${String(error)}\n${output}`);
  }
  return { port, url, child, stop };
}
