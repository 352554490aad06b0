import vm from "node:vm";
import type { EjsModule, EjsOptions } from "./ejs_types.js";

const PARAMETERS = ["locals", "escapeFn", "include", "rethrow"];
const WRAPPER = "__liveview_ejs_source__";

/**
 * The template line of a JavaScript syntax error in an EJS template, or null when it compiles. EJS builds a
 * function with `new Function`, whose SyntaxError has no position; compiling the same generated source with
 * node:vm gives the generated line, and EJS's `__line = N` markers map it back to the template's.
 */
export function ejsSyntaxErrorLine(ejs: EjsModule, source: string, options: EjsOptions): { line: number; message: string } | null {
  const template = new ejs.Template(source, { ...options, compileDebug: true });
  template.generateSource();
  const body = template.source;
  try {
    vm.compileFunction(`with (locals || {}) {\n${body}\n}`, PARAMETERS, { filename: WRAPPER });
    return null;
  } catch (error) {
    // By name: node:vm's errors come from the main realm, which under a test runner's sandbox is another one.
    const { name, message, stack } = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown };
    if (name !== "SyntaxError") return null;
    const match = new RegExp(`${WRAPPER}:(\\d+)`).exec(String(stack ?? ""));
    const generatedLine = match ? Number(match[1]) - 1 : Number.POSITIVE_INFINITY;
    let line = 1;
    body.split("\n").forEach((text, index) => {
      const marker = /; __line = (\d+)/.exec(text);
      if (marker && index + 1 <= generatedLine) line = Number(marker[1]);
    });
    return { line, message: String(message) };
  }
}
