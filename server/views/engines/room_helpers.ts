import { randomBytes } from "node:crypto";
import type { RoomSigner } from "./view_renderer.js";

/** The room helpers every engine has, as plain functions: a fresh random room, and a named room, each signed. */
export interface RoomHelpers {
  liveviewRoomUuid(): string;
  liveviewSignedRoom(name: unknown): string;
}

export function roomHelpers(sign: RoomSigner | null): RoomHelpers {
  const signed = (name: string): string => (sign ? sign(name) : name);
  return {
    liveviewRoomUuid: () => signed(randomBytes(16).toString("hex")),
    liveviewSignedRoom: (name: unknown) => signed(String(name)),
  };
}

/**
 * The CSP nonce of the response a context renders: `res.locals.cspNonce`, which Express puts in the context
 * (Express 4 under `_locals`), or "" outside a response (a handler's renderToString).
 */
export function nonceOf(context: unknown): string {
  if (context === null || typeof context !== "object") return "";
  const record = context as Record<string, unknown>;
  const nonce = record.cspNonce ?? (record._locals as Record<string, unknown> | undefined)?.cspNonce;
  return typeof nonce === "string" ? nonce : "";
}
