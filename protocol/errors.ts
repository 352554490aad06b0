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
  /** A file over its handler's size or count, or past the pending-upload caps of the tab or the process. */
  uploadLimit: "upload_limit",
} as const;

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

export const unknownFunctionMessage = (name: string): string => `Unknown function: ${name}`;
export const handlerErrorMessage = (detail: string): string => `Handler error: ${detail}`;
