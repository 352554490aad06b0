import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { isValidRoom } from "../../protocol/index.js";

/** Phoenix LiveView's session tokens live 14 days; a signed room as long. */
export const DEFAULT_ROOM_MAX_AGE_MS = 14 * 86_400_000;

/** Bytes of the expiry (seconds since the epoch, big-endian) at the start of a signature. */
const EXPIRY_BYTES = 6;
const MAC_BYTES = 32;
/** A signature in base64url: 38 bytes -> 51 characters. */
const SIGNATURE_LENGTH = Math.ceil(((EXPIRY_BYTES + MAC_BYTES) * 4) / 3);
const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]+$/;

export type RoomCheck = { ok: true; room: string } | { ok: false; reason: string };

/**
 * Signs room names with HMAC-SHA256, so a tab joins only a room the server handed it: a token is
 * `name.signature`, where the signature holds an expiry and the MAC of name, expiry and an optional
 * binding (the session a server-chosen room belongs to). Verifying takes constant time in the MAC.
 *
 * ```ts
 * const tokens = new RoomTokens(process.env.LIVEVIEW_SECRET!);
 * const token = tokens.sign("board-7");   // "board-7.AAB...": put it in <html data-room>
 * tokens.verify(token);                    // { ok: true, room: "board-7" }
 * ```
 */
export class RoomTokens {
  private readonly key: Buffer;

  constructor(secret: string | Buffer, private readonly maxAgeMs = DEFAULT_ROOM_MAX_AGE_MS, private readonly now = Date.now) {
    this.key = typeof secret === "string" ? Buffer.from(secret, "utf8") : secret;
  }

  /** A token for `name`, valid for the configured max age; `binding` ties it to one session. */
  sign(name: string, binding = ""): string {
    if (!isValidRoom(name)) throw new TypeError(`signRoom: invalid room name (use 1 to 128 letters, digits, '-' or '_')`);
    const expiry = Math.ceil((this.now() + this.maxAgeMs) / 1000);
    const signature = Buffer.alloc(EXPIRY_BYTES + MAC_BYTES);
    signature.writeUIntBE(expiry, 0, EXPIRY_BYTES);
    this.mac(name, expiry, binding).copy(signature, EXPIRY_BYTES);
    return `${name}.${signature.toString("base64url")}`;
  }

  /** The room a token names, when its signature is ours, it has not expired and its binding matches. */
  verify(token: unknown, binding = ""): RoomCheck {
    if (typeof token !== "string" || token.length === 0) return refused("no room token");
    const dot = token.lastIndexOf(".");
    const name = dot < 0 ? token : token.slice(0, dot);
    const encoded = dot < 0 ? "" : token.slice(dot + 1);
    if (!isValidRoom(name)) return refused("the room token is malformed");
    if (dot < 0) return refused("the room is not signed");
    if (encoded.length !== SIGNATURE_LENGTH || !SIGNATURE_PATTERN.test(encoded)) return refused("the room token is malformed");
    const signature = Buffer.from(encoded, "base64url");
    if (signature.length !== EXPIRY_BYTES + MAC_BYTES) return refused("the room token is malformed");
    const expiry = signature.readUIntBE(0, EXPIRY_BYTES);
    const expected = this.mac(name, expiry, binding);
    if (!timingSafeEqual(expected, signature.subarray(EXPIRY_BYTES))) return refused("the room token's signature is not valid");
    if (expiry * 1000 <= this.now()) return refused("the room token has expired");
    return { ok: true, room: name };
  }

  private mac(name: string, expiry: number, binding: string): Buffer {
    // NUL separators: neither a room name nor the expiry can contain one, so no two inputs collide.
    return createHmac("sha256", this.key).update(`liveview-room\0${name}\0${expiry}\0${binding}`).digest();
  }
}

const refused = (reason: string): RoomCheck => ({ ok: false, reason });

/** A fresh random room name: 32 hex characters. */
export const randomRoomName = (): string => randomBytes(16).toString("hex");
