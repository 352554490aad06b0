import type { NunjucksEnvironment, NunjucksModule } from "../engines/nunjucks_types.js";
import { DJANGO_FILTERS } from "./filters.js";
import type { HtmlText } from "./html_text.js";
import { djangoTags } from "./nunjucks_tags.js";

/** Nunjucks' HTML helpers for the kit's filters: its SafeString and its escaping. */
function nunjucksHtml(nunjucks: NunjucksModule, env: NunjucksEnvironment): HtmlText {
  const { SafeString } = nunjucks.runtime;
  return {
    get autoescape() {
      return env.opts.autoescape;
    },
    isSafe: (value) => value instanceof SafeString,
    markSafe: (html) => new SafeString(html),
    escape: (text) => nunjucks.lib.escape(text),
  };
}

/**
 * Adds the Django kit to a Nunjucks environment: every filter of DJANGO_FILTERS under its Django name (replacing
 * Nunjucks' own `default`) and Django's tags.
 */
export function installNunjucksKit(nunjucks: NunjucksModule, env: NunjucksEnvironment, roomUuid: () => string): void {
  const html = nunjucksHtml(nunjucks, env);
  for (const [name, filter] of Object.entries(DJANGO_FILTERS)) {
    env.addFilter(name, ((value: unknown, ...args: unknown[]) => filter(html, value, ...args)) as (...args: never[]) => unknown);
  }
  for (const [name, extension] of Object.entries(djangoTags(roomUuid))) env.addExtension(name, extension);
}
