import { ATTRIBUTES, PARAM_SUFFIX } from "../../protocol/index.js";

const DATA = "data-";
/** Stimulus's own attributes and ours, never plain data. */
const EXACT = new Set(["data-action", "data-controller"]);
const LIVEVIEW_PREFIX = "data-liveview-";
/** `data-IDENTIFIER-target` and `data-IDENTIFIER-NAME-param` (the part before the suffix is never empty). */
const ALWAYS_SUFFIXES = ["-target", PARAM_SUFFIX];
/** `data-IDENTIFIER-NAME-value`, `-class`, `-outlet`: Stimulus's only when IDENTIFIER is a controller of the element. */
const CONTROLLER_SUFFIXES = ["-value", "-class", "-outlet"];

/** `data-modal-id` -> `modalId`, as `dataset` names it. */
const datasetKey = (attribute: string): string =>
  attribute.slice(DATA.length).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());

const endsWithAfterName = (name: string, suffixes: readonly string[]): string | null => {
  for (const suffix of suffixes) if (name.length > DATA.length + suffix.length && name.endsWith(suffix)) return suffix;
  return null;
};

/** The identifiers of the controllers on the element and around it (`data-controller`), read only when needed. */
function controllerIdentifiers(el: Element): string[] {
  const identifiers: string[] = [];
  for (let node = el.closest("[data-controller]"); node; node = node.parentElement?.closest("[data-controller]") ?? null) {
    identifiers.push(...(node.getAttribute("data-controller") ?? "").split(/\s+/).filter(Boolean));
  }
  return identifiers;
}

/** Whether a `-value`, `-class` or `-outlet` attribute belongs to one of the controllers in scope. */
const isControllerAttribute = (name: string, identifiers: string[]): boolean =>
  identifiers.some((identifier) => name.startsWith(`${DATA}${identifier}-`));

/**
 * The element's plain `data-*` attributes, camelCased as `dataset` does, as strings: what Django LiveView 2.2 sends
 * in `data` (its demo's `data-page="2"` -> `{ page: "2" }`). Attributes that are ours or Stimulus's are left out:
 * `data-action`, `data-controller`, `data-liveview-*`, `data-data-*` (collectData takes those), `data-*-target`,
 * `data-*-param`, and the `-value`, `-class` and `-outlet` attributes of the controllers on or around the element.
 *
 * ```ts
 * // <button data-page="2" data-action="click->page#run" data-page-id-param="3">
 * collectPlainData(button); // { page: "2" }
 * ```
 */
export function collectPlainData(el: Element): Record<string, string> {
  const data: Record<string, string> = {};
  let identifiers: string[] | null = null;
  const { attributes } = el;
  for (let i = 0; i < attributes.length; i++) {
    const { name, value } = attributes[i];
    if (!name.startsWith(DATA) || name.length === DATA.length || EXACT.has(name)) continue;
    if (name.startsWith(LIVEVIEW_PREFIX) || name.startsWith(ATTRIBUTES.dataPrefix)) continue;
    if (endsWithAfterName(name, ALWAYS_SUFFIXES)) continue;
    if (endsWithAfterName(name, CONTROLLER_SUFFIXES) && isControllerAttribute(name, (identifiers ??= controllerIdentifiers(el)))) continue;
    data[datasetKey(name)] = value;
  }
  return data;
}
