/** The meta tag a page carries its Content-Security-Policy nonce in, as Turbo reads it. */
export const CSP_NONCE_META = 'meta[name="csp-nonce"]';

/**
 * The page's script nonce from `<meta name="csp-nonce" content="N">`, or null when the page has none.
 * Read at each use, so a page that swaps its meta (Turbo does on navigation) is followed.
 *
 * ```ts
 * const nonce = pageNonce(document);
 * if (nonce) script.setAttribute("nonce", nonce);
 * ```
 */
export function pageNonce(doc: Document): string | null {
  const content = doc.querySelector(CSP_NONCE_META)?.getAttribute("content");
  return content ? content : null;
}
