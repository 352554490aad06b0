// Random pages of form controls for comparing what two DOMs collect from them. A page has one element to
// click, `#go`: a button in a form, a form's submit button, a button linked to the form with form=, or a
// button in a plain div (the container rule).
import fc from "fast-check";

/** Names that collide often, so groups, overrides and unnamed controls all come up. */
const NAMES = ["", "a", "b", "c", "x[]", "user.name", "é"];
const TEXT_TYPES = ["text", "hidden", "search", "password", "tel", "email", "number"];
const BUTTON_TYPES = ["button", "submit", "reset", "image"];
/** `data-data-` suffixes: dashed ones are camelCased, `a1` keeps its digit. */
const DATA_NAMES = ["page", "modal-id", "user-name", "a1", "x"];

type Control =
  | { kind: "input"; type: string; name: string; value: string | null; disabled: boolean }
  | { kind: "textarea"; name: string; text: string; disabled: boolean }
  | { kind: "select"; name: string; multiple: boolean; options: Option[]; disabled: boolean }
  | { kind: "check"; type: "checkbox" | "radio"; name: string; value: string | null; checked: boolean; disabled: boolean }
  | { kind: "button"; type: string; name: string; value: string; disabled: boolean }
  | { kind: "file"; name: string; disabled: boolean };

interface Option {
  value: string | null;
  text: string;
  selected: boolean;
  disabled: boolean;
}

interface Fieldset {
  kind: "fieldset";
  disabled: boolean;
  legend: Node[] | null;
  children: Node[];
}

type Node = Control | Fieldset;

type Trigger = "button" | "submit" | "linked" | "container";

interface Page {
  trigger: Trigger;
  inside: Node[];
  /** Controls outside the form with form="f" (outside the div, unlinked, for the container rule). */
  linked: { before: boolean; control: Control }[];
  /** Controls outside everything: never sent. */
  strays: Control[];
  data: { name: string; value: string }[];
  database: boolean;
}

const escape = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const attr = (name: string, value: string | null | boolean): string => {
  if (value === false || value === null) return "";
  return value === true ? ` ${name}` : ` ${name}="${escape(value)}"`;
};

/** Mostly false: a page where everything is disabled says little. */
const rarely = fc.oneof({ arbitrary: fc.constant(false), weight: 3 }, { arbitrary: fc.constant(true), weight: 1 });
const name = fc.constantFrom(...NAMES);
const text = fc.string({ unit: fc.constantFrom("a", "b", " ", "&", "<", '"', "é", "\n"), maxLength: 5 });
/** null: no value attribute. */
const value = fc.option(text, { nil: null });

const option: fc.Arbitrary<Option> = fc.record({ value, text, selected: rarely, disabled: rarely });

const control: fc.Arbitrary<Control> = fc.oneof(
  fc.record({ kind: fc.constant("input" as const), type: fc.constantFrom(...TEXT_TYPES), name, value, disabled: rarely }),
  fc.record({ kind: fc.constant("textarea" as const), name, text, disabled: rarely }),
  fc.record({
    kind: fc.constant("select" as const),
    name,
    multiple: fc.boolean(),
    options: fc.array(option, { maxLength: 4 }),
    disabled: rarely,
  }),
  fc.record({
    kind: fc.constant("check" as const),
    type: fc.constantFrom("checkbox" as const, "radio" as const),
    name,
    value,
    checked: fc.boolean(),
    disabled: rarely,
  }),
  fc.record({ kind: fc.constant("button" as const), type: fc.constantFrom(...BUTTON_TYPES), name, value: text, disabled: rarely }),
  fc.record({ kind: fc.constant("file" as const), name, disabled: rarely }),
);

const nodes = (depth: number): fc.Arbitrary<Node[]> =>
  fc.array(depth === 0 ? control : fc.oneof({ arbitrary: control, weight: 4 }, { arbitrary: fieldset(depth - 1), weight: 1 }), {
    maxLength: 6,
  });

