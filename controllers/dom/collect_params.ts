import { PARAM_SUFFIX, type JsonValue } from "../../protocol/index.js";

/** Stimulus's camelize: a `-` or `_` before a lowercase letter or digit goes, the letter is uppercased. */
const camelize = (value: string): string => value.replace(/[_-]([a-z0-9])/g, (_, char: string) => char.toUpperCase());

/** Stimulus's typecast: JSON when the value parses as JSON (numbers, booleans, null, objects, arrays), else the string. */
function typecast(value: string): JsonValue {
  try {
    return JSON.parse(value) as JsonValue;
  } catch {
    return value;
  }
}

/**
 * The Stimulus action parameters of the element for one controller identifier, read and typecast the way Stimulus
 * 3.2 reads them for an action (`event.params`), for calls that do not come from an action (interaction attributes,
 * a controller's `this.call`): `data-IDENTIFIER-NAME-param` -> `params[camelized NAME]`.
 *
 * ```ts
 * // <button data-page-id-param="3" data-page-tags-param='["a"]' data-page-label-param="Save">
 * collectParams(button, "page"); // { id: 3, tags: ["a"], label: "Save" }
 * ```
 */
export function collectParams(el: Element, identifier: string): Record<string, JsonValue> {
  const params: Record<string, JsonValue> = {};
  const prefix = `data-${identifier.toLowerCase()}-`;
  const { attributes } = el;
  for (let i = 0; i < attributes.length; i++) {
    const { name, value } = attributes[i];
    const lower = name.toLowerCase();
    if (lower.length <= prefix.length + PARAM_SUFFIX.length || !lower.startsWith(prefix) || !lower.endsWith(PARAM_SUFFIX)) continue;
    params[camelize(name.slice(prefix.length, -PARAM_SUFFIX.length))] = typecast(value);
  }
  return params;
}
