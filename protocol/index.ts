export { LIVEVIEW_EVENT, INTERNAL_EVENT_PREFIX, READY_EVENT, OVERSIZED_EVENT, DEFAULT_PATH, DOM_EVENTS } from "./events.js";
export type { JsonValue, FormValue, FormValues, CallMessage, CallContent, CallAck, Update } from "./messages.js";
export { ERROR_CODES, unknownFunctionMessage, handlerErrorMessage } from "./errors.js";
export type { ErrorCode } from "./errors.js";
export { ATTRIBUTES, DATASET_PREFIX, CLASSES, NO_CONNECTION_ID, STORAGE_KEYS, RECONNECT_DEFAULTS } from "./attributes.js";
export type { ReconnectOptions } from "./attributes.js";
export { ROOM_PATTERN, isValidRoom, validateCall } from "./validate.js";
export type { ValidationResult } from "./validate.js";
