import { VALUELESS_OPS, isCommandOp, type LiveViewCommand, type LiveViewCommandOp } from "../../protocol/index.js";
import type { Logger } from "../debug.js";

/** Puts back what a command changed. */
export type Undo = () => void;

/** A command without its target: what `data-liveview-optimistic` holds. */
export interface CommandStep {
  op: LiveViewCommandOp;
  value: string;
}

const classNames = (value: string): string[] => value.split(/\s+/).filter(Boolean);

/** An attribute name the DOM accepts; event-handler attributes (`on*`) are refused, so no command carries script. */
const ATTRIBUTE_NAME = /^[^\s"'>/=\u0000-\u001f]+$/;
const attributeName = (value: string): string => {
  const eq = value.indexOf("=");
  return eq < 0 ? value : value.slice(0, eq);
};

/** Restores the attribute exactly: absent, or present with the value it had. */
function keepAttribute(el: Element, name: string): Undo {
  const before = el.getAttribute(name);
  return () => (before === null ? el.removeAttribute(name) : el.setAttribute(name, before));
}

const classSet = (value: string | null): string => [...new Set(classNames(value ?? ""))].sort().join(" ");

/**
 * Undo puts each named class back as it was, present or absent; when no other class changed meanwhile, the `class`
 * attribute gets back its very text (order, or absence) too.
 */
function changeClasses(el: Element, value: string, change: (list: DOMTokenList, name: string) => void): Undo {
  const names = classNames(value);
  const had = names.map((name) => el.classList.contains(name));
  const restoreText = keepAttribute(el, "class");
  const before = classSet(el.getAttribute("class"));
  names.forEach((name) => change(el.classList, name));
  return () => {
    names.forEach((name, i) => el.classList.toggle(name, had[i]));
    if (classSet(el.getAttribute("class")) === before) restoreText();
  };
}

/**
 * `name=value` toggles between absent and that value; an `aria-*` name flips between "true" and "false" (absent
 * counts as "false"); any other name toggles presence, as for `disabled` or `open`.
 */
function toggleAttribute(el: Element, value: string): Undo {
  const name = attributeName(value);
  const undo = keepAttribute(el, name);
  if (name !== value) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
    else el.setAttribute(name, value.slice(name.length + 1));
  } else if (name.startsWith("aria-")) el.setAttribute(name, el.getAttribute(name) === "true" ? "false" : "true");
  else el.toggleAttribute(name);
  return undo;
}

function setHidden(el: Element, hidden: boolean): Undo {
  const undo = keepAttribute(el, "hidden");
  if (!hidden) el.removeAttribute("hidden");
  else if (!el.hasAttribute("hidden")) el.setAttribute("hidden", "");
  return undo;
}

/** Each command applied to one element; each returns how to put the element back exactly as it was. */
const OPS: Record<LiveViewCommandOp, (el: Element, value: string) => Undo> = {
  "add-class": (el, value) => changeClasses(el, value, (list, name) => list.add(name)),
  "remove-class": (el, value) => changeClasses(el, value, (list, name) => list.remove(name)),
  "toggle-class": (el, value) => changeClasses(el, value, (list, name) => list.toggle(name)),
  show: (el) => setHidden(el, false),
  hide: (el) => setHidden(el, true),
  "toggle-attr": toggleAttribute,
  "set-text": (el, value) => {
    // The very nodes go back on revert, so whatever they held (markup, listeners, state) comes back too.
    const kept = Array.from(el.childNodes);
    el.textContent = value;
    return () => el.replaceChildren(...kept);
  },
};

/** What is wrong with a command's op and value, or null when it can be applied. */
export function commandProblem(op: unknown, value: unknown): string | null {
  if (!isCommandOp(op)) return `unknown command "${String(op)}"`;
  if (VALUELESS_OPS.includes(op)) return null;
  if (typeof value !== "string") return `command "${op}" needs a value`;
  if (op === "set-text") return null;
  if (op !== "toggle-attr") return classNames(value).length > 0 ? null : `command "${op}" needs a class name`;
  const name = attributeName(value);
  if (!ATTRIBUTE_NAME.test(name)) return `command "toggle-attr" needs an attribute name, not "${value}"`;
  return /^on/i.test(name) ? `command "toggle-attr" refuses the event-handler attribute "${name}"` : null;
}

/** Every element matching a CSS selector; an invalid selector is a debug message and matches nothing. */
export function findTargets(selector: string, doc: Document, log: Logger): Element[] {
  try {
    const found = Array.from(doc.querySelectorAll(selector));
    if (found.length === 0) log.debug(`command target "${selector}" matches nothing`);
    return found;
  } catch (error) {
    log.debug(`invalid command target "${selector}"; skipping it`, error);
    return [];
  }
}

/**
 * Applies checked commands to each element, in order, and returns one undo that puts everything back, last change
 * first. A command the DOM refuses is a debug message; the others still apply.
 *
 * ```ts
 * const undo = runCommands([{ op: "add-class", value: "done" }, { op: "hide", value: "" }], [button], log);
 * undo(); // the classes and `hidden` are as they were
 * ```
 */
export function runCommands(steps: readonly CommandStep[], elements: readonly Element[], log: Logger): Undo {
  const undos: Undo[] = [];
  for (const { op, value } of steps) {
    for (const el of elements) {
      try {
        undos.push(OPS[op](el, value));
      } catch (error) {
        log.debug(`command "${op}" failed`, el, error);
      }
    }
  }
  return () => {
    for (let i = undos.length - 1; i >= 0; i--) {
      try {
        undos[i]();
      } catch (error) {
        log.debug("reverting a command failed", error);
      }
    }
  };
}

/**
 * Applies an update's `commands`: each one to every element its `target` selector matches. Anything malformed (not
 * a list, an unknown op, a missing value, a bad or missing target) is a debug message and is skipped; nothing throws.
 */
export function applyCommands(commands: unknown, doc: Document, log: Logger): void {
  if (!Array.isArray(commands)) return log.debug("update.commands must be a list of commands", commands);
  for (const raw of commands as unknown[]) {
    const command = (typeof raw === "object" && raw !== null ? raw : {}) as Partial<Record<keyof LiveViewCommand, unknown>>;
    const problem = commandProblem(command.op, command.value);
    if (problem) {
      log.debug(`${problem}; skipping it`, raw);
      continue;
    }
    if (typeof command.target !== "string" || command.target.trim() === "") {
      log.debug("a command needs a target selector; skipping it", raw);
      continue;
    }
    const step = { op: command.op as LiveViewCommandOp, value: typeof command.value === "string" ? command.value : "" };
    runCommands([step], findTargets(command.target, doc, log), log);
  }
}
