import type { Logger } from "../debug.js";
import { pageNonce } from "./csp_nonce.js";
import { trustedScript, trustedScriptUrl } from "./trusted_types.js";

/**
 * The types a browser runs as classic scripts (HTML's JavaScript MIME type essences: application/ or text/
 * [x-]ecmascript and [x-]javascript, text/javascript1.0 to 1.5, text/jscript, text/livescript), no type, and "module".
 */
const JAVASCRIPT_TYPE = /^(|module|(application|text)\/(x-)?(ecma|java)script|text\/(javascript1\.[0-5]|jscript|livescript))$/;

/** Whether the browser would run this script element (rather than keep it as a data block). */
export const isRunnableScript = (script: HTMLScriptElement): boolean =>
  JAVASCRIPT_TYPE.test((script.getAttribute("type") ?? "").trim().toLowerCase());

const isModule = (script: HTMLScriptElement): boolean =>
  (script.getAttribute("type") ?? "").trim().toLowerCase() === "module";

/**
 * The global through which an inserted script finds its target and reports back. It exists only while
 * that script runs (inline classic scripts run synchronously on insertion) and is removed after.
 */
const HANDLE = "__liveviewScriptRun";

/** What one run of `runCode` shares with the code it inserts. */
interface ScriptRun {
  el: Element | null;
  self: unknown;
  ran: boolean;
  failed: boolean;
  error: unknown;
}

type HandleHost = Record<typeof HANDLE, ScriptRun | undefined>;

/**
 * The code as the body of a function called with `el` and `this` bound, inside a try: an error in it is
 * kept for our log instead of reaching window.onerror, as the Function constructor did (which a strict CSP forbids).
 */
const wrap = (code: string): string =>
  `(function(run){run.ran=true;try{(function(el){\n${code}\n}).call(run.self,run.el)}` +
  `catch(error){run.failed=true;run.error=error}})(window.${HANDLE});`;

/**
 * Takes the runnable `<script>` elements (no type, a JavaScript type, or "module") out of a parsed
 * fragment and returns them in document order. Data blocks such as `text/template` or
 * `application/json` stay in the markup, inert, for page code to read.
 *
 * ```ts
 * const scripts = extractScripts(fragment);
 * target.replaceChildren(fragment);
 * runScripts(scripts, target, log);
 * ```
 */
export function extractScripts(fragment: DocumentFragment): HTMLScriptElement[] {
  const scripts = Array.from(fragment.querySelectorAll("script")).filter(isRunnableScript);
  for (const script of scripts) script.remove();
  return scripts;
}

/** A script element the page's Content-Security-Policy lets run: it carries the page's nonce, if any. */
function newScript(doc: Document, nonce: string | null): HTMLScriptElement {
  const script = doc.createElement("script");
  if (nonce) script.setAttribute("nonce", nonce);
  return script;
}

/** A live copy of a script element (attributes and code), which the browser loads or runs when inserted. */
function cloneAsLiveScript(script: HTMLScriptElement, doc: Document): HTMLScriptElement {
  const nonce = pageNonce(doc);
  const live = newScript(doc, nonce);
  for (const { name, value } of Array.from(script.attributes)) {
    if (name === "src") live.src = trustedScriptUrl(value);
    else if (name !== "nonce" || !nonce) live.setAttribute(name, value);
  }
  // Inserted scripts are async by default; keep external ones in the order the server wrote them.
  if (!script.hasAttribute("async")) live.async = false;
  const code = script.textContent ?? "";
  if (code) live.text = trustedScript(code);
  return live;
}

/**
 * Runs code with `el` and `this` bound: `el` is the target (or null) and `this` the target (or
 * window). The code runs as a script element with the page's CSP nonce (from
 * `<meta name="csp-nonce">`), so it needs neither `'unsafe-inline'` nor `'unsafe-eval'`. An error is
 * logged, never thrown, so the rest of an update still applies.
 *
 * ```ts
 * runCode("el.classList.add('done')", document.querySelector("#box"), log);
 * ```
 */
export function runCode(code: string, target: Element | null, log: Logger): void {
  const doc = target?.ownerDocument ?? document;
  const win = doc.defaultView;
  if (!win) return;
  const host = win as unknown as HandleHost;
  const outer = host[HANDLE];
  const run: ScriptRun = { el: target, self: target ?? win, ran: false, failed: false, error: undefined };
  // A syntax error never reaches the wrapper's try: the browser reports it on window while the script is inserted.
  let syntaxError: unknown;
  const onError = (event: ErrorEvent) => {
    syntaxError = event.error ?? event.message;
    event.preventDefault();
  };
  host[HANDLE] = run;
  win.addEventListener("error", onError);
  try {
    const script = newScript(doc, pageNonce(doc));
    script.text = trustedScript(wrap(code));
    (doc.head ?? doc.documentElement).append(script);
    script.remove();
  } catch (error) {
    syntaxError = error;
  } finally {
    win.removeEventListener("error", onError);
    if (outer) host[HANDLE] = outer;
    else delete host[HANDLE];
  }
  if (run.failed) log.error("script error", run.error);
  else if (!run.ran) log.error("script did not run (syntax error or CSP)", syntaxError);
}

/**
 * Runs the scripts taken out of an update's HTML, in order, after the HTML is inserted. Inline code
 * runs with `el` and `this` bound to the target, and an error in one script does not stop the next.
 * `<script src>` and module scripts are re-created as real script elements in `<head>`, with the
 * page's nonce, so the browser loads and runs them (without the `el` binding).
 *
 * ```ts
 * runScripts(extractScripts(fragment), target, log);
 * ```
 */
export function runScripts(scripts: HTMLScriptElement[], target: Element, log: Logger): void {
  const doc = target.ownerDocument;
  for (const script of scripts) {
    if (script.hasAttribute("src") || isModule(script)) {
      try {
        (doc.head ?? doc.documentElement).append(cloneAsLiveScript(script, doc));
      } catch (error) {
        log.error("could not insert script", error);
      }
      continue;
    }
    runCode(script.textContent ?? "", target, log);
  }
}
