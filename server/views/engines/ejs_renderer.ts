import { existsSync, readFileSync, statSync } from "node:fs";
import { isProduction } from "../../logger.js";
import type { EjsModule, EjsOptions, EjsTemplateFunction } from "./ejs_types.js";
import { ejsSyntaxErrorLine } from "./ejs_syntax_line.js";
import { loadEnginePackage } from "./optional_package.js";
import { nonceOf, roomHelpers, type RoomHelpers } from "./room_helpers.js";
import { TemplateError } from "./template_error.js";
import { templatePath } from "./template_path.js";
import type { RoomSigner, ViewRenderer } from "./view_renderer.js";

const EXTENSION = ".ejs";

interface Compiled {
  template: EjsTemplateFunction;
  mtimeMs: number;
}

/**
 * EJS templates of one views folder (`engine: "ejs"`). Each page is compiled once and cached; its includes
 * (`<%- include("partials/row", { row }) %>`) are compiled once into EJS's own cache. Outside production a
 * changed page or include is compiled again on its next render. The room helpers are functions among the
 * locals: `<%= liveviewRoomUuid() %>`, `<%= liveviewSignedRoom("lobby") %>`, `<%= cspNonce() %>`.
 */
export class EjsRenderer implements ViewRenderer {
  readonly engine = "ejs" as const;
  readonly extension = EXTENSION;
  readonly production = isProduction();
  /** Functions every template sees among its locals (the context's own values win): add yours here. */
  readonly helpers: Record<string, unknown> = {};
  private readonly ejs: EjsModule;
  private readonly compiled = new Map<string, Compiled>();
  /** Include file -> modification time when EJS cached it. */
  private readonly includeStamps = new Map<string, number>();
  private readonly options: EjsOptions;

  constructor(readonly viewsDir: string) {
    this.ejs = loadEnginePackage<EjsModule>("ejs");
    this.options = { cache: true, compileDebug: true, views: [viewsDir], includer: (original, parsed) => this.include(original, parsed) };
    this.useRoomSigner(null);
  }

  useRoomSigner(sign: RoomSigner | null): void {
    const rooms: RoomHelpers = roomHelpers(sign);
    this.helpers.liveviewRoomUuid = rooms.liveviewRoomUuid;
    this.helpers.liveviewSignedRoom = rooms.liveviewSignedRoom;
  }

  render(name: string, context: unknown = {}): string {
    return this.renderFile(this.resolve(name), context);
  }

  renderFile(file: string, context: unknown = {}): string {
    const template = this.template(file);
    const record = (context ?? {}) as Record<string, unknown>;
    const nonce = nonceOf(record);
    try {
      return template({ ...this.helpers, ...record, cspNonce: () => nonce });
    } catch (error) {
      throw toTemplateError(error, file);
    }
  }

  resolve(name: string): string {
    return templatePath(this.viewsDir, name, EXTENSION);
  }

  private template(file: string): EjsTemplateFunction {
    const cached = this.compiled.get(file);
    if (cached && this.production) return cached.template;
    const mtimeMs = statSync(file).mtimeMs;
    if (cached && cached.mtimeMs === mtimeMs) return cached.template;
    const template = this.compile(readFileSync(file, "utf8"), file);
    this.compiled.set(file, { template, mtimeMs });
    return template;
  }

  private compile(source: string, file: string): EjsTemplateFunction {
    const options = { ...this.options, filename: file };
    const problem = ejsSyntaxErrorLine(this.ejs, source, options);
    if (problem) throw new TemplateError(`EJS syntax error: ${problem.message}`, file, problem.line);
    try {
      return this.ejs.compile(source, options);
    } catch (error) {
      throw new TemplateError(`EJS error: ${(error as Error).message}`, file, null, { cause: error });
    }
  }

  /**
   * Called by EJS for every include, before it looks in its cache: forgets an include whose file changed (not in
   * production), and checks the syntax of one about to be compiled, so its error names its own line.
   */
  private include(original: string, parsed: string | undefined): undefined {
    if (!parsed || !existsSync(parsed)) throw new Error(`Could not find the include file "${original}"`);
    const known = this.includeStamps.get(parsed);
    if (known !== undefined && this.production && this.ejs.cache.get(parsed)) return undefined;
    const mtimeMs = statSync(parsed).mtimeMs;
    if (known === mtimeMs && this.ejs.cache.get(parsed)) return undefined;
    this.ejs.cache.remove(parsed);
    const problem = ejsSyntaxErrorLine(this.ejs, readFileSync(parsed, "utf8"), { ...this.options, filename: parsed });
    if (problem) throw new TemplateError(`EJS syntax error: ${problem.message}`, parsed, problem.line);
    this.includeStamps.set(parsed, mtimeMs);
    return undefined;
  }
}

/** `file:line` blocks EJS puts in front of a render error, outermost first: the last is where it happened. */
const LOCATION = /^(.+):(\d+)\n(?:(?: >> | {4})\s*\d+\| .*\n?)*\n/gm;

function toTemplateError(error: unknown, file: string): Error {
  if (error instanceof TemplateError) return new TemplateError(error.detail, error.file, error.line, { cause: error });
  if (!(error instanceof Error)) return new TemplateError(String(error), file, null);
  const blocks = [...error.message.matchAll(LOCATION)];
  const last = blocks.pop();
  if (!last) return new TemplateError(error.message, file, null, { cause: error });
  const detail = error.message.slice((last.index ?? 0) + last[0].length);
  return new TemplateError(detail, last[1], Number(last[2]), { cause: error });
}
