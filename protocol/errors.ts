/** Error codes carried in `update.code`; the text in `update.error` is for people. */
export const ERROR_CODES = {
  unknownFunction: "unknown_function",
  handlerError: "handler_error",
  invalidMessage: "invalid_message",
  tooLarge: "too_large",
  cancelled: "cancelled",
  unknownEvent: "unknown_event",
  overloaded: "overloaded",
  uploadRejected: "upload_rejected",
  /** Too many calls from one tab in a short time (`createLiveView({ rateLimit })`). */
  rateLimited: "rate_limited",
  /** A call's data or form nested deeper than `maxPayloadDepth`. */
  tooDeep: "too_deep",
  /** A call's data and form with more keys and items than `maxPayloadKeys`. */
  tooManyKeys: "too_many_keys",
  /** An upload over a per-tab or per-process limit. */
  uploadLimit: "upload_limit",
  /** The browser waited `callTimeoutMs` (while connected) for a call's ack and gave up on it. */
  timeout: "timeout",
  /** A `defineHandler` schema refused the call's data or form: `update.fields` names each failing field. */
  invalidInput: "invalid_input",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export const unknownFunctionMessage = (name: string): string => `Unknown function: ${name}`;
export const handlerErrorMessage = (detail: string): string => `Handler error: ${detail}`;
