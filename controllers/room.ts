import { ATTRIBUTES, STORAGE_KEYS, type HandshakeAuth } from "../protocol/index.js";

/**
 * What the page sends as its room in the handshake: `<html data-room>` when set (a token the server signed),
 * else the room this browser keeps in localStorage, else a new random id saved there (a server that signs rooms
 * replaces it with one of its own, see keepRoom). The page's attribute always wins over a stale saved value.
 */
export function resolveRoom(doc: Document): HandshakeAuth {
  const fromPage = doc.documentElement.getAttribute(ATTRIBUTES.room);
  if (fromPage) return { room: fromPage };
  const storage = safeStorage();
  const saved = storage?.getItem(STORAGE_KEYS.room);
  if (saved) return { storedRoom: saved };
  const room = randomId();
  storage?.setItem(STORAGE_KEYS.room, room);
  return { storedRoom: room };
}

/** Keeps the room the server chose for this browser, so its other tabs (and the next visit) share it. */
export function keepRoom(token: string): void {
  safeStorage()?.setItem(STORAGE_KEYS.room, token);
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
