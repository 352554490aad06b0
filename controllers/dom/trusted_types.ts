/**
 * Trusted Types for the three sinks the bundle writes to: a fragment's HTML, a script's text and a
 * script's URL. Under `require-trusted-types-for 'script'` the browser refuses plain strings there;
 * what the server sends is trusted by design (as with `'unsafe-inline'` gone, only the server's own
 * markup and code run), so the `liveview` policy passes it through. The policy is made on first use
 * and only where the browser has Trusted Types; a page whose `trusted-types` directive does not allow
 * the name `liveview` gets plain strings, which the browser then refuses and reports.
 */

/** The part of a Trusted Types policy used here (the DOM lib of TypeScript has no Trusted Types yet). */
interface LiveViewPolicy {
  createHTML(input: string): unknown;
  createScript(input: string): unknown;
  createScriptURL(input: string): unknown;
}

interface TrustedTypesFactory {
  createPolicy(name: string, rules: { [K in keyof LiveViewPolicy]: (input: string) => string }): LiveViewPolicy;
}

export const POLICY_NAME = "liveview";

const pass = (input: string): string => input;
/** undefined: not made yet; null: this browser has no Trusted Types, or the page refused the name. */
let policy: LiveViewPolicy | null | undefined;

function livePolicy(): LiveViewPolicy | null {
  if (policy !== undefined) return policy;
  policy = null;
  const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (factory && typeof factory.createPolicy === "function") {
    try {
      policy = factory.createPolicy(POLICY_NAME, { createHTML: pass, createScript: pass, createScriptURL: pass });
    } catch {
      // A `trusted-types` directive without `liveview`: the sinks below get strings and the browser says why.
    }
  }
  return policy;
}

// The sinks take a TrustedHTML/TrustedScript/TrustedScriptURL where the browser has them; TypeScript only knows
// strings, hence the casts.

/** HTML for `template.innerHTML`: `template.innerHTML = trustedHtml(html)`. */
export const trustedHtml = (html: string): string => (livePolicy()?.createHTML(html) ?? html) as string;

/** Code for `script.text`: `script.text = trustedScript(code)`. */
export const trustedScript = (code: string): string => (livePolicy()?.createScript(code) ?? code) as string;

/** A URL for `script.src`: `script.src = trustedScriptUrl(url)`. */
export const trustedScriptUrl = (url: string): string => (livePolicy()?.createScriptURL(url) ?? url) as string;

/** Forgets the policy (tests that install a fake `trustedTypes`). */
export function resetTrustedTypes(): void {
  policy = undefined;
}
