import { readdirSync, statSync, type Dirent } from "node:fs";
import path from "node:path";

const MODULE = /\.(?:[cm]?js|[cm]?ts)$/;
const SKIPPED = /\.d\.[cm]?ts$|\.(?:test|spec)\.[^.]+$/;

/** Whether a file name is a handler module: JavaScript or TypeScript, not a declaration file nor a test. */
export const isHandlerFile = (name: string): boolean => MODULE.test(name) && !SKIPPED.test(name);

/** Folders never looked into: dot-folders (.git, .cache) and installed packages. */
export const isSkippedFolder = (name: string): boolean => name.startsWith(".") || name === "node_modules";

/** Calls `onFolder` for `dir` and each folder under it that is looked into, `onFile` for each file, in name order. */
function walk(dir: string, onFolder: (folder: string) => void, onFile: (file: string) => void): void {
  let entries: Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // removed while we looked
  }
  onFolder(dir);
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!isSkippedFolder(entry.name)) walk(full, onFolder, onFile);
    } else if (entry.isFile()) {
      onFile(full);
    }
  }
}

/** Every handler module under `dir`, recursively, as absolute paths in a stable order. */
export function listHandlerFiles(dir: string): string[] {
  const found: string[] = [];
  walk(dir, () => undefined, (file) => isHandlerFile(path.basename(file)) && found.push(file));
  return found;
}

/** `dir` and every folder under it that handler modules are looked for in. */
export function listHandlerFolders(dir: string): string[] {
  const found: string[] = [];
  walk(dir, (folder) => found.push(folder), () => undefined);
  return found;
}

/** What changes when a file is written: its modification time and size; null when it is gone. */
export function stampOf(file: string): string | null {
  try {
    const stats = statSync(file);
    return `${stats.mtimeMs}:${stats.size}`;
  } catch {
    return null;
  }
}
