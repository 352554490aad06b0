import { ERROR_CODES, type ErrorCode } from "./errors.js";
import type { CallMessage, JsonValue } from "./messages.js";
import type { UploadStart } from "./uploads.js";

/** Rooms: letters, digits, `-` and `_`, 1 to 128 characters. */
export const ROOM_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const isValidRoom = (room: unknown): room is string => typeof room === "string" && ROOM_PATTERN.test(room);

/** Tab ids (one per page load, sent in the handshake as `auth.tab`): the same characters and length as rooms. */
export const isValidTab = (tab: unknown): tab is string => typeof tab === "string" && ROOM_PATTERN.test(tab);

/** Keys that could reach an object's prototype if a handler merged the content into another object. */
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

const MAX_FUNCTION_NAME = 200;
const MAX_ID = 128;

/**
 * Limits on the shape of a call's `data`, `form` and `params` (`createLiveView({ maxPayloadDepth, maxPayloadKeys })`).
 * `maxDepth`: levels of objects and arrays, `data`, `form` or `params` itself being the first. `maxKeys`: object keys
 * and array items of the three together, nested ones included (`{ tags: ["a", "b"] }` counts 3).
 */
export interface PayloadLimits {
  maxDepth: number;
  maxKeys: number;
}

export const DEFAULT_PAYLOAD_LIMITS: Readonly<PayloadLimits> = { maxDepth: 32, maxKeys: 1000 };

export type ValidationResult = { ok: true; call: CallMessage } | { ok: false; error: string; code: ErrorCode };

/** An object made by JSON.parse or a literal: binary data (Buffer, ArrayBuffer) and class instances are not. */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";

// The walk's scratch state. Validation is synchronous, so one set serves every call, and the happy path allocates
// nothing: no path strings, no closures. Once a problem is found, the path is built while the recursion unwinds.
const NONE = 0;
const TOO_DEEP = 1;
const TOO_MANY_KEYS = 2;
const FORBIDDEN_KEY = 3;
const NOT_JSON = 4;
let depthLimit = 0;
let keysLeft = 0;
let problem = NONE;
let problemDetail = "";
const problemPath: string[] = [];

const fail = (kind: number, detail: string): false => {
  problem = kind;
  problemDetail = detail;
  problemPath.length = 0;
  return false;
};

/** Checks one item of an array or object; false (with the problem noted) when it breaks a rule. */
function checkItem(item: unknown, depth: number): boolean {
  if (--keysLeft < 0) return fail(TOO_MANY_KEYS, "");
  if (isScalar(item)) return true;
  if (Array.isArray(item) || isPlainObject(item)) return walk(item, depth + 1);
  const type = typeof item;
  return fail(NOT_JSON, type === "object" ? "binary data or an instance" : type);
}

/** Walks an array or plain object at `depth` (data, form and params are depth 1). */
function walk(value: unknown[] | Record<string, unknown>, depth: number): boolean {
  if (depth > depthLimit) return fail(TOO_DEEP, "");
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (checkItem(value[i], depth)) continue;
      if (problem !== TOO_MANY_KEYS) problemPath.push(`[${i}]`);
      return false;
    }
    return true;
  }
  for (const key in value) {
    if (FORBIDDEN_KEYS.has(key)) return fail(FORBIDDEN_KEY, key);
    if (checkItem(value[key], depth)) continue;
    if (problem !== TOO_MANY_KEYS) problemPath.push(`.${key}`);
    return false;
  }
  return true;
}

/** The error of the problem the walk of `name` found. */
function walkError(name: string, limits: PayloadLimits): { ok: false; error: string; code: ErrorCode } {
  const where = name + problemPath.reverse().join("");
  problemPath.length = 0;
  switch (problem) {
    case TOO_DEEP:
      return invalid(`${where} is nested too deeply (at most ${limits.maxDepth} levels)`, ERROR_CODES.tooDeep);
    case TOO_MANY_KEYS:
      return invalid(`data, form and params hold too many keys (at most ${limits.maxKeys} keys and items)`, ERROR_CODES.tooManyKeys);
    case FORBIDDEN_KEY:
      return invalid(`${where} has the forbidden key "${problemDetail}"`);
    default:
      return invalid(`${where} holds a value that is not JSON (${problemDetail})`);
  }
}

const invalid = (problemText: string, code: ErrorCode = ERROR_CODES.invalidMessage) =>
  ({ ok: false, error: `Invalid message: ${problemText}`, code }) as const;

const optionalString = (value: unknown): value is string | null | undefined =>
  value === undefined || value === null || typeof value === "string";

