import { readFileSync } from "node:fs";
import type { IdiomorphApi } from "../controllers/dom/morph.js";

/** What the testing module uses of jsdom (loaded when the first test page is made, so the server never loads it). */
interface JsdomModule {
  JSDOM: new (html: string, options: { url: string; contentType?: string; virtualConsole?: unknown }) => { window: Window & typeof globalThis };
  VirtualConsole: new () => { on(event: string, listener: (...args: unknown[]) => void): unknown };
}

let jsdom: JsdomModule | null = null;

function loadJsdom(): JsdomModule {
  if (jsdom) return jsdom;
  try {
    jsdom = require("jsdom") as JsdomModule;
  } catch (error) {
    throw new Error(`express-liveview/testing needs the "jsdom" package: ${error instanceof Error ? error.message : String(error)}`);
  }
  return jsdom;
}

/** A page's window: parsed by jsdom (a real HTML parser), with no script run and nothing loaded. */
export function createWindow(html: string, url: string, onError: (message: string) => void): Window & typeof globalThis {
  const { JSDOM, VirtualConsole } = loadJsdom();
  const virtualConsole = new VirtualConsole();
  // jsdom reports what it does not do (navigation, layout) here: the page keeps them, not the test's console.
  virtualConsole.on("jsdomError", (error: unknown) => onError(error instanceof Error ? error.message : String(error)));
  return new JSDOM(html, { url, contentType: "text/html", virtualConsole }).window;
}

/** The browser globals idiomorph reads, handed in from the page's window. */
const IDIOMORPH_GLOBALS = ["window", "document", "Node", "Element", "Document", "DOMParser"] as const;

let idiomorphFactory: ((...globals: unknown[]) => IdiomorphApi) | null = null;

/**
 * idiomorph for one page, the morphing library the browser bundle uses. Its package exposes ES modules only,
 * which a CommonJS test runner (jest) cannot require, so its self-contained browser build is evaluated instead:
 * the same code, compiled once, with the page window's `document`, `Node`, `Element`... as its globals.
 */
export function idiomorphFor(win: Window & typeof globalThis): IdiomorphApi {
  if (!idiomorphFactory) {
    const source = readFileSync(require.resolve("idiomorph/dist/idiomorph.js"), "utf8");
    idiomorphFactory = new Function(...IDIOMORPH_GLOBALS, `${source}\nreturn Idiomorph;`) as (...globals: unknown[]) => IdiomorphApi;
  }
  return idiomorphFactory(...IDIOMORPH_GLOBALS.map((name) => (name === "window" ? win : win[name])));
}
