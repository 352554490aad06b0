/** `createLiveView(..., { uploads })`: what a file upload may be. */
export interface UploadOptions {
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

export interface UploadLimits {
  maxFileBytes: number;
  maxFiles: number;
  allowedTypes: string[] | null;
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_FILES = 10;

export function resolveUploadLimits(options: UploadOptions = {}): UploadLimits {
  return {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxFiles: options.maxFiles ?? DEFAULT_MAX_FILES,
    allowedTypes: options.allowedTypes?.length ? options.allowedTypes : null,
  };
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
