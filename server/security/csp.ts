import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * `createLiveView(..., { csp })`: `true` for the strict policy below, or `{ directives }` to add to it or
 * change it (a directive given replaces ours; `'nonce-…'` is added to `script-src` whatever it says).
 */
export type CspOption = boolean | { directives?: Record<string, string | string[]> };

/** The strict policy: no 'unsafe-inline', no 'unsafe-eval'; inline scripts run only with the response's nonce. */
export const STRICT_CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  "default-src": "'self'",
  "script-src": "'self'",
  "object-src": "'none'",
  "base-uri": "'none'",
};

type Locals = { locals?: Record<string, unknown> };
type Next = (error?: unknown) => void;
export type CspMiddleware = (req: IncomingMessage, res: ServerResponse & Locals, next: Next) => void;

/** A fresh nonce: 128 random bits, base64url so it needs no escaping in HTML or in the header. */
export const newNonce = (): string => randomBytes(16).toString("base64url");

/** The header value for one response's nonce. */
export function cspHeader(nonce: string, directives: Record<string, string | string[]> = {}): string {
  const merged: Record<string, string> = { ...STRICT_CSP_DIRECTIVES };
  for (const [name, value] of Object.entries(directives)) {
    merged[name.toLowerCase()] = Array.isArray(value) ? value.join(" ") : value;
  }
  merged["script-src"] = `${merged["script-src"] ?? ""} 'nonce-${nonce}'`.trim();
  return Object.entries(merged)
    .map(([name, value]) => (value ? `${name} ${value}` : name))
    .join("; ");
}

/**
 * An Express middleware that makes a fresh nonce for each response (`res.locals.cspNonce`, rendered by the
 * `{{cspNonce}}` helper into `<meta name="csp-nonce" content="{{cspNonce}}">` and the page's own
 * `<script nonce="{{cspNonce}}">`) and sends the strict Content-Security-Policy with it.
 *
 * ```ts
 * app.use(cspMiddleware({ directives: { "img-src": ["'self'", "data:"] } }));
 * ```
 */
export function cspMiddleware(option: Exclude<CspOption, false> = true): CspMiddleware {
  const directives = option === true ? {} : (option.directives ?? {});
  return (_req, res, next) => {
    const nonce = newNonce();
    res.locals = res.locals ?? {};
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", cspHeader(nonce, directives));
    next();
  };
}

type AppWithUse = { use?: (middleware: CspMiddleware) => unknown };

/** Puts the CSP middleware in front of the app's routes (createLiveView's `csp` option with `app`). */
export function mountCsp(app: object, option: Exclude<CspOption, false>): void {
  const use = (app as AppWithUse).use;
  if (typeof use !== "function") throw new Error("express-liveview: the csp option needs an Express app with app.use()");
  use.call(app, cspMiddleware(option));
}

/**
 * The `{{cspNonce}}` Handlebars helper: the nonce of the response being rendered (`res.locals.cspNonce`,
 * which Express hands to the template's root context), or "" outside a response (a socket render).
 */
export function cspNonceHelper(options: { data?: { root?: Record<string, unknown> } }): string {
  const root = options?.data?.root;
  const nonce = root?.cspNonce ?? (root?._locals as Record<string, unknown> | undefined)?.cspNonce;
  return typeof nonce === "string" ? nonce : "";
}
