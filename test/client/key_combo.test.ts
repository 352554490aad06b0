import { keyCombo, normaliseCombo } from "../../controllers/behaviours/key_combo";

const key = (k: string, mods: Partial<Record<"ctrlKey" | "altKey" | "metaKey" | "shiftKey", boolean>> = {}, code = "") => ({
  key: k,
  code,
  ctrlKey: false,
  altKey: false,
  metaKey: false,
  shiftKey: false,
  ...mods,
});

describe("keyboard combos", () => {
  it("names modifiers in the order ctrl+alt+meta+shift", () => {
    expect(keyCombo(key("s", { ctrlKey: true, altKey: true, metaKey: true, shiftKey: true }, "KeyS"))).toBe("ctrl+alt+meta+shift+s");
  });

  it("leaves shift out of a plain character but keeps it with another modifier", () => {
    expect(keyCombo(key("A", { shiftKey: true }, "KeyA"))).toBe("a");
    expect(keyCombo(key("?", { shiftKey: true }, "Slash"))).toBe("?");
    expect(keyCombo(key("Z", { ctrlKey: true, shiftKey: true }, "KeyZ"))).toBe("ctrl+shift+z");
  });

  it("uses the documented names for special keys", () => {
    const names: Record<string, string> = {
      Escape: "esc", " ": "space", Enter: "enter", Tab: "tab", ArrowUp: "up", ArrowDown: "down", ArrowLeft: "left",
      ArrowRight: "right", Home: "home", End: "end", PageUp: "page_up", PageDown: "page_down",
    };
    for (const [pressed, name] of Object.entries(names)) expect(keyCombo(key(pressed))).toBe(name);
  });

  it("reads letters and digits from the physical key when alt changed the character", () => {
    expect(keyCombo(key("ß", { altKey: true }, "KeyS"))).toBe("alt+s");
    expect(keyCombo(key("¡", { altKey: true }, "Digit1"))).toBe("alt+1");
  });

  it("ignores a lone modifier key", () => {
    expect(keyCombo(key("Control", { ctrlKey: true }))).toBeNull();
  });

  it("normalises what people write in a map", () => {
    expect(normaliseCombo("Ctrl+S")).toBe("ctrl+s");
    expect(normaliseCombo("shift+ctrl+z")).toBe("ctrl+shift+z");
    expect(normaliseCombo("Escape")).toBe("esc");
    expect(normaliseCombo("cmd+k")).toBe("meta+k");
  });
});
