import { ATTRIBUTES } from "../../protocol/index.js";
import type { Logger } from "../debug.js";
import { findTargets, runCommands, type Undo } from "./commands.js";
import { parseCommands } from "./parse_commands.js";

/**
 * Applies the element's `data-liveview-optimistic` commands at once, to the element itself or to every element
 * its `data-liveview-optimistic-target` selector matches, and returns how to revert them (null when there is
 * nothing to apply). The caller reverts when the call fails or is given up.
 *
 * ```ts
 * // <button data-liveview-optimistic="add-class:done toggle-attr:aria-pressed">
 * const revert = applyOptimistic(button, { doc: document, log });
 * if (!(await call).ok) revert?.();
 * ```
 */
export function applyOptimistic(el: Element, ctx: { doc: Document; log: Logger }): Undo | null {
  const text = el.getAttribute(ATTRIBUTES.optimistic);
  if (!text) return null;
  const steps = parseCommands(text, ctx.log);
  if (steps.length === 0) return null;
  const selector = el.getAttribute(ATTRIBUTES.optimisticTarget);
  const targets = selector ? findTargets(selector, ctx.doc, ctx.log) : [el];
  return targets.length === 0 ? null : runCommands(steps, targets, ctx.log);
}
