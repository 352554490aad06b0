// The package as a user gets it: `npm pack` of this repo (already built by `npm test`), installed from the
// tarball into a fresh app in a temp folder. Dependencies come from npm's cache when it has them.
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "./processes";

const run = promisify(execFile);
const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export interface Command {
  stdout: string;
  stderr: string;
}

/** Runs a command in `cwd`; a failure throws with everything it printed. */
export async function exec(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Command> {
  try {
    return await run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const failed = error as Error & Partial<Command>;
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${failed.stdout ?? ""}\n${failed.stderr ?? failed.message}`);
  }
}

/** Packs the repo without running its build again (dist/ is fresh: `npm test` builds first). Returns the .tgz path. */
export async function packRepo(into: string): Promise<string> {
  const { stdout } = await exec(NPM, ["pack", "--ignore-scripts", "--json", "--pack-destination", into], REPO_ROOT);
  const [{ filename }] = JSON.parse(stdout) as Array<{ filename: string }>;
  return path.join(into, filename);
}

/** The version range the repo itself uses for a package, so the fresh app gets what our tests run against. */
export function repoRange(name: string): string {
  const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const range = manifest.dependencies?.[name] ?? manifest.devDependencies?.[name];
  if (!range) throw new Error(`${name} is not a dependency of the repo`);
  return range;
}

export interface FreshApp {
  dir: string;
  write(file: string, text: string): void;
  remove(): void;
}

/** A temp folder with a package.json; `install` adds the tarball and the given packages (name@range). */
export async function freshApp(tarball: string, packages: string[], manifest: object = {}): Promise<FreshApp> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "liveview-app-"));
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "fresh-app", version: "1.0.0", private: true, ...manifest }, null, 2));
  await exec(NPM, ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", tarball, ...packages], dir);
  return {
    dir,
    write(file, text) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
