import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";

/** `allowedOrigins`: extra origins besides the page's own, or "*" for any (unsafe: see docs/security.md). */
export type AllowedOrigins = readonly string[] | "*";

const firstValue = (header: string | string[] | undefined): string | undefined =>
  (Array.isArray(header) ? header[0] : header)?.split(",")[0]?.trim() || undefined;

const hostOf = (url: string): string | null => {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return null;
  }
};

const originOf = (url: string): string | null => {
  try {
    const parsed = new URL(url);
    return parsed.origin === "null" ? null : parsed.origin.toLowerCase();
  } catch {
    return null;
  }
};

/**
 * Decides whether a handshake may open a socket, from its `Origin` header. Accepted: no Origin at all (not a
 * browser: a browser always sends one on a WebSocket handshake, so such a request cannot carry a victim's
 * cookies by accident), an origin listed in `allowed`, or the page's own origin, the one the `Host` header
 * names. Without `trustProxy` the scheme is not compared (a proxy that ends TLS makes an https page's socket
 * arrive over http); with it, `X-Forwarded-Proto` and `X-Forwarded-Host` say what the browser used, and the
 * scheme must match too. Returns null when accepted, else the reason.
 *
 * ```ts
 * checkOrigin(req, [], false); // null for a page of the same host, a reason for https://evil.example
 * ```
 */
export function checkOrigin(request: IncomingMessage, allowed: AllowedOrigins, trustProxy: boolean): string | null {
  const origin = firstValue(request.headers.origin);
  if (origin === undefined || allowed === "*") return null;
  const normalised = originOf(origin);
  if (normalised !== null && allowed.some((entry) => originOf(entry) === normalised)) return null;
  const forwardedHost = trustProxy ? firstValue(request.headers["x-forwarded-host"]) : undefined;
  const host = forwardedHost ?? firstValue(request.headers.host);
  if (host !== undefined && normalised !== null) {
    if (!trustProxy) {
      if (hostOf(normalised) === hostOf(`http://${host}`)) return null;
    } else {
      const encrypted = (request.socket as TLSSocket).encrypted === true;
      const scheme = firstValue(request.headers["x-forwarded-proto"]) ?? (encrypted ? "https" : "http");
      if (originOf(`${scheme}://${host}`) === normalised) return null;
    }
  }
  return `Origin refused: ${origin.slice(0, 200)} is not this site's origin; list it in allowedOrigins to allow it`;
}

/** The client's address: the socket's, or with `trustProxy` the first hop of `X-Forwarded-For` (as Express does). */
export function clientAddress(request: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? firstValue(request.headers["x-forwarded-for"]) : undefined;
  return forwarded ?? request.socket.remoteAddress ?? "unknown";
}
