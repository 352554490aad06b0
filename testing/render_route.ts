import http, { type IncomingHttpHeaders, type IncomingMessage, type RequestListener } from "node:http";
import type { AddressInfo } from "node:net";

/** What GETting a route gave: the page's HTML, its final URL, and the cookies it set. */
export interface RenderedRoute {
  html: string;
  status: number;
  url: string;
  setCookies: string[];
}

/** An Express app (or any `(req, res)` listener), or an HTTP server already listening. */
export type RouteSource = RequestListener | { listen: unknown; address(): AddressInfo | string | null };

const MAX_REDIRECTS = 5;

function request(port: number, path: string, headers: IncomingHttpHeaders): Promise<{ response: IncomingMessage; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path, headers: { ...headers, connection: "close" }, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ response, body: Buffer.concat(chunks).toString("utf8") }));
      response.on("error", reject);
    });
    req.on("error", reject);
  });
}

/**
 * GETs `path` of an Express app on a port of its own for the request (closed after), following redirects on
 * the same app, and returns the HTML. A response other than 2xx is an error naming the status.
 */
export async function renderRoute(source: RouteSource, path: string, headers: IncomingHttpHeaders = {}): Promise<RenderedRoute> {
  const listening = typeof source === "object" && typeof source.address === "function" && source.address() !== null;
  const server = listening ? null : http.createServer(source as RequestListener);
  if (server) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const address = (server ?? (source as { address(): AddressInfo })).address() as AddressInfo;
    let current = path;
    const setCookies: string[] = [];
    for (let hop = 0; ; hop++) {
      const { response, body } = await request(address.port, current, headers);
      setCookies.push(...(response.headers["set-cookie"] ?? []));
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (status >= 300 && status < 400 && location && hop < MAX_REDIRECTS) {
        current = new URL(location, `http://localhost${current}`).pathname + new URL(location, "http://localhost").search;
        continue;
      }
      if (status < 200 || status >= 300) throw new Error(`GET ${current} answered ${status}: ${body.slice(0, 200)}`);
      return { html: body, status, url: `http://localhost${current}`, setCookies };
    }
  } finally {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
