import type { Logger } from "../debug.js";

/**
 * The types a browser runs as classic scripts (HTML's JavaScript MIME type essences: application/ or text/
 * [x-]ecmascript and [x-]javascript, text/javascript1.0 to 1.5, text/jscript, text/livescript), no type, and "module".
 */
const JAVASCRIPT_TYPE = /^(|module|(application|text)\/(x-)?(ecma|java)script|text\/(javascript1\.[0-5]|jscript|livescript))$/;

const isJavaScript = (script: HTMLScriptElement): boolean =>
  JAVASCRIPT_TYPE.test((script.getAttribute("type") ?? "").trim().toLowerCase());

const isModule = (script: HTMLScriptElement): boolean =>
  (script.getAttribute("type") ?? "").trim().toLowerCase() === "module";

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
  const scripts = Array.from(fragment.querySelectorAll("script")).filter(isJavaScript);
  for (const script of scripts) script.remove();
  return scripts;
}

/** A live copy of a script element (attributes and code), which the browser loads or runs when inserted. */
function cloneAsLiveScript(script: HTMLScriptElement, doc: Document): HTMLScriptElement {
  const live = doc.createElement("script");
  for (const attribute of Array.from(script.attributes)) live.setAttribute(attribute.name, attribute.value);
  // Inserted scripts are async by default; keep external ones in the order the server wrote them.
  if (!script.hasAttribute("async")) live.async = false;
  live.textContent = script.textContent;
  return live;
}

/**
 * Runs code with `el` and `this` bound: `el` is the target (or null) and `this` the target (or
 * window). An error is logged, never thrown, so the rest of an update still applies.
 *
 * ```ts
 * runCode("el.classList.add('done')", document.querySelector("#box"), log);
 * ```
 */
export function runCode(code: string, target: Element | null, log: Logger): void {
  try {
    new Function("el", code).call(target ?? window, target);
  } catch (error) {
    log.error("script error", error);
  }
}

/**
 * Runs the scripts taken out of an update's HTML, in order, after the HTML is inserted. Inline code
 * runs with `el` and `this` bound to the target, and an error in one script does not stop the next.
 * `<script src>` and module scripts are re-created as real script elements in `<head>`, so the
 * browser loads and runs them (without the `el` binding).
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
