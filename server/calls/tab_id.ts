import type { Socket } from "socket.io";
import { isValidTab } from "../../protocol/index.js";

const INVALID_TAB = "Invalid tab: use 1 to 128 letters, digits, '-' or '_'";

const requested = (socket: Socket): unknown => (socket.handshake.auth as { tab?: unknown } | undefined)?.tab;
const absent = (tab: unknown): boolean => tab === undefined || tab === null || tab === "";

/**
 * The tab a socket belongs to: the id its page made once per load and sends in the handshake (`auth.tab`), so
 * the sockets of one page, before and after a reconnection, share their call ids. A client that sends none (a
 * Node client, an older bundle) is a tab of its own socket: its resends are recognised while socket.io recovers
 * its connection (which keeps the socket id), not after a fresh one.
 */
export function tabIdOf(socket: Socket): string {
  const tab = requested(socket);
  return isValidTab(tab) ? tab : socket.id;
}

/** For the handshake: why a socket that names an invalid tab is refused, else null. */
export function tabProblem(socket: Socket): string | null {
  const tab = requested(socket);
  return absent(tab) || isValidTab(tab) ? null : INVALID_TAB;
}
