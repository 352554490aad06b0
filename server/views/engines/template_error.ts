/**
 * An error in a template file, whatever the engine: its message starts with `file:line`, as editors and
 * terminals link it, and the file and line are properties for code that wants them.
 */
export class TemplateError extends Error {
  override name = "TemplateError";

  constructor(
    /** What went wrong, without the place. */
    readonly detail: string,
    readonly file: string,
    readonly line: number | null,
    options?: { cause?: unknown },
  ) {
    super(`${line === null ? file : `${file}:${line}`}: ${detail}`, options);
  }
}

/** Line number (1-based) of character `index` in `source`. */
export function lineAt(source: string, index: number): number {
  let line = 1;
  for (let i = source.indexOf("\n"); i !== -1 && i < index; i = source.indexOf("\n", i + 1)) line++;
  return line;
}

/** How many lines `source` has (a last line without a newline counts). */
export function lastLine(source: string): number {
  return lineAt(source, source.endsWith("\n") ? source.length - 1 : source.length);
}
