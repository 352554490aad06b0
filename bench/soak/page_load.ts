// What a browser does before its socket opens: log in (some tabs), load the page, keep the session
// cookie, read `<html data-room="...">`. The room is sent back verbatim in the handshake, whatever it is
// (a plain name today, a signed token once rooms are signed), exactly as the browser does.
import http from "node:http";

export interface LoadedPage {
  room: string;
  /** `name=value` of the session cookie, or "" for a visitor (no session is saved for them). */
  cookie: string;
  html: string;
}

interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function request(url: string, localAddress: string, method: string, cookie: string, body?: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (cookie) headers.cookie = cookie;
    if (body !== undefined) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers["content-length"] = String(Buffer.byteLength(body));
    }
    const req = http.request(url, { method, headers, localAddress, agent: false, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** The `name=value` part of the first Set-Cookie header, or the cookie we had. */
function cookieFrom(headers: http.IncomingHttpHeaders, previous: string): string {
  const set = headers["set-cookie"]?.[0];
  return set ? set.split(";")[0] : previous;
}

const ROOM = /<html[^>]*\sdata-room="([^"]*)"/;

/** Logs in as `user` first when given (POST /login, as the form does), then loads `path`. */
export async function loadPage(base: string, path: string, localAddress: string, user: string | null): Promise<LoadedPage> {
  let cookie = "";
  if (user) {
    const login = await request(`${base}/login`, localAddress, "POST", "", `username=${encodeURIComponent(user)}`);
    if (login.status !== 303) throw new Error(`POST /login answered ${login.status}`);
    cookie = cookieFrom(login.headers, cookie);
    if (!cookie) throw new Error("POST /login set no session cookie");
  }
  const page = await request(`${base}${path}`, localAddress, "GET", cookie);
  if (page.status !== 200) throw new Error(`GET ${path} answered ${page.status}`);
  cookie = cookieFrom(page.headers, cookie);
  const room = ROOM.exec(page.body)?.[1];
  if (room === undefined) throw new Error(`GET ${path}: no <html data-room> in the page`);
  return { room: decodeEntities(room), cookie, html: page.body };
}

/** Handlebars escapes attribute values; the browser reads them unescaped. */
const decodeEntities = (text: string): string =>
  text.replace(/&(amp|lt|gt|quot|#x27|#39|#x3D|#x60);/g, (_, name: string) =>
    ({ amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'", "#x3D": "=", "#x60": "`" })[name] ?? "");
