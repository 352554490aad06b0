/** The parts of EJS (3.1.10 to 7) express-liveview uses, typed here so the package's types need no @types/ejs. */
export interface EjsOptions {
  filename?: string;
  cache?: boolean;
  compileDebug?: boolean;
  views?: string[];
  includer?: (originalPath: string, parsedPath: string | undefined) => { filename?: string; template?: string } | undefined;
}

export type EjsTemplateFunction = (data: object) => string;

export interface EjsModule {
  compile(source: string, options: EjsOptions): EjsTemplateFunction;
  /** EJS's own cache of compiled includes, by absolute file name (used with `cache: true`). */
  cache: { get(key: string): unknown; remove(key: string): void };
  Template: new (source: string, options: EjsOptions) => { source: string; generateSource(): void };
}
