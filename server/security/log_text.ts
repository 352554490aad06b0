/** Longest piece of client text a log line carries; the rest is counted, not written. */
export const MAX_LOGGED_TEXT = 200;

// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the bidirectional overrides and isolates
// (which can make a log line read differently from what it holds).
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const escapeOne = (char: string): string => {
  switch (char) {
    case "\n":
      return "\\n";
    case "\r":
      return "\\r";
    case "\t":
      return "\\t";
    default:
      return `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`;
  }
};

/**
 * Client-supplied text (function, event and room names, error texts built from them) made safe for a log line:
 * control characters escaped, so nobody can end our line and forge the next one, and cut at `max` characters.
 * Every log line that carries client text goes through it.
 *
 * ```ts
 * logger.warn(`[liveview] socket ${socket.id}: ${logText(message)}`);
 * ```
 */
export function logText(value: unknown, max = MAX_LOGGED_TEXT): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    text = "(a value that cannot be printed)";
  }
  const cut = text.length > max ? text.slice(0, max) : text;
  UNSAFE.lastIndex = 0;
  const safe = UNSAFE.test(cut) ? cut.replace(UNSAFE, escapeOne) : cut;
  return cut === text ? safe : `${safe}... (${text.length - max} more characters)`;
}
