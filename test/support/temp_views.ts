import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const made: string[] = [];

/** A fresh views folder holding `files` (relative path -> content); removeTempViews() deletes them all. */
export function tempViews(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "liveview-views-"));
  made.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

export function removeTempViews(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Rewrites a template with a modification time distinct from the previous one, however coarse the clock. */
export function rewrite(file: string, content: string, secondsLater: number): void {
  writeFileSync(file, content);
  const when = new Date(Date.now() + secondsLater * 1000);
  utimesSync(file, when, when);
}
