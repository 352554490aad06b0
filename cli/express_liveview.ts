#!/usr/bin/env node
// The package's command: `npx express-liveview new my-app`.
import { readFileSync } from "node:fs";
import path from "node:path";
import { newApp } from "./new_app.js";

const USAGE = `Usage: express-liveview new <folder>

Writes a working express-liveview app into <folder> (a new or empty folder):
a server, one handler, one template, a layout, a handler test and a README.
Then: cd <folder> && npm install && npm start`;

function packageVersion(): string {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "..", "..", "package.json"), "utf8")) as { version: string };
  return manifest.version;
}

/** Runs the command with `args` (without node and the script); returns the exit code. */
export function main(args: string[], cwd = process.cwd()): number {
  const [command, folder, ...rest] = args;
  if (command === undefined || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command === undefined ? 1 : 0;
  }
  if (command !== "new" || folder === undefined || folder.startsWith("-") || rest.length > 0) {
    console.error(command === "new" ? "express-liveview new: give one folder name, e.g. my-app\n" : `Unknown command: ${command}\n`);
    console.error(USAGE);
    return 1;
  }
  try {
    const dir = newApp({ folder, cwd, version: packageVersion() });
    const shown = path.relative(cwd, dir) || ".";
    console.log(`Created ${dir}\n\nNext:\n  cd ${shown}\n  npm install && npm start   # http://localhost:3000\n  npm test`);
    return 0;
  } catch (error) {
    console.error(`express-liveview new: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
