import { execFile } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";

/** How long `node --check` may take to find where an ES module's syntax error is. */
const CHECK_TIMEOUT_MS = 10_000;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** What an error says of itself, safely: its message, or its string form. */
function textOf(error: unknown, key: "message" | "stack"): string {
  try {
    const value = (error as Record<string, unknown> | null)?.[key];
    return typeof value === "string" ? value : key === "message" ? String(error) : "";
  } catch {
    return "";
  }
}

/**
 * The line of `file` an error points at: the first `file:LINE` (path or file URL, with any query string) in its
 * stack or message. CommonJS syntax errors start their stack with it, esbuild's (tsx) put it in the message, and an
 * error thrown at import names it in a stack frame.
 */
export function lineIn(error: unknown, file: string): number | null {
  const text = `${textOf(error, "stack")}\n${textOf(error, "message")}`;
  const names = `${escapeRegExp(pathToFileURL(file).href)}|${escapeRegExp(file)}`;
  const place = new RegExp(`(?:${names})(?:\\?[^:\\s)]*)?:(\\d+)`);
  const match = place.exec(text);
  return match ? Number(match[1]) : null;
}

/**
 * Node does not say where an ES module's syntax error is (the location only reaches an uncaught error's printout),
 * so it is asked: `node --check` prints `FILE:LINE` first. Only for plain JavaScript files, only after a failure.
 */
function checkSyntax(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--check", file], { timeout: CHECK_TIMEOUT_MS }, (_error, _stdout, stderr) => {
      const match = new RegExp(`^(?:${escapeRegExp(file)}|${escapeRegExp(pathToFileURL(file).href)}):(\\d+)`, "m").exec(
        String(stderr),
      );
      resolve(match ? Number(match[1]) : null);
    });
  });
}

/** The first line of what went wrong; of esbuild's "Transform failed... FILE:L:C: ERROR: text", the text. */
function summaryOf(error: unknown): string {
  const message = textOf(error, "message");
  const esbuild = /ERROR: (.+)/.exec(message);
  if (esbuild) return esbuild[1];
  return message.split("\n").find((line) => line.trim().length > 0) ?? "unknown error";
}

/** A syntax error (Node's, or esbuild's under tsx): its file and line say it all, a stack would only add noise. */
export const isSyntaxError = (error: unknown): boolean =>
  ["SyntaxError", "TransformError"].includes(String((error as { name?: unknown } | null)?.name));

/** A path for log lines: relative to the working directory when inside it, as the folder option was given. */
export const displayPath = (file: string): string => {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
};

/**
 * `handlers/todos.ts:12: Unexpected ";"`: where a handler file failed to load, and why, for the log.
 *
 * ```ts
 * logger.error(`[liveview] could not load handlers from ${await describeLoadError(error, file)}`);
 * ```
 */
export async function describeLoadError(error: unknown, file: string): Promise<string> {
  let line = lineIn(error, file);
  if (line === null && isSyntaxError(error) && /\.[cm]?js$/.test(file)) line = await checkSyntax(file);
  return `${displayPath(file)}${line === null ? "" : `:${line}`}: ${summaryOf(error)}`;
}
