import { randomBytes } from "node:crypto";
import type { Socket } from "socket.io";
import { isValidRoom } from "../protocol/index.js";
import { tabProblem } from "./calls/tab_id.js";
import { getLogger } from "./logger.js";
import { logText } from "./security/log_text.js";
import { checkOrigin, clientAddress, type AllowedOrigins } from "./security/origins.js";
import type { RecoveryGuard } from "./security/recovery_guard.js";
import { randomRoomName, type RoomTokens } from "./security/room_tokens.js";
import type { LiveViewRequest } from "./types.js";

/** `rooms`: "signed" (the default) joins only rooms the server signed; "unsigned" any valid name (unsafe). */
export type RoomMode = "signed" | "unsigned";

export interface HandshakeOptions {
  rooms: RoomMode;
  tokens: RoomTokens;
  allowedOrigins: AllowedOrigins;
  trustProxy: boolean;
  getUser?: (req: LiveViewRequest) => unknown;
  userIdOf: (user: unknown) => string | null;
  /** Holds back a restored session's missed packets until this handshake has checked the tab. */
  guard: RecoveryGuard | null;
}

/**
 * What the handshake learnt of a tab, kept in `socket.data.liveview` (plain data: with Redis it is stored there
 * for connection state recovery on another node).
 */
export interface TabIdentity {
  room: string;
  user: unknown;
  userId: string | null;
  /** The express-session id of a logged-in tab: a recovered tab must still be in it. */
  sessionId: string | null;
  /** A room the server chose and signed for this tab, sent back in the ready event for the browser to keep. */
  issuedRoom: string | null;
}

const UNSIGNED_INVALID = "Invalid room: use 1 to 128 letters, digits, '-' or '_'";

/** The user id `disconnectUser` matches: the user itself when a string or number, else its `id`, `username` or `name`. */
export function defaultUserId(user: unknown): string | null {
  if (typeof user === "string" || typeof user === "number") return String(user);
  if (typeof user !== "object" || user === null) return null;
  const fields = user as Record<string, unknown>;
  for (const key of ["id", "username", "name"]) {
    const value = fields[key];
    if (typeof value === "string" || typeof value === "number") return String(value);
  }
  return null;
}

/** A server-chosen room belongs to the session of a logged-in tab: a new login gets a new room. */
const bindingOf = (identity: Pick<TabIdentity, "user" | "userId" | "sessionId">): string =>
  identity.user === null ? "" : `${identity.sessionId ?? ""}\0${identity.userId ?? ""}`;

class Refusal extends Error {}

/**
 * The socket.io middleware that admits a tab: checks the Origin, reads the user, verifies the room token
 * (or picks and signs a room for a tab that has none), and for a recovered connection checks that the tab
 * is still the same user in the same session before the updates it missed are released. Every refusal is
 * a `connect_error` with a clear message for the page and one log line on the server.
 *
 * ```ts
 * io.use(handshake({ rooms: "signed", tokens, allowedOrigins: [], trustProxy: false, userIdOf: defaultUserId, guard }));
 * ```
 */
export function handshake(options: HandshakeOptions): (socket: Socket, next: (error?: Error) => void) => void {
  const refuse = (socket: Socket, next: (error?: Error) => void, reason: string): void => {
    const address = clientAddress(socket.request, options.trustProxy);
    getLogger().warn(`[liveview] refused a connection from ${logText(address)}: ${logText(reason, 300)}`);
    options.guard?.startAfresh(socket, newPid());
    next(new Refusal(reason));
  };

  return (socket, next) => {
    const request = socket.request as LiveViewRequest;
    const originProblem = checkOrigin(request, options.allowedOrigins, options.trustProxy);
    if (originProblem) return refuse(socket, next, originProblem);
    const invalidTab = tabProblem(socket);
    if (invalidTab) return refuse(socket, next, invalidTab);
    void identify(socket, request, options).then(
      (identity) => {
        if (typeof identity === "string") return refuse(socket, next, identity);
        admit(socket, identity, options.guard);
        next();
      },
      (error: unknown) => {
        getLogger().error("[liveview] connection refused: getUser failed", error);
        options.guard?.startAfresh(socket, newPid());
        next(new Error("Connection refused: the server could not identify the user"));
      },
    );
  };
}

/** Returns the tab's identity, or the reason it is refused. */
async function identify(socket: Socket, request: LiveViewRequest, options: HandshakeOptions): Promise<TabIdentity | string> {
  const user = (options.getUser ? await options.getUser(request) : null) ?? null;
  const userId = options.userIdOf(user);
  const sessionId = user === null ? null : ((request as { sessionID?: unknown }).sessionID as string | undefined) ?? null;
  const base = { user, userId, sessionId };
  const auth = (socket.handshake.auth ?? {}) as Record<string, unknown>;
  const fromPage = auth.room;
  const stored = auth.storedRoom;
  const given = (value: unknown): boolean => value !== undefined && value !== null && value !== "";

  if (options.rooms === "unsigned") {
    const requested = given(fromPage) ? fromPage : given(stored) ? stored : socket.id;
    if (!isValidRoom(requested)) return UNSIGNED_INVALID;
    return { ...base, room: requested, issuedRoom: null };
  }
  if (given(fromPage)) {
    const checked = options.tokens.verify(fromPage);
    return checked.ok ? { ...base, room: checked.room, issuedRoom: null } : `Room refused: ${checked.reason}`;
  }
  // No room on the page: the one this browser keeps, when the server signed it for this session; else a new one.
  const binding = bindingOf(base);
  const kept = given(stored) ? options.tokens.verify(stored, binding) : null;
  if (kept?.ok) return { ...base, room: kept.room, issuedRoom: null };
  const room = randomRoomName();
  return { ...base, room, issuedRoom: options.tokens.sign(room, binding) };
}

/** Stores the identity; a recovered tab gets its missed updates only if it is still the same tab. */
function admit(socket: Socket, identity: TabIdentity, guard: RecoveryGuard | null): void {
  if (socket.recovered) {
    const previous = socket.data?.liveview as Partial<TabIdentity> | undefined;
    if (previous !== undefined && isSameTab(previous, identity)) guard?.release(socket);
    else guard?.startAfresh(socket, newPid());
  }
  socket.data.liveview = identity;
}

/** Same room, and either anonymous then and now, or the same user in the same session (not logged out since). */
function isSameTab(previous: Partial<TabIdentity>, now: TabIdentity): boolean {
  if (previous.room !== now.room) return false;
  if ((previous.user ?? null) === null) return now.user === null;
  return now.user !== null && previous.userId === now.userId && previous.sessionId === now.sessionId;
}

/** A new private session id, as socket.io makes them: the browser compares it with the one it had. */
const newPid = (): string => randomBytes(15).toString("base64url");
