import {
  ERROR_CODES,
  handlerErrorMessage,
  unknownFunctionMessage,
  type ErrorCode,
  type Update,
} from "../../protocol/index.js";
import { isProduction } from "../logger.js";

/** Error update for a call to a name nobody registered. */
export function unknownFunctionUpdate(name: string, available: () => string[]): Update {
  const update: Update = { error: unknownFunctionMessage(name), function: name, code: ERROR_CODES.unknownFunction };
  if (!isProduction()) update.availableFunctions = available();
  return update;
}

/** Error update for a handler or middleware that threw; the detail stays in the log in production. */
export function handlerErrorUpdate(name: string, error: unknown): Update {
  const detail = isProduction() ? "the server could not complete this action" : describeError(error);
  return { error: handlerErrorMessage(detail), function: name, code: ERROR_CODES.handlerError };
}

export function errorUpdate(code: ErrorCode, message: string): Update {
  return { error: message, code };
}

export function describeError(error: unknown): string {
  // Anything can be thrown, including values String() cannot convert (Object.create(null)); this must not throw.
  try {
    if (error instanceof Error) return String(error.message);
    return String(error);
  } catch {
    return "an error that cannot be printed";
  }
}
