import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { isProduction } from "./logger.js";

type Template = Handlebars.TemplateDelegate;
interface CachedTemplate {
  template: Template;
  mtimeMs: number;
}

const EXTENSION = ".hbs";
/** Template names are few (they come from the app's code); past this many, the path cache starts over. */
const MAX_CACHED_NAMES = 1000;

/**
 * Handlebars templates of one views folder: each file is compiled once and cached; outside
 * production a changed file is compiled again. Partials come from `views/partials`.
 */
export class TemplateRenderer {
  readonly handlebars: typeof Handlebars = Handlebars.create();
  private readonly cache = new Map<string, CachedTemplate>();
  /** Name -> absolute path, so a render does not resolve and check the path again each time. */
  private readonly files = new Map<string, string>();
  private partialsStamp = "";

  constructor(readonly viewsDir: string) {
    this.handlebars.registerHelper("liveviewRoomUuid", () => randomBytes(16).toString("hex"));
  }

  /** Renders `views/NAME.hbs` (NAME may hold subfolders: `pages/home`). */
  render(name: string, context: unknown = {}): string {
    return this.renderFile(this.resolve(name), context);
  }

  /** Renders a template by its absolute path (used by the Express view engine). */
  renderFile(file: string, context: unknown = {}): string {
    const production = isProduction();
    this.loadPartials(production);
    return this.compiled(file, production)(context);
  }

  /** Absolute path of a template name; names cannot leave the views folder. */
  resolve(name: string): string {
    const known = this.files.get(name);
    if (known !== undefined) return known;
    const file = path.resolve(this.viewsDir, name.endsWith(EXTENSION) ? name : name + EXTENSION);
    const relative = path.relative(this.viewsDir, file);
    if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`Template outside the views folder: ${name}`);
    if (this.files.size >= MAX_CACHED_NAMES) this.files.clear();
    this.files.set(name, file);
    return file;
  }

  private compiled(file: string, production: boolean): Template {
    const cached = this.cache.get(file);
    if (cached && production) return cached.template;
    const mtimeMs = statSync(file).mtimeMs;
    if (cached && cached.mtimeMs === mtimeMs) return cached.template;
    const template = this.handlebars.compile(readFileSync(file, "utf8"));
    this.cache.set(file, { template, mtimeMs });
    return template;
  }

  /** Registers every `partials/**.hbs` by its path without the extension; again when one changed (not in production). */
  private loadPartials(production: boolean): void {
    if (this.partialsStamp && production) return;
    const dir = path.join(this.viewsDir, "partials");
    const files = existsSync(dir) ? listTemplates(dir) : [];
    const stamp = files.map((file) => `${file}:${statSync(file).mtimeMs}`).join("|") || "none";
    if (stamp === this.partialsStamp) return;
    for (const file of files) {
      const name = path.relative(dir, file).slice(0, -EXTENSION.length).split(path.sep).join("/");
      this.handlebars.registerPartial(name, readFileSync(file, "utf8"));
    }
    this.partialsStamp = stamp;
  }
}

function listTemplates(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listTemplates(full));
    else if (entry.name.endsWith(EXTENSION)) out.push(full);
  }
  return out.sort();
}

let renderer = new TemplateRenderer(path.resolve("views"));

/** Points `renderToString` at a views folder (createLiveView does this from its `views` option). */
export function configureViews(viewsDir: string): TemplateRenderer {
  const resolved = path.resolve(viewsDir);
  if (renderer.viewsDir !== resolved) renderer = new TemplateRenderer(resolved);
  return renderer;
}

export const getRenderer = (): TemplateRenderer => renderer;

/**
 * Renders the Handlebars template `views/NAME.hbs` with `context`. `{{x}}` escapes HTML, `{{{x}}}` does not.
 *
 * ```ts
 * send(consumer, { target: "#greeting", html: renderToString("greeting", { name: "Ada" }) });
 * ```
 */
export function renderToString(name: string, context: unknown = {}): string {
  return renderer.render(name, context);
}
