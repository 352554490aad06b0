/** What a file may be: a handler's own limits (`liveviewHandler(name, fn, { uploads })`), or the defaults. */
export interface HandlerUploadOptions {
  /** Largest file in bytes. Default 10 MB. */
  maxFileBytes?: number;
  /** Most files in one call. Default 10. */
  maxFiles?: number;
  /**
   * Types allowed, checked against the type read from the file's first bytes (not its name):
   * exact (`"image/png"`) or a family (`"image/*"`). Default: any type.
   */
  allowedTypes?: string[];
}

/**
 * `createLiveView(..., { uploads })`: the defaults of a handler that declares `uploads: true`, the ceiling of
 * every handler's own limits, and the caps on what may wait in memory before the call that takes it.
 */
export interface UploadOptions extends HandlerUploadOptions {
  /** Uploads one tab may have announced and not yet handed to a call (unfinished or finished). Default 20. */
  maxPendingUploads?: number;
  /** Bytes one tab may have announced and not yet handed to a call. Default one full call: maxFiles × maxFileBytes. */
  maxPendingBytes?: number;
  /** The same count for every tab of this server together. Default 1,000. */
  maxProcessPendingUploads?: number;
  /** The same bytes for every tab of this server together. Default 256 MB. */
  maxProcessPendingBytes?: number;
  /** How long a finished file waits for its call, and an unfinished one for its next chunk, in ms. Default 2 minutes. */
  pendingTtlMs?: number;
}

/** A handler's declaration: its own limits, or `true` for the createLiveView defaults. */
export type HandlerUploads = true | HandlerUploadOptions;

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  /** null: any type; an empty list: none (a handler's types and the server's have nothing in common). */
  allowedTypes: string[] | null;
}

export interface UploadCaps {
  maxPendingUploads: number;
  maxPendingBytes: number;
  maxProcessPendingUploads: number;
  maxProcessPendingBytes: number;
  pendingTtlMs: number;
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 10;
export const DEFAULT_MAX_PENDING_UPLOADS = 20;
export const DEFAULT_MAX_PROCESS_PENDING_UPLOADS = 1000;
export const DEFAULT_MAX_PROCESS_PENDING_BYTES = 256 * 1024 * 1024;
export const DEFAULT_PENDING_TTL_MS = 2 * 60_000;

export function resolveUploadLimits(options: HandlerUploadOptions = {}): UploadLimits {
  return {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    allowedTypes: options.allowedTypes?.length ? options.allowedTypes : null,
  };
}

export function resolveUploadCaps(options: UploadOptions = {}): UploadCaps {
  const limits = resolveUploadLimits(options);
  return {
    maxPendingUploads: options.maxPendingUploads ?? DEFAULT_MAX_PENDING_UPLOADS,
    maxPendingBytes: options.maxPendingBytes ?? limits.maxFiles * limits.maxFileBytes,
    maxProcessPendingUploads: options.maxProcessPendingUploads ?? DEFAULT_MAX_PROCESS_PENDING_UPLOADS,
    maxProcessPendingBytes: options.maxProcessPendingBytes ?? DEFAULT_MAX_PROCESS_PENDING_BYTES,
    pendingTtlMs: options.pendingTtlMs ?? DEFAULT_PENDING_TTL_MS,
  };
}

/**
 * A handler's limits within the server's: `uploads: true` takes the server's; its own may only narrow them
 * (the smaller size and count; a type both lists allow).
 */
export function handlerLimits(ceiling: UploadLimits, declared: HandlerUploads): UploadLimits {
  if (declared === true) return ceiling;
  const own = resolveUploadLimits({ maxFileBytes: ceiling.maxFileBytes, maxFiles: ceiling.maxFiles, ...declared });
  return {
    maxFileBytes: Math.min(own.maxFileBytes, ceiling.maxFileBytes),
    maxFiles: Math.min(own.maxFiles, ceiling.maxFiles),
    allowedTypes: narrowTypes(ceiling.allowedTypes, own.allowedTypes),
  };
}

/** The types both lists allow: `image/*` and `image/png` leave `image/png`. */
function narrowTypes(a: string[] | null, b: string[] | null): string[] | null {
  if (!a || !b) return a ?? b;
  const both = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (typeAllowed(y.replace(/\/\*$/, "/"), [x])) both.add(y);
      else if (typeAllowed(x.replace(/\/\*$/, "/"), [y])) both.add(x);
    }
  }
  return [...both];
}

/** True when `mime` matches one of the allowed types (`image/*` matches every image type). */
export function typeAllowed(mime: string, allowed: string[]): boolean {
  return allowed.some((pattern) => (pattern.endsWith("/*") ? mime.startsWith(pattern.slice(0, -1)) : mime === pattern));
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}
