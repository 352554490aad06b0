import type { LiveViewCommandOp } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import { commandProblem, type CommandStep } from "./commands.js";

const isSpace = (char: string): boolean => /\s/.test(char);

/**
 * Reads a `data-liveview-optimistic` value: `op:value` commands separated by whitespace. A value that holds spaces
 * goes in single or double quotes (`set-text:'Saving now'`); `show` and `hide` take no value. An unknown op or a
 * missing value is a debug message and is skipped.
 *
 * ```ts
 * parseCommands("add-class:done toggle-attr:aria-pressed set-text:'Saved!'", log);
 * // [{ op: "add-class", value: "done" }, { op: "toggle-attr", value: "aria-pressed" }, { op: "set-text", value: "Saved!" }]
 * ```
 */
export function parseCommands(text: string, log: Logger): CommandStep[] {
  const steps: CommandStep[] = [];
  let i = 0;
  while (i < text.length) {
    if (isSpace(text[i])) {
      i++;
      continue;
    }
    const start = i;
    while (i < text.length && text[i] !== ":" && !isSpace(text[i])) i++;
    const op = text.slice(start, i);
    let value: string | undefined;
    if (text[i] === ":") {
      i++;
      const quote = text[i] === "'" || text[i] === '"' ? text[i] : null;
      if (quote) {
        const end = text.indexOf(quote, i + 1);
        value = text.slice(i + 1, end < 0 ? text.length : end);
        i = end < 0 ? text.length : end + 1;
      } else {
        const valueStart = i;
        while (i < text.length && !isSpace(text[i])) i++;
        value = text.slice(valueStart, i);
      }
    }
    const problem = commandProblem(op, value);
    if (problem) log.debug(`${problem} in "${text}"; skipping it`);
    else steps.push({ op: op as LiveViewCommandOp, value: value ?? "" });
  }
  return steps;
}
