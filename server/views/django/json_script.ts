import { text, type HtmlText } from "./html_text.js";

/** What Django's json_script escapes so no `</script>` nor `<!--` in the data can end or change the element. */
const SCRIPT_ESCAPES: Readonly<Record<string, string>> = { "<": "\\u003C", ">": "\\u003E", "&": "\\u0026" };

/** A JSON string as Python's json.dumps writes it: every non-ASCII character as \uXXXX. */
const asciiString = (value: string): string =>
  JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);

/** JSON with Python's separators (", " and ": "), so the output is the one Django documents. */
function pythonJson(value: unknown, seen: Set<object>): string | undefined {
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
    value = (value as { toJSON(): unknown }).toJSON();
  }
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return asciiString(value);
    case "number":
      return Number.isFinite(value) ? JSON.stringify(value) : "null";
    case "boolean":
      return value ? "true" : "false";
    case "bigint":
      return value.toString();
    case "object":
      break;
    default:
      return undefined;
  }
  const object = value as object;
  if (seen.has(object)) throw new TypeError("json_script: the value refers to itself");
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((item) => pythonJson(item, seen) ?? "null").join(", ")}]`;
    const entries = value instanceof Map ? [...value.entries()] : Object.entries(object);
    const members: string[] = [];
    for (const [key, item] of entries) {
      const json = pythonJson(item, seen);
      if (json !== undefined) members.push(`${asciiString(String(key))}: ${json}`);
    }
    return `{${members.join(", ")}}`;
  } finally {
    seen.delete(object);
  }
}

/**
 * `json_script:"id"`: the value as JSON in `<script id="id" type="application/json">`, with `<`, `>` and `&` as
 * \u escapes so the data cannot close the script element. Read it with
 * `JSON.parse(document.getElementById("id").textContent)`.
 */
export function jsonScript(html: HtmlText, value: unknown, elementId?: unknown): unknown {
  const json = (pythonJson(value, new Set()) ?? "null").replace(/[<>&]/g, (char) => SCRIPT_ESCAPES[char]);
  const id = text(elementId);
  const attributes = id ? `id="${html.escape(id)}" ` : "";
  return html.markSafe(`<script ${attributes}type="application/json">${json}</script>`);
}
