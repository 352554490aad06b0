import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
// `import = require`: the published declarations then need no esModuleInterop in the app that reads them.
import Handlebars = require("handlebars");
import { isProduction } from "../logger.js";
import { cspNonceHelper } from "../security/csp.js";
import { installHandlebarsKit } from "./django/handlebars_kit.js";
import { EjsRenderer } from "./engines/ejs_renderer.js";
import { checkEngineName, type EngineName } from "./engines/engine_names.js";
import { NunjucksRenderer } from "./engines/nunjucks_renderer.js";
import { roomHelpers } from "./engines/room_helpers.js";
import { lastLine, TemplateError } from "./engines/template_error.js";
import { templatePath } from "./engines/template_path.js";
import type { RoomSigner, ViewRenderer } from "./engines/view_renderer.js";

type Template = Handlebars.TemplateDelegate;
/** Handlebars' compiled template: `_setup` prepares its helpers and partials, and runs again on every render. */
type SetUpTemplate = Template & { _setup?: (options: object) => void };
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];
/** The compiler stages `handlebars.compile` runs (lazily, behind a wrapper) on every Handlebars instance. */
interface CompilerStages {
  Compiler: new () => { compile(ast: unknown, options: object): unknown };
  JavaScriptCompiler: new () => {
    compile(environment: unknown, options: object, context: undefined, asObject: true): TemplateSpecification;
  };
}
interface CachedTemplate {
  template: Template;
  mtimeMs: number;
}

const EXTENSION = ".hbs";
/** Template names are few (they come from the app's code); past this many, the path cache starts over. */
const MAX_CACHED_NAMES = 1000;

/** The runtime options of every render: one object, so a template can tell our renders from anyone else's. */
const RENDER_OPTIONS: Handlebars.RuntimeOptions = {};
const REGISTRATIONS = [
  "registerHelper",
  "unregisterHelper",
  "registerPartial",
  "unregisterPartial",
  "registerDecorator",
  "unregisterDecorator",
] as const;

/**
 * Handlebars templates of one views folder (`engine: "hbs"`, the default): each file is compiled once and cached;
 * outside production a changed file is compiled again. Partials come from `views/partials`.
 * Production is decided when the renderer is made (NODE_ENV=production), as Express does.
 */
export class TemplateRenderer implements ViewRenderer {
  readonly engine = "hbs" as const;
  readonly extension = EXTENSION;
  readonly handlebars: typeof Handlebars = Handlebars.create();
  readonly production = isProduction();
  private readonly cache = new Map<string, CachedTemplate>();
  /** Name -> absolute path, so a render does not resolve and check the path again each time. */
  private readonly files = new Map<string, string>();
  private partialsStamp = "";
  /** Counts helper, partial and decorator registrations: a template set up at this count can skip its setup. */
  private registrations = 0;

  constructor(readonly viewsDir: string) {
    const handlebars = this.handlebars as unknown as Record<string, (...args: unknown[]) => unknown>;
    for (const name of REGISTRATIONS) {
      const register = handlebars[name].bind(this.handlebars);
      handlebars[name] = (...args: unknown[]) => {
        this.registrations++;
        return register(...args);
      };
    }
    this.useRoomSigner(null);
    this.handlebars.registerHelper("cspNonce", cspNonceHelper);
    installHandlebarsKit(this.handlebars);
  }

  /**
   * The room helpers: `{{liveviewRoomUuid}}` a fresh random room, `{{liveviewSignedRoom name}}` room `name`, each
   * signed by `sign` (createLiveView passes its `signRoom`; plain names without it).
   */
  useRoomSigner(sign: RoomSigner | null): void {
    const rooms = roomHelpers(sign);
    this.handlebars.registerHelper("liveviewRoomUuid", () => rooms.liveviewRoomUuid());
    this.handlebars.registerHelper("liveviewSignedRoom", (name: unknown) => rooms.liveviewSignedRoom(name));
  }

  /** Renders `views/NAME.hbs` (NAME may hold subfolders: `pages/home`). */
  render(name: string, context: unknown = {}): string {
    return this.renderFile(this.resolve(name), context);
  }

  /** Renders a template by its absolute path (used by the Express view engine). */
  renderFile(file: string, context: unknown = {}): string {
    this.loadPartials(this.production);
    return this.compiled(file, this.production)(context, RENDER_OPTIONS);
  }

  /** Absolute path of a template name; names cannot leave the views folder. */
  resolve(name: string): string {
    const known = this.files.get(name);
    if (known !== undefined) return known;
    const file = templatePath(this.viewsDir, name, EXTENSION);
    if (this.files.size >= MAX_CACHED_NAMES) this.files.clear();
    this.files.set(name, file);
    return file;
  }

  private compiled(file: string, production: boolean): Template {
    const cached = this.cache.get(file);
    if (cached && production) return cached.template;
    const mtimeMs = statSync(file).mtimeMs;
    if (cached && cached.mtimeMs === mtimeMs) return cached.template;
    const template = this.compileFile(file);
    this.reuseSetup(template);
    this.cache.set(file, { template, mtimeMs });
    return template;
  }

