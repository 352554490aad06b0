// Nunjucks and EJS are optional peer dependencies: never loaded unless chosen, and a clear error naming the
// package to install when chosen but missing. Runs the built package (`npm run build`) in a fresh Node, as an
// app would load it; "missing" is a Node whose resolver cannot find the package, as in an app that never installed it.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const ROOT = path.join(__dirname, "..", "..", "..");
const DIST = path.join(ROOT, "dist", "cjs", "server", "index.js");
let dir: string;
let hidePackages: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "liveview-engine-packages-"));
  writeFileSync(path.join(dir, "page.njk"), "{{ 1 + 1 }}");
  writeFileSync(path.join(dir, "page.ejs"), "<%= 1 + 1 %>");
  hidePackages = path.join(dir, "hide_packages.js");
  writeFileSync(
    hidePackages,
    `const Module = require("node:module");
const resolve = Module._resolveFilename;
const hidden = (process.env.HIDE_PACKAGES || "").split(",");
Module._resolveFilename = function (request, ...rest) {
  if (hidden.includes(request)) {
    const error = new Error("Cannot find module '" + request + "'");
    error.code = "MODULE_NOT_FOUND";
    throw error;
  }
  return resolve.call(this, request, ...rest);
};`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `script` in a fresh Node that required the package; prints what it writes to stdout. */
function run(script: string, hide: string[] = []): string {
  const program = `
    const http = require("node:http");
    const liveview = require(${JSON.stringify(DIST)});
    const loaded = () => Object.keys(require.cache).filter((f) => /node_modules\\/(nunjucks|ejs)\\//.test(f)).map((f) => f.match(/node_modules\\/(nunjucks|ejs)\\//)[1]);
    (async () => { ${script} })().then(() => process.exit(0), (e) => { process.stdout.write("FAILED " + e.message); process.exit(0); });
  `;
  return execFileSync(process.execPath, ["-r", hidePackages, "-e", program], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, HIDE_PACKAGES: hide.join(",") },
  });
}

describe("optional view engine packages", () => {
  it("loads neither Nunjucks nor EJS with the package, nor with the default engine", () => {
    const out = run(`
      const before = loaded();
      const live = liveview.createLiveView(http.createServer(), { secret: "test-secret-of-32-characters-long", views: ${JSON.stringify(dir)} });
      await live.close();
      process.stdout.write(JSON.stringify({ before, after: loaded() }));
    `);
    expect(JSON.parse(out)).toEqual({ before: [], after: [] });
  });

  it.each([
    ["njk", "nunjucks"],
    ["ejs", "ejs"],
  ])("loads the %s engine's package only when it is chosen", (engine, pkg) => {
    const out = run(`
      const live = liveview.createLiveView(http.createServer(), { secret: "test-secret-of-32-characters-long", views: ${JSON.stringify(dir)}, engine: "${engine}" });
      process.stdout.write(JSON.stringify({ loaded: [...new Set(loaded())], html: liveview.renderToString("page") }));
      await live.close();
    `);
    expect(JSON.parse(out)).toEqual({ loaded: [pkg], html: "2" });
  });

  it.each([
    ["njk", "Nunjucks", "nunjucks"],
    ["ejs", "EJS", "ejs"],
  ])("says which package to install when the %s engine's is missing", (engine, title, pkg) => {
    const out = run(`liveview.createLiveView(http.createServer(), { secret: "test-secret-of-32-characters-long", views: ${JSON.stringify(dir)}, engine: "${engine}" });`, [pkg]);
    expect(out).toBe(
      `FAILED [liveview] The "${engine}" view engine (${title}) needs the package "${pkg}", which is not installed: npm install ${pkg}`,
    );
  });

  it("keeps the default engine working when neither package is installed", () => {
    const out = run(
      `const live = liveview.createLiveView(http.createServer(), { secret: "test-secret-of-32-characters-long", views: ${JSON.stringify(path.join(ROOT, "test", "fixtures", "views"))} });
       process.stdout.write(liveview.renderToString("message", { text: "hi" }).trim()); await live.close();`,
      ["nunjucks", "ejs"],
    );
    expect(out).toBe('<p class="message">hi</p>');
  });
});
