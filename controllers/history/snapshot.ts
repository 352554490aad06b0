import { ATTRIBUTES } from "../../protocol/index.js";
import type { FieldValue, Region } from "./journal.js";

const CONTROLS = "input, textarea, select";
const PERMANENT = `[${ATTRIBUTES.permanent}][id]`;

/** A script a restore runs again: inline, and not marked `data-liveview-replay="false"`. */
export const isReplayable = (script: HTMLScriptElement): boolean =>
  !script.hasAttribute("src") && script.getAttribute(ATTRIBUTES.replay) !== "false";

/** Passwords and files are never kept; a permanent element keeps its own live values. */
function valueOf(control: Element, region: Element): FieldValue {
  const permanent = control.closest(PERMANENT);
  if (permanent && region.contains(permanent)) return null;
  if (control instanceof HTMLSelectElement) {
    return Array.from(control.options).flatMap((option, i) => (option.selected ? [i] : []));
  }
  if (control instanceof HTMLInputElement) {
    if (control.type === "password" || control.type === "file") return null;
    if (control.type === "checkbox" || control.type === "radio") return control.checked;
  }
  return (control as HTMLInputElement | HTMLTextAreaElement).value;
}

/**
 * The current values of the form controls inside `region`, in document order (null for those not kept).
 *
 * ```ts
 * fieldValues(form); // ["Ada", true, [2], null]  (text, checkbox, select, password)
 * ```
 */
export const fieldValues = (region: Element): FieldValue[] =>
  Array.from(region.querySelectorAll(CONTROLS), (control) => valueOf(control, region));

/** Puts values taken by `fieldValues` back into the controls of `region`, by position; a mismatch is skipped. */
export function restoreFieldValues(region: Element, values: FieldValue[]): void {
  region.querySelectorAll(CONTROLS).forEach((control, i) => {
    const value = values[i];
    if (Array.isArray(value) && control instanceof HTMLSelectElement) {
      Array.from(control.options).forEach((option, j) => (option.selected = value.includes(j)));
    } else if (typeof value === "boolean" && control instanceof HTMLInputElement) {
      control.checked = value;
    } else if (typeof value === "string" && !(control instanceof HTMLSelectElement)) {
      (control as HTMLInputElement).value = value;
    }
  });
}

/**
 * Which scripts ran where. Updates take their `<script>` elements out before inserting their HTML, so a region's
 * markup no longer shows them; this remembers them (outer HTML) per target until the target leaves the page or its
 * content is replaced, so a restore can run them again.
 *
 * ```ts
 * scripts.record(target, extracted, update.append === true);
 * scripts.within(region); // ["<script>…</script>", …] in document order
 * ```
 */
export class ScriptMemory {
  private readonly byTarget = new Map<Element, string[]>();

  record(target: Element, scripts: HTMLScriptElement[], append: boolean): void {
    const kept = scripts.filter(isReplayable).map((script) => script.outerHTML);
    const all = append ? [...(this.byTarget.get(target) ?? []), ...kept] : kept;
    if (all.length) this.byTarget.set(target, all);
    else this.byTarget.delete(target);
  }

  /** The scripts that ran in `region` or inside it, in document order. */
  within(region: Element): string[] {
    const targets: Element[] = [];
    for (const target of this.byTarget.keys()) {
      if (!target.isConnected) this.byTarget.delete(target);
      else if (region.contains(target)) targets.push(target);
    }
    targets.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
    return targets.flatMap((target) => this.byTarget.get(target)!);
  }
}

/** The region as it is now: its markup, the scripts that ran in it and its controls' values. */
export const captureRegion = (target: string, el: Element, scripts: ScriptMemory): Region => ({
  target,
  html: el.innerHTML,
  scripts: scripts.within(el),
  values: fieldValues(el),
});
