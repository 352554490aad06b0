import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { TemplateError, lastLine } from "./template_error.js";
import type { NunjucksEnvironment, NunjucksModule } from "./nunjucks_types.js";

interface Source {
  src: string;
  path: string;
  noCache: boolean;
}

/**
 * Reads templates of the views folder for one Nunjucks environment, and checks each before Nunjucks compiles
 * it: a syntax error or a filter nobody registered is a TemplateError naming the file and line (Nunjucks itself
 * reports neither line). Nunjucks caches the compiled template in `cache`; outside production `sweep()` drops
 * the ones whose file changed since, so the next render compiles them again.
 */
export class ViewsLoader {
  /** Nunjucks sets and reads this: resolved template name -> compiled template. */
  cache: Record<string, unknown> = {};
  private readonly stamps = new Map<string, { file: string; mtimeMs: number }>();
  private env: NunjucksEnvironment | null = null;

  constructor(
    private readonly nunjucks: NunjucksModule,
    readonly viewsDir: string,
  ) {}

  attach(env: NunjucksEnvironment): void {
    this.env = env;
  }

  getSource(name: string): Source | null {
    const file = this.fileOf(name);
    let src: string;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(file).mtimeMs;
      src = readFileSync(file, "utf8");
    } catch {
      return null; // Nunjucks then says "template not found: NAME"
    }
    this.check(src, file);
    this.stamps.set(name, { file, mtimeMs });
    return { src, path: file, noCache: false };
  }

  /** Relative names (`./x.njk`, `../x.njk`) are resolved from the including template, as Nunjucks' own loader does. */
  isRelative(name: string): boolean {
    return name.startsWith("./") || name.startsWith("../");
  }

  resolve(from: string, to: string): string {
    return path.resolve(path.dirname(from), to);
  }

  /** Forgets the compiled templates whose file changed or went away. */
  sweep(): void {
    for (const [name, { file, mtimeMs }] of this.stamps) {
      let now: number | null;
      try {
        now = statSync(file).mtimeMs;
      } catch {
        now = null;
      }
      if (now !== mtimeMs) {
        delete this.cache[name];
        this.stamps.delete(name);
      }
    }
  }

  private fileOf(name: string): string {
    const file = path.resolve(this.viewsDir, name);
    const relative = path.relative(this.viewsDir, file);
    if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`Template outside the views folder: ${name}`);
    return file;
  }

  /** Parses the template as Nunjucks will, and looks up every filter it uses. */
  private check(src: string, file: string): void {
    const env = this.env;
    if (!env) return;
    let ast;
    try {
      ast = this.nunjucks.parser.parse(src, env.extensionsList, env.opts);
    } catch (error) {
      const { lineno } = error as { lineno?: number };
      const message = (error as Error).message.replace(/^\([^)]*\)(?: \[Line \d+(?:, Column \d+)?\])?\n\s*/, "");
      throw new TemplateError(`Nunjucks syntax error: ${message}`, file, lineno ?? lastLine(src), { cause: error });
    }
    for (const type of [this.nunjucks.nodes.Filter, this.nunjucks.nodes.FilterAsync]) {
      for (const node of ast.findAll(type)) {
        const name = (node as unknown as { name: { value: string } }).name.value;
        if (!(name in env.filters)) {
          throw new TemplateError(
            `unknown filter "${name}": it is neither a Nunjucks filter nor one of the Django kit's (add it with configureViews(folder, "njk").env.addFilter("${name}", fn))`,
            file,
            node.lineno + 1,
          );
        }
      }
    }
  }
}
