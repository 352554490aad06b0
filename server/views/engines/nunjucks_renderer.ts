import path from "node:path";
import { isProduction } from "../../logger.js";
import { installNunjucksKit } from "../django/nunjucks_kit.js";
import { TAG_LINE } from "../django/nunjucks_tags.js";
import { loadEnginePackage } from "./optional_package.js";
import { nonceOf, roomHelpers, type RoomHelpers } from "./room_helpers.js";
import { TemplateError } from "./template_error.js";
import { templatePath } from "./template_path.js";
import { ViewsLoader } from "./nunjucks_loader.js";
import type { NunjucksEnvironment, NunjucksModule } from "./nunjucks_types.js";
import type { RoomSigner, ViewRenderer } from "./view_renderer.js";

const EXTENSION = ".njk";

/**
 * Nunjucks templates of one views folder (`engine: "njk"`), with autoescape on and the Django kit's filters and
 * tags. Nunjucks compiles each template once and caches it; outside production a changed file (a page, a
 * template it extends or includes) is compiled again on its next render.
 */
export class NunjucksRenderer implements ViewRenderer {
  readonly engine = "njk" as const;
  readonly extension = EXTENSION;
  readonly production = isProduction();
  /** The Nunjucks Environment both renderToString and res.render use: add your own filters, globals and tags. */
  readonly env: NunjucksEnvironment;
  private readonly loader: ViewsLoader;
  private helpers: RoomHelpers = roomHelpers(null);

  constructor(readonly viewsDir: string) {
    const nunjucks = loadEnginePackage<NunjucksModule>("njk");
    this.loader = new ViewsLoader(nunjucks, viewsDir);
    // dev: keep Nunjucks' own error objects (their line and cause) for toTemplateError; it changes nothing else.
    this.env = new nunjucks.Environment(this.loader, { autoescape: true, dev: true });
    this.loader.attach(this.env);
    this.env.addGlobal("liveviewRoomUuid", () => this.helpers.liveviewRoomUuid());
    this.env.addGlobal("liveviewSignedRoom", (name: unknown) => this.helpers.liveviewSignedRoom(name));
    this.env.addGlobal("cspNonce", () => "");
    installNunjucksKit(nunjucks, this.env, () => this.helpers.liveviewRoomUuid());
  }

  useRoomSigner(sign: RoomSigner | null): void {
    this.helpers = roomHelpers(sign);
  }

  render(name: string, context: unknown = {}): string {
    return this.renderFile(this.resolve(name), context);
  }

  renderFile(file: string, context: unknown = {}): string {
    if (!this.production) this.loader.sweep();
    const name = path.relative(this.viewsDir, file).split(path.sep).join("/");
    try {
      return this.env.getTemplate(name).render(withNonce(context));
    } catch (error) {
      throw toTemplateError(error, file);
    }
  }

  resolve(name: string): string {
    return templatePath(this.viewsDir, name, EXTENSION);
  }
}

/**
 * The render's context with `cspNonce()` returning this response's nonce: Express puts `res.locals.cspNonce`
 * (a string) in the context, where it would hide the global function of that name.
 */
function withNonce(context: unknown): object {
  const record = (context ?? {}) as Record<string, unknown>;
  if (!("cspNonce" in record) && !("_locals" in record)) return record;
  const nonce = nonceOf(record);
  return { ...record, cspNonce: () => nonce };
}

/** The templates Nunjucks names in front of an error message, outermost first, each with its line if it knows it. */
const LOCATION = /(?:^|\n *)(?:Template render error: )?\(([^\n]*?)\)(?: \[Line (\d+)(?:, Column \d+)?\])?(?=\n)/g;

/**
 * A Nunjucks error as a TemplateError naming the template and line where it happened (an included or extended
 * template's own). Nunjucks counts the lines of render-time errors from 0, and of parse errors from 1.
 */
function toTemplateError(error: unknown, file: string): Error {
  if (error instanceof TemplateError) return error;
  if (!(error instanceof Error)) return new TemplateError(String(error), file, null);
  let inner: Error = error;
  for (let cause = inner.cause; cause instanceof Error; cause = cause.cause) {
    inner = cause;
    if (inner instanceof TemplateError) return inner;
  }
  const places = [...error.message.matchAll(LOCATION)];
  const found = places.filter((match) => match[2] !== undefined).pop() ?? places.pop();
  const where = found?.[1] || file;
  const tagLine = (inner as { [TAG_LINE]?: number })[TAG_LINE];
  const renderTime = inner !== error;
  const line = tagLine ?? (found?.[2] !== undefined ? Number(found[2]) + (renderTime ? 1 : 0) : null);
  const message = renderTime ? inner.message : error.message.replace(/^(?:\([^)]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n\s*(?:Template render error: )?)+/, "");
  return new TemplateError(message, where, line, { cause: error });
}
