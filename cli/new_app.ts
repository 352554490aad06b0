import { cpSync, existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** The scaffold's files, shipped in the package beside dist/. */
export const SCAFFOLD_DIR = path.join(__dirname, "..", "..", "..", "scaffold", "app");

/** Words in the scaffold's text files replaced by the app's values. */
const PLACEHOLDERS = { name: "__APP_NAME__", version: "__LIVEVIEW_VERSION__" } as const;

/** npm's rule for a new package name: lowercase, URL-safe, at most 214 characters, not starting with . or _. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

export interface NewAppOptions {
  /** Folder to create, relative to `cwd`; its last part is the app's name. */
  folder: string;
  cwd: string;
  /** express-liveview's version, for the app's dependency range. */
  version: string;
}

/**
 * Writes a working app into a new (or empty) folder: server, one handler, one template, a layout, a handler test
 * and a README with the two commands. Returns the folder's absolute path. Throws a clear error for a bad name or a
 * folder that already holds files.
 *
 * ```ts
 * newApp({ folder: "my-app", cwd: process.cwd(), version: "0.1.0" }); // then: cd my-app && npm install && npm start
 * ```
 */
export function newApp(options: NewAppOptions): string {
  const dir = path.resolve(options.cwd, options.folder);
  const name = path.basename(dir);
  if (name.length > 214 || !PACKAGE_NAME.test(name)) {
    throw new Error(`"${name}" is not a valid npm package name: use lowercase letters, digits, "-", "." or "_" (e.g. my-app)`);
  }
  if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0)) {
    throw new Error(`${dir} already exists and is not empty: choose another name`);
  }
  cpSync(SCAFFOLD_DIR, dir, { recursive: true });
  // npm leaves .gitignore files out of a package, so the scaffold ships it without its dot.
  renameSync(path.join(dir, "gitignore"), path.join(dir, ".gitignore"));
  for (const file of listFiles(dir)) {
    const text = readFileSync(file, "utf8");
    const filled = text.replaceAll(PLACEHOLDERS.name, name).replaceAll(PLACEHOLDERS.version, options.version);
    if (filled !== text) writeFileSync(file, filled);
  }
  return dir;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full) : [full];
  });
}