const fieldset = (depth: number): fc.Arbitrary<Fieldset> =>
  fc.record({ kind: fc.constant("fieldset" as const), disabled: fc.boolean(), legend: fc.option(nodes(depth), { nil: null }), children: nodes(depth) });

const page: fc.Arbitrary<Page> = fc.record({
  trigger: fc.constantFrom<Trigger>("button", "submit", "linked", "container"),
  inside: nodes(2),
  linked: fc.array(fc.record({ before: fc.boolean(), control }), { maxLength: 3 }),
  strays: fc.array(control, { maxLength: 2 }),
  data: fc.uniqueArray(fc.record({ name: fc.constantFrom(...DATA_NAMES), value: text }), { selector: (entry) => entry.name, maxLength: 3 }),
  database: fc.boolean(),
});

function renderControl(c: Control, extra = ""): string {
  const common = attr("name", c.name || null) + attr("disabled", c.disabled) + extra;
  switch (c.kind) {
    case "input":
      return `<input type="${c.type}"${common}${attr("value", c.value)}>`;
    case "textarea":
      return `<textarea${common}>${escape(c.text)}</textarea>`;
    case "select": {
      const options = c.options.map(
        (o) => `<option${attr("value", o.value)}${attr("selected", o.selected)}${attr("disabled", o.disabled)}>${escape(o.text)}</option>`,
      );
      return `<select${common}${attr("multiple", c.multiple)}>${options.join("")}</select>`;
    }
    case "check":
      return `<input type="${c.type}"${common}${attr("value", c.value)}${attr("checked", c.checked)}>`;
    case "button":
      return `<input type="${c.type}"${common}${attr("value", c.value)}${c.type === "image" ? ' alt="image"' : ""}>`;
    case "file":
      return `<input type="file"${common}>`;
  }
}

function renderNodes(list: Node[]): string {
  return list
    .map((node) => {
      if (node.kind !== "fieldset") return renderControl(node);
      const legend = node.legend ? `<legend>${renderNodes(node.legend)}</legend>` : "";
      return `<fieldset${attr("disabled", node.disabled)}>${legend}${renderNodes(node.children)}</fieldset>`;
    })
    .join("\n");
}

function renderPage(p: Page, functionName: string): string {
  const data = p.data.map((entry) => attr(`data-data-${entry.name}`, entry.value)).join("") + attr("data-database", p.database && "no");
  const run = `${data} data-liveview-function="${functionName}" data-action="click->page#run"`;
  const strays = p.strays.map((c) => renderControl(c)).join("");
  if (p.trigger === "container") {
    const outside = p.linked.map(({ control: c }) => renderControl(c)).join("");
    return `${outside}<div>${renderNodes(p.inside)}<button type="button" id="go"${run}>Go</button></div>${strays}`;
  }
  const linked = (before: boolean) =>
    p.linked
      .filter((entry) => entry.before === before)
      .map(({ control: c }) => renderControl(c, ' form="f"'))
      .join("");
  const submits = `${data} data-liveview-function="${functionName}" data-action="submit->page#run"`;
  const formAttrs = p.trigger === "submit" ? submits : "";
  const inForm = {
    button: `<button type="button" id="go"${run}>Go</button>`,
    submit: `<button type="submit" id="go">Go</button>`,
    linked: "",
  }[p.trigger];
  const outside = p.trigger === "linked" ? `<div><button type="button" id="go" form="f"${run}>Go</button></div>` : "";
  // novalidate: an invalid email or number would stop the submit in both, which is not what is compared here.
  return `${linked(true)}<form id="f" novalidate${formAttrs}>${renderNodes(p.inside)}${inForm}</form>${linked(false)}${outside}${strays}`;
}

/**
 * Bodies of random pages, each with one `#go` to click that calls `functionName`.
 *
 * ```ts
 * fc.assert(fc.asyncProperty(formCase("record"), async (body) => { ... }));
 * ```
 */
export function formCase(functionName: string): fc.Arbitrary<string> {
  return page.map((p) => renderPage(p, functionName));
}
