import { ATTRIBUTES, DATASET_PREFIX } from "../../protocol/index.js";
import type { FormValue, FormValues } from "../../protocol/index.js";
import { isTag } from "./elements.js";
import { collectPlainData } from "./collect_plain_data.js";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

const DATA_KEY = new RegExp(`^${DATASET_PREFIX}[A-Z]`);
const BUTTON_TYPES = new Set(["button", "submit", "reset", "image"]);
const CONTROL_SELECTOR = "input, select, textarea";

/** The attribute `dataset[key]` reads (the inverse of the dataset camelCase rule). */
const attributeOfDatasetKey = (key: string): string =>
  `data-${key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;

/**
 * Returns the element's `data-data-*` attributes with the prefix removed, camelCased exactly as
 * `dataset` does, as strings. Each dataset key is checked against the attribute it came from, so
 * `data-database="x"` (dataset key `database`) is not taken for a `data-data-` attribute. With `plain`
 * (Django LiveView 2.2's way), the element's other `data-*` attributes come too (see collectPlainData);
 * a `data-data-*` attribute wins over a plain one of the same name.
 *
 * ```ts
 * // <button data-data-page="2" data-data-modal-id="7">
 * collectData(button); // { page: "2", modalId: "7" }
 * ```
 */
export function collectData(el: Element, plain = false): Record<string, string> {
  const data: Record<string, string> = plain ? collectPlainData(el) : {};
  const dataset = (el as HTMLElement).dataset;
  if (!dataset) return data;
  for (const key of Object.keys(dataset)) {
    if (!DATA_KEY.test(key)) continue;
    const attribute = attributeOfDatasetKey(key);
    if (!attribute.startsWith(ATTRIBUTES.dataPrefix) || !el.hasAttribute(attribute)) continue;
    const name = key.slice(DATASET_PREFIX.length);
    data[name.charAt(0).toLowerCase() + name.slice(1)] = dataset[key] ?? "";
  }
  return data;
}

const isControlElement = (el: Element): el is Control =>
  isTag(el, "input") || isTag(el, "select") || isTag(el, "textarea");

const isButton = (control: Control): boolean => isTag(control, "input") && BUTTON_TYPES.has(control.type);

const isFileInput = (el: Element): el is HTMLInputElement => isTag(el, "input") && el.type === "file";

/**
 * Tells whether the element is a named input, select or textarea that holds a value of its own
 * (button-like inputs are not: a `<input type="submit">` in a container sends the container's
 * controls). File inputs count, since they are uploaded on their own.
 *
 * ```ts
 * isFormControl(document.querySelector("input[name=q]")!); // true
 * ```
 */
export function isFormControl(el: Element): boolean {
  return isControlElement(el) && el.name !== "" && !isButton(el);
}

/** The form the element is submitted with: its form owner (which honours `form=`), else the closest form. */
function ownerForm(el: Element): HTMLFormElement | null {
  if (isTag(el, "form")) return el;
  const owner = (el as Partial<HTMLButtonElement>).form;
  if (isTag(owner, "form")) return owner;
  return el.closest("form");
}

const formControls = (form: HTMLFormElement): Control[] => Array.from(form.elements).filter(isControlElement);

/** The controls whose values are sent, by the four rules of the spec (`form`: the element's ownerForm). */
function controlsFor(el: Element, form: HTMLFormElement | null): Control[] {
  if (form) return formControls(form);
  if (isFormControl(el)) return [el as Control];
  const container = el.parentElement;
  return container ? Array.from(container.querySelectorAll(CONTROL_SELECTOR)).filter(isControlElement) : [];
}

const isCheckbox = (control: Control): control is HTMLInputElement => isTag(control, "input") && control.type === "checkbox";

const isSent = (control: Control): boolean =>
  control.name !== "" && !isButton(control) && !isFileInput(control) && !control.matches(":disabled");

/** The value of a control that is not part of a checkbox group; undefined for an unchecked radio. */
function valueOf(control: Control): FormValue | undefined {
  if (isTag(control, "select") && control.multiple) {
    return Array.from(control.selectedOptions, (option) => option.value);
  }
  if (!isTag(control, "input")) return control.value;
  if (control.type === "radio") return control.checked ? control.value : undefined;
  if (control.type === "checkbox") return control.checked;
  return control.value;
}

/** A `<button>` of type submit or an `<input type="submit">`: what submits a form and names itself in it. */
const isSubmitButton = (el: Element | null | undefined): el is HTMLButtonElement | HTMLInputElement =>
  (isTag(el, "button") || isTag(el, "input")) && el.type === "submit";

/**
 * The button a browser would send with the form: the submit event's submitter, else the element itself when it is
 * a submit button. Only a named, enabled one of that same form counts.
 */
function submitterOf(el: Element, form: HTMLFormElement | null, submitter: Element | null | undefined) {
  const button = submitter ?? el;
  if (!form || !isSubmitButton(button) || button.name === "" || button.form !== form) return null;
  return button.matches(":disabled") ? null : button;
}

/**
 * Collects the form values sent with a call, keyed by the controls' names as written: the element's
 * form (the element itself, its form owner or closest form), else the element if it is a control,
 * else the controls inside its parent. Text-like, select and textarea give strings; a lone checkbox
 * a boolean; a checkbox group and `select multiple` the selected values; a radio group its checked
 * value (absent when none). Disabled, unnamed, button and file controls are skipped, except the submit
 * button a browser would send: `submitter` (a submit event's), or the element itself when it is a named
 * submit button of the form, adds its `name` and `value` as a browser's own submit does.
 *
 * ```ts
 * // <div><input name="name" value="Ada"><button data-liveview-function="greet"></button></div>
 * collectForm(button); // { name: "Ada" }
 * ```
 */
export function collectForm(el: Element, submitter?: Element | null): FormValues {
  const form = ownerForm(el);
  const controls = controlsFor(el, form).filter(isSent);
  const checkboxCount = new Map<string, number>();
  for (const control of controls) {
    if (isCheckbox(control)) checkboxCount.set(control.name, (checkboxCount.get(control.name) ?? 0) + 1);
  }
  const values: FormValues = {};
  for (const control of controls) {
    if (isCheckbox(control) && (checkboxCount.get(control.name) ?? 0) > 1) {
      const group = Array.isArray(values[control.name]) ? (values[control.name] as string[]) : [];
      if (control.checked) group.push(control.value);
      values[control.name] = group;
      continue;
    }
    const value = valueOf(control);
    if (value !== undefined) values[control.name] = value;
  }
  const button = submitterOf(el, form, submitter);
  if (button) values[button.name] = button.value;
  return values;
}

/**
 * Returns the named, enabled file inputs uploaded with a call: those of the element's form, or the
 * element itself when it is a file input. The container rule never uploads files, so a button next
 * to a file input in a plain `<div>` sends none.
 *
 * ```ts
 * // <form><input type="file" name="avatar"><button data-liveview-function="save"></button></form>
 * findFileInputs(button); // [input]
 * ```
 */
export function findFileInputs(el: Element): HTMLInputElement[] {
  const form = ownerForm(el);
  const candidates: Element[] = form ? formControls(form) : [el];
  return candidates.filter(
    (candidate): candidate is HTMLInputElement =>
      isFileInput(candidate) && candidate.name !== "" && !candidate.matches(":disabled"),
  );
}
