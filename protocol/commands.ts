/**
 * The commands an element's `data-liveview-optimistic` attribute or an update's `commands` key can ask of the
 * page: small DOM changes that need neither HTML nor script, so they work under a strict Content-Security-Policy.
 */
export const COMMAND_OPS = ["add-class", "remove-class", "toggle-class", "show", "hide", "toggle-attr", "set-text"] as const;

export type LiveViewCommandOp = (typeof COMMAND_OPS)[number];

/** The commands that need no value (`show`, `hide`: the `hidden` attribute). */
export const VALUELESS_OPS: readonly LiveViewCommandOp[] = ["show", "hide"];

/**
 * One command of an update's `commands`: `op` applied to every element matching the CSS selector `target`.
 * `value` is the class name(s) for the class commands, the attribute name (`name` or `name=value`) for
 * `toggle-attr`, the text for `set-text`; `show` and `hide` take none.
 *
 * ```ts
 * send(consumer, { commands: [{ op: "add-class", target: "#save", value: "done" }, { op: "hide", target: ".spinner" }] });
 * ```
 */
export interface LiveViewCommand {
  op: LiveViewCommandOp;
  target: string;
  value?: string;
}

export const isCommandOp = (op: unknown): op is LiveViewCommandOp =>
  typeof op === "string" && (COMMAND_OPS as readonly string[]).includes(op);
