import { ATTRIBUTES, STORAGE_KEYS } from "../protocol/index.js";

/**
 * The page's room: `<html data-room>` when set, else the id saved in localStorage, else a new random one
 * saved there. The page's attribute always wins over a stale saved value.
 */
export function resolveRoom(doc: Document): string {
  const fromPage = doc.documentElement.getAttribute(ATTRIBUTES.room);
  if (fromPage) return fromPage;
  const storage = safeStorage();
  const saved = storage?.getItem(STORAGE_KEYS.room);
  if (saved) return saved;
  const room = randomId();
  storage?.setItem(STORAGE_KEYS.room, room);
  return room;
}

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** A random id: crypto.randomUUID where the page is a secure context, else built from getRandomValues. */
export function randomId(): string {
  const c = globalThis.crypto;
  if (typeof c?.randomUUID === "function") return c.randomUUID();
  const bytes = new Uint8Array(16);
  c.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