/**
 * Checks an untrusted call message and returns a normalised copy (`data`, `form` and `params` always objects); an
 * error says what is wrong, with a code
 * (`too_deep`, `too_many_keys`, else `invalid_message`).
 *
 * ```ts
 * const result = validateCall(JSON.parse(raw), { maxDepth: 32, maxKeys: 1000 });
 * if (!result.ok) reply({ error: result.error, code: result.code });
 * ```
 */
export function validateCall(message: unknown, limits: PayloadLimits = DEFAULT_PAYLOAD_LIMITS): ValidationResult {
  if (!isPlainObject(message)) return invalid("expected an object");
  const name = message.function;
  if (typeof name !== "string" || name.length === 0) return invalid('"function" must be a non-empty string');
  if (name.length > MAX_FUNCTION_NAME) return invalid('"function" is too long');
  for (const key in message) {
    if (FORBIDDEN_KEYS.has(key)) return invalid(`forbidden key "${key}"`);
  }
  const { data, form, params } = message;
  if (data !== undefined && !isPlainObject(data)) return invalid('"data" must be an object');
  if (form !== undefined && !isPlainObject(form)) return invalid('"form" must be an object');
  if (params !== undefined && !isPlainObject(params)) return invalid('"params" must be an object');
  depthLimit = limits.maxDepth;
  keysLeft = limits.maxKeys;
  problem = NONE;
  if (data !== undefined && !walk(data, 1)) return walkError("data", limits);
  if (form !== undefined && !walk(form, 1)) return walkError("form", limits);
  if (params !== undefined && !walk(params, 1)) return walkError("params", limits);
  if (!optionalString(message.id) || (message.id?.length ?? 0) > MAX_ID) {
    return invalid(`"id" must be a string of at most ${MAX_ID} characters`);
  }
  if (!optionalString(message.lang)) return invalid('"lang" must be a string');
  if (!optionalString(message.room)) return invalid('"room" must be a string');
  const uploads = checkUploads(message.uploads);
  if (typeof uploads === "string") return invalid(uploads);
  const call: CallMessage = {
    id: message.id ?? "",
    function: name,
    data: (data ?? {}) as Record<string, JsonValue>,
    form: (form ?? {}) as Record<string, JsonValue>,
    params: (params ?? {}) as Record<string, JsonValue>,
    lang: message.lang ?? null,
    room: message.room ?? null,
  };
  if (uploads) call.uploads = uploads;
  return { ok: true, call };
}

const UPLOAD_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** `uploads` maps input names to lists of upload ids; returns the problem as a string. */
function checkUploads(value: unknown): Record<string, string[]> | undefined | string {
  if (value === undefined) return undefined;
  if (!isPlainObject(value)) return '"uploads" must be an object';
  for (const [field, ids] of Object.entries(value)) {
    if (FORBIDDEN_KEYS.has(field)) return `"uploads" has the forbidden key "${field}"`;
    if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string" && UPLOAD_ID_PATTERN.test(id))) {
      return `"uploads.${field}" must be a list of upload ids`;
    }
  }
  return value as Record<string, string[]>;
}

/** Checks an untrusted upload announcement. */
export function validateUploadStart(value: unknown): { ok: true; start: UploadStart } | { ok: false; error: string } {
  if (!isPlainObject(value)) return { ok: false, error: "Invalid upload: expected an object" };
  const { uploadId, function: fn, field, name, type, size, count } = value;
  if (typeof uploadId !== "string" || !UPLOAD_ID_PATTERN.test(uploadId)) return { ok: false, error: "Invalid upload: bad id" };
  if (typeof fn !== "string" || fn.length === 0 || fn.length > MAX_FUNCTION_NAME) {
    return { ok: false, error: 'Invalid upload: "function" must name the handler the file is for' };
  }
  if (typeof field !== "string" || field.length === 0 || field.length > 200 || FORBIDDEN_KEYS.has(field)) {
    return { ok: false, error: "Invalid upload: bad field name" };
  }
  if (typeof name !== "string" || name.length > 255) return { ok: false, error: "Invalid upload: bad file name" };
  if (typeof type !== "string" || type.length > 255) return { ok: false, error: "Invalid upload: bad type" };
  if (!Number.isSafeInteger(size) || (size as number) < 0) return { ok: false, error: "Invalid upload: bad size" };
  if (!Number.isSafeInteger(count) || (count as number) < 1) return { ok: false, error: "Invalid upload: bad count" };
  return { ok: true, start: { uploadId, function: fn, field, name, type, size: size as number, count: count as number } };
}