  /** Compiles a template file; a syntax error names the file and its line. */
  private compileFile(file: string): SetUpTemplate {
    const source = readFileSync(file, "utf8");
    try {
      return this.compileSource(source);
    } catch (error) {
      throw handlebarsSyntaxError(error, file, source);
    }
  }

  /**
   * What `handlebars.compile` does, run at once: `compile` returns a wrapper that compiles on first use and hides
   * the template it made, and only that template's own setup can be reused.
   */
  private compileSource(source: string): SetUpTemplate {
    const stages = this.handlebars as typeof Handlebars & Partial<CompilerStages>;
    if (!stages.Compiler || !stages.JavaScriptCompiler) return this.handlebars.compile(source);
    const options = { data: true };
    // `parse` reads only the options it knows; the compilers read `data` (what `compile` sets by default).
    const environment = new stages.Compiler().compile(stages.parse(source, options as Handlebars.ParseOptions), options);
    return stages.template(new stages.JavaScriptCompiler().compile(environment, options, undefined, true));
  }

  /**
   * Handlebars sets a template up again on every render: it wraps each helper in a new closure and rebuilds
   * its prototype-access lists, which costs more than rendering a small template. The result only changes
   * when a helper, partial or decorator is registered, or when a caller passes runtime options of its own,
   * so our renders reuse the last setup until then.
   */
  private reuseSetup(template: SetUpTemplate): void {
    const setup = template._setup;
    if (typeof setup !== "function") return;
    let setUpAt = -1;
    template._setup = (options: object) => {
      if (options === RENDER_OPTIONS && setUpAt === this.registrations) return;
      setup.call(template, options);
      setUpAt = options === RENDER_OPTIONS ? this.registrations : -1;
    };
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
      const source = readFileSync(file, "utf8");
      const problem = syntaxProblem(this.handlebars, source, file);
      // A broken partial fails only the templates that use it, with its own file and line.
      this.handlebars.registerPartial(name, problem ? brokenPartial(problem) : source);
    }
    this.partialsStamp = stamp;
  }
}

/** A Handlebars parse error ("Parse error on line 3: ...") as a TemplateError naming the file and that line. */
function handlebarsSyntaxError(error: unknown, file: string, source: string): Error {
  if (!(error instanceof Error)) return new TemplateError(String(error), file, null);
  const line = (error as { lineNumber?: number }).lineNumber ?? Number(/on line (\d+)/.exec(error.message)?.[1] ?? Number.NaN);
  // At the end of the file Handlebars counts the empty line after the last newline.
  const shown = Number.isFinite(line) ? Math.min(line, lastLine(source)) : null;
  return new TemplateError(`Handlebars syntax error: ${error.message}`, file, shown, { cause: error });
}

function syntaxProblem(handlebars: typeof Handlebars, source: string, file: string): Error | null {
  try {
    handlebars.parse(source);
    return null;
  } catch (error) {
    return handlebarsSyntaxError(error, file, source);
  }
}

function brokenPartial(problem: Error): Handlebars.TemplateDelegate {
  return () => {
    throw problem;
  };
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

let renderer: ViewRenderer = new TemplateRenderer(path.resolve("views"));

/**
 * Points `renderToString` (and `res.render`) at a views folder and view engine, and returns that folder's
 * renderer; createLiveView does this from its `views` and `engine` options. The same folder and engine again
 * return the same renderer, so helpers and filters registered on it stay:
 *
 * ```ts
 * configureViews("views").handlebars.registerHelper("upper", (s: unknown) => String(s).toUpperCase());
 * configureViews("views", "njk").env.addFilter("upper", (s: unknown) => String(s).toUpperCase());
 * ```
 *
 * Nunjucks ("njk") and EJS ("ejs") are loaded here, when first chosen.
 */
export function configureViews(viewsDir: string, engine?: "hbs"): TemplateRenderer;
export function configureViews(viewsDir: string, engine: "njk"): NunjucksRenderer;
export function configureViews(viewsDir: string, engine: "ejs"): EjsRenderer;
export function configureViews(viewsDir: string, engine?: EngineName): ViewRenderer;
export function configureViews(viewsDir: string, engine?: EngineName): ViewRenderer {
  const name = checkEngineName(engine);
  const resolved = path.resolve(viewsDir);
  if (renderer.viewsDir !== resolved || renderer.engine !== name) renderer = createRenderer(name, resolved);
  return renderer;
}

function createRenderer(engine: EngineName, viewsDir: string): ViewRenderer {
  switch (engine) {
    case "njk":
      return new NunjucksRenderer(viewsDir);
    case "ejs":
      return new EjsRenderer(viewsDir);
    default:
      return new TemplateRenderer(viewsDir);
  }
}

export const getRenderer = (): ViewRenderer => renderer;

/**
 * Renders the template `views/NAME.<ext>` with `context`, in the engine createLiveView chose (Handlebars
 * `views/NAME.hbs` by default). `{{x}}` escapes HTML, `{{{x}}}` does not.
 *
 * ```ts
 * send(consumer, { target: "#greeting", html: renderToString("greeting", { name: "Ada" }) });
 * ```
 */
export function renderToString(name: string, context: unknown = {}): string {
  return renderer.render(name, context);
}
