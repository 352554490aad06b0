/**
 * The URL an update's `url` key may push: an http(s) URL of the page's own origin, resolved against
 * the page (so "/page/2" and "?q=x" work). Anything else (`javascript:`, `data:`, another host,
 * a protocol-relative `//other.example`) gives null, so a forged or mistaken update cannot point the
 * address bar at code or at another site.
 *
 * ```ts
 * sameOriginUrl("/articles/3", document)?.href; // "https://this.example/articles/3"
 * sameOriginUrl("javascript:alert(1)", document); // null
 * ```
 */
export function sameOriginUrl(value: string, doc: Document): URL | null {
  const here = doc.defaultView?.location;
  if (!here) return null;
  let url: URL;
  try {
    url = new URL(value, here.href);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  return url.origin === here.origin ? url : null;
}
