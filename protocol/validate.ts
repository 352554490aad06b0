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
const MAX_DEPTH = 16;
const MAX_ID = 128;

export type ValidationResult = { ok: true; call: CallMessage } | { ok: false; error: string };

/** An object made by JSON.parse or a literal: binary data (Buffer, ArrayBuffer) and class instances are not. */
const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
};

/** Returns the first problem found in a JSON value, or null. The path is only spelled out for a problem. */
function findProblem(value: unknown, where: () => string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${where()} is nested too deeply`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (isScalar(item)) continue;
      const problem = findProblem(item, () => `${where()}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (isPlainObject(value)) {
    for (const key in value) {
      if (FORBIDDEN_KEYS.has(key)) return `${where()} has the forbidden key "${key}"`;
      const item = value[key];
      if (isScalar(item)) continue;
      const problem = findProblem(item, () => `${where()}.${key}`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (isScalar(value)) return null;
  const type = typeof value;
  return `${where()} holds a value that is not JSON (${type === "object" ? "binary data or an instance" : type})`;
}

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === "string" || typeof value === "number" || typeof value === "boolean";

function checkRecord(value: unknown, name: string): string | null {
  if (value === undefined) return null;
  if (!isPlainObject(value)) return `"${name}" must be an object`;
  return findProblem(value, () => name, 0);
}

const optionalString = (value: unknown): value is string | null | undefined =>
  value === undefined || value === null || typeof value === "string";

/**
 * Checks an untrusted call message and returns a normalised copy.
 *
 * ```ts
 * const result = validateCall(JSON.parse(raw));
 * if (!result.ok) reply({ error: result.error });
 * ```
 */
export function validateCall(message: unknown): ValidationResult {
  if (!isPlainObject(message)) return { ok: false, error: "Invalid message: expected an object" };
  const name = message.function;
  if (typeof name !== "string" || name.length === 0) {
    return { ok: false, error: 'Invalid message: "function" must be a non-empty string' };
  }
  if (name.length > MAX_FUNCTION_NAME) return { ok: false, error: 'Invalid message: "function" is too long' };
  for (const key of Object.keys(message)) {
    if (FORBIDDEN_KEYS.has(key)) return { ok: false, error: `Invalid message: forbidden key "${key}"` };
  }
  const problem = checkRecord(message.data, "data") ?? checkRecord(message.form, "form");
  if (problem) return { ok: false, error: `Invalid message: ${problem}` };
  if (!optionalString(message.id) || (message.id?.length ?? 0) > MAX_ID) {
    return { ok: false, error: `Invalid message: "id" must be a string of at most ${MAX_ID} characters` };
  }
  if (!optionalString(message.lang)) return { ok: false, error: 'Invalid message: "lang" must be a string' };
  if (!optionalString(message.room)) return { ok: false, error: 'Invalid message: "room" must be a string' };
  const uploads = checkUploads(message.uploads);
  if (typeof uploads === "string") return { ok: false, error: `Invalid message: ${uploads}` };
  return {
    ok: true,
    call: {
      ...(uploads ? { uploads } : {}),
      id: message.id ?? "",
      function: name,
      data: (message.data ?? {}) as Record<string, JsonValue>,
      form: (message.form ?? {}) as Record<string, JsonValue>,
      lang: message.lang ?? null,
      room: message.room ?? null,
    },
  };
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
  const { uploadId, field, name, type, size, count } = value;
  if (typeof uploadId !== "string" || !UPLOAD_ID_PATTERN.test(uploadId)) return { ok: false, error: "Invalid upload: bad id" };
  if (typeof field !== "string" || field.length === 0 || field.length > 200 || FORBIDDEN_KEYS.has(field)) {
    return { ok: false, error: "Invalid upload: bad field name" };
  }
  if (typeof name !== "string" || name.length > 255) return { ok: false, error: "Invalid upload: bad file name" };
  if (typeof type !== "string" || type.length > 255) return { ok: false, error: "Invalid upload: bad type" };
  if (!Number.isSafeInteger(size) || (size as number) < 0) return { ok: false, error: "Invalid upload: bad size" };
  if (!Number.isSafeInteger(count) || (count as number) < 1) return { ok: false, error: "Invalid upload: bad count" };
  return { ok: true, start: { uploadId, field, name, type, size: size as number, count: count as number } };
}
