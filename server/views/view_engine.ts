import { existsSync } from "node:fs";
import type { ExpressAppLike } from "../types.js";
import type { ViewRenderer } from "./engines/view_renderer.js";

type RenderOptions = Record<string, unknown> & { layout?: string | false };
type Callback = (error: Error | null, html?: string) => void;

const DEFAULT_LAYOUT = "layouts/main";

/**
 * Makes `res.render("pages/home", context)` use the same templates, in the same engine, as `renderToString`.
 * A page is wrapped in `views/layouts/main.<ext>` (its `body`: `{{{body}}}`, `{{ body | safe }}`, `<%- body %>`)
 * when that file exists; `layout: "layouts/other"` picks another, `layout: false` none.
 */
export function mountViewEngine(app: ExpressAppLike, renderer: ViewRenderer): void {
  const ext = renderer.extension.slice(1);
  app.engine(ext, (file: string, options: object, callback: Callback) => {
    try {
      const context = options as RenderOptions;
      const body = renderer.renderFile(file, context);
      const layoutName = context.layout === undefined ? DEFAULT_LAYOUT : context.layout;
      if (layoutName === false) return callback(null, body);
      const layoutFile = renderer.resolve(layoutName);
      if (!existsSync(layoutFile)) {
        if (context.layout === undefined) return callback(null, body);
        throw new Error(`Layout not found: ${layoutName}`);
      }
      callback(null, renderer.renderFile(layoutFile, { ...context, body }));
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)));
    }
  });
  app.set("views", renderer.viewsDir);
  app.set("view engine", ext);
}
