/** Key names as written in keyboard maps, by `KeyboardEvent.key`. */
const NAMED_KEYS: Record<string, string> = {
  Escape: "esc",
  Esc: "esc",
  " ": "space",
  Spacebar: "space",
  ArrowUp: "up",
  ArrowDown: "down",
  ArrowLeft: "left",
  ArrowRight: "right",
  Up: "up",
  Down: "down",
  Left: "left",
  Right: "right",
  Enter: "enter",
  Tab: "tab",
  Home: "home",
  End: "end",
  PageUp: "page_up",
  PageDown: "page_down",
};

const MODIFIER_KEYS = new Set(["Control", "Alt", "Meta", "Shift", "AltGraph", "CapsLock", "OS"]);

type KeyInfo = Pick<KeyboardEvent, "key" | "code" | "ctrlKey" | "altKey" | "metaKey" | "shiftKey">;

/** The key's name: a named key, a letter or digit (from the physical key when a modifier changed it), or the key lowercased. */
function keyName(event: KeyInfo): string | null {
  const named = NAMED_KEYS[event.key];
  if (named) return named;
  if (event.key.length === 1 && /^[a-z0-9]$/i.test(event.key)) return event.key.toLowerCase();
  const physical = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(event.code ?? "");
  if (physical && (event.altKey || event.ctrlKey || event.metaKey)) return (physical[1] ?? physical[2]).toLowerCase();
  return event.key ? event.key.toLowerCase() : null;
}

/**
 * The combo a keydown stands for, as keyboard maps spell it: modifiers in the order
 * ctrl+alt+meta+shift, then the key. Shift alone is left out (it already shaped the key: "?"),
 * and kept whenever another modifier is held ("ctrl+shift+z").
 *
 * ```ts
 * keyCombo({ key: "s", code: "KeyS", ctrlKey: true, altKey: false, metaKey: false, shiftKey: false }); // "ctrl+s"
 * ```
 */
export function keyCombo(event: KeyInfo): string | null {
  if (MODIFIER_KEYS.has(event.key)) return null;
  const key = keyName(event);
  if (!key) return null;
  const other = event.ctrlKey || event.altKey || event.metaKey;
  const parts: string[] = [];
  if (event.ctrlKey) parts.push("ctrl");
  if (event.altKey) parts.push("alt");
  if (event.metaKey) parts.push("meta");
  if (event.shiftKey && (other || key in SHIFTABLE_NAMED)) parts.push("shift");
  parts.push(key);
  return parts.join("+");
}

/** Named keys whose meaning shift does not change, so "shift+tab" or "shift+enter" stay distinct. */
const SHIFTABLE_NAMED: Record<string, true> = Object.fromEntries(
  Object.values(NAMED_KEYS).map((name) => [name, true] as const),
);

/** Normalises a combo written by a person ("Ctrl+S", "escape") to the form `keyCombo` produces. */
export function normaliseCombo(written: string): string {
  const parts = written.toLowerCase().split("+").map((part) => part.trim()).filter(Boolean);
  const alias: Record<string, string> = { control: "ctrl", cmd: "meta", command: "meta", option: "alt", escape: "esc", pageup: "page_up", pagedown: "page_down", arrowup: "up", arrowdown: "down", arrowleft: "left", arrowright: "right", return: "enter", " ": "space" };
  const named = parts.map((part) => alias[part] ?? part);
  const key = named.pop() ?? "";
  const order = ["ctrl", "alt", "meta", "shift"];
  const modifiers = order.filter((modifier) => named.includes(modifier));
  return [...modifiers, key].join("+");
}
