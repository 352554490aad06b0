import type Handlebars from "handlebars";
import { DJANGO_FILTERS } from "./filters.js";
import type { HtmlText } from "./html_text.js";

type HelperOptions = Handlebars.HelperOptions & { name?: string };

/**
 * Registers the kit's filters as Handlebars helpers: `{{default x "-"}}`, `{{date d "Y-m-d"}}`,
 * `{{pluralize n "y,ies"}}`. A helper used without arguments (`{{date}}`, `{{#date}}…{{/date}}`) renders the
 * context's own value, as before the helper existed, so templates with fields of those names keep working.
 */
export function installHandlebarsKit(handlebars: typeof Handlebars): void {
  const html: HtmlText = {
    autoescape: true,
    isSafe: (value) => value instanceof handlebars.SafeString,
    markSafe: (text) => new handlebars.SafeString(text),
    escape: (text) => handlebars.Utils.escapeExpression(text),
  };
  for (const [name, filter] of Object.entries(DJANGO_FILTERS)) {
    handlebars.registerHelper(name, function (this: unknown, ...args: unknown[]) {
      const options = args.pop() as HelperOptions;
      if (args.length === 0) return contextValue(handlebars, this, name, options);
      return filter(html, ...(args as [unknown, ...unknown[]]));
    });
  }
}

/** What Handlebars renders for `{{name}}` or `{{#name}}` when no helper has that name. */
function contextValue(handlebars: typeof Handlebars, context: unknown, name: string, options: HelperOptions): unknown {
  const own = context !== null && typeof context === "object" && Object.prototype.hasOwnProperty.call(context, name);
  let value = own ? (context as Record<string, unknown>)[name] : undefined;
  if (typeof value === "function") value = (value as (this: unknown, options: HelperOptions) => unknown).call(context, options);
  if (typeof options.fn !== "function") return value;
  const blockHelperMissing = handlebars.helpers.blockHelperMissing as (this: unknown, ...args: unknown[]) => unknown;
  return blockHelperMissing.call(context, value, options);
}
