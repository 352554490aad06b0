import path from "node:path";

/**
 * Absolute path of template `name` (with or without its extension) under `viewsDir`; names cannot leave the
 * views folder, whichever engine renders them.
 */
export function templatePath(viewsDir: string, name: string, extension: string): string {
  const file = path.resolve(viewsDir, name.endsWith(extension) ? name : name + extension);
  const relative = path.relative(viewsDir, file);
  if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`Template outside the views folder: ${name}`);
  return file;
}
