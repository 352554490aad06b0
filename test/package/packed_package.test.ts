// express-liveview as a user installs it: the `npm pack` tarball in a fresh app, no TypeScript paths, no source.
// The client entry must load with `require` (jest's default CommonJS mode; TypeScript's node10 resolution) as
// well as `import`, and a one-process app must not need the optional `redis` package.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { exec, freshApp, packRepo, repoRange, type FreshApp } from "../support/packed";
import { REPO_ROOT, spawnChild } from "../support/processes";

jest.setTimeout(240_000);

const bin = (name: string): string => path.join(REPO_ROOT, "node_modules", ".bin", name);
let packDir: string;
let app: FreshApp;

beforeAll(async () => {
  packDir = mkdtempSync(path.join(os.tmpdir(), "liveview-pack-"));
  const tarball = await packRepo(packDir);
  app = await freshApp(tarball, [`@hotwired/stimulus@${repoRange("@hotwired/stimulus")}`, `@types/node@${repoRange("@types/node")}`]);
});

afterAll(() => {
  app?.remove();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

// A server of the fresh app: one handler, printing its port once it listens.
const SERVER = `
const http = require("node:http");
const { createLiveView, liveviewHandler, send } = require("express-liveview");
liveviewHandler("say_hello", (consumer, content) => {
  send(consumer, { target: "#greeting", html: "Hello, " + content.form.name });
});
const server = http.createServer();
createLiveView(server);
server.listen(0, "127.0.0.1", () => console.log("PORT " + server.address().port));
`;

describe("express-liveview/client from CommonJS", () => {
  it("runs a call in jest's default mode: require(), Stimulus's page controller, the answer in the DOM", async () => {
    app.write("server.js", SERVER);
    app.write(
      "test/page.test.js",
      `
const { Application } = require("@hotwired/stimulus");
const { PageController, connectLiveView } = require("express-liveview/client");

test("a click sends the form and shows the answer", async () => {
  document.body.innerHTML = \`
    <form data-controller="page"><input name="name" value="Ada">
      <button type="button" data-liveview-function="say_hello" data-action="click->page#run">Hi</button></form>
    <p id="greeting"></p>\`;
  const live = connectLiveView(); // the page's own host, as in a browser
  Application.start().register("page", PageController);
  await new Promise((resolve, reject) => {
    document.addEventListener("liveview:connected", resolve, { once: true });
    document.addEventListener("liveview:disconnected", (event) => reject(new Error(String(event.detail.reason))), { once: true });
  });
  document.querySelector("button").click();
  await new Promise((resolve) => {
    const seen = () => (document.getElementById("greeting").textContent ? resolve() : setTimeout(seen, 10));
    seen();
  });
  expect(document.getElementById("greeting").textContent).toBe("Hello, Ada");
  expect(live.getConnectionStatus()).toBe("connected");
  live.disconnect?.();
});
`,
    );
    const server = spawnChild(process.execPath, ["server.js"], {}, app.dir);
    try {
      const [, port] = await server.waitFor(/PORT (\d+)/);
      const jsdom = path.join(REPO_ROOT, "node_modules", "jest-environment-jsdom");
      const config = JSON.stringify({ testEnvironment: jsdom, transform: {}, testEnvironmentOptions: { url: `http://127.0.0.1:${port}/` } });
      const result = await exec(bin("jest"), ["--rootDir", app.dir, "--config", config, "--forceExit"], app.dir);
      expect(result.stderr).toMatch(/1 passed/);
    } finally {
      await server.stop();
    }
  });
});

// Types as a user's compiler sees them: strict, the libraries' own declarations checked too (no skipLibCheck).
const USES = `
import { PageController, connectLiveView } from "express-liveview/client";
import { createLiveView, defineHandler, send } from "express-liveview";
import type { Update } from "express-liveview/protocol";
import { testPage, waitForLiveView } from "express-liveview/testing";

const live = connectLiveView({ debug: false });
const pending: number = live.getPendingCalls();
// @ts-expect-error not an option: the types are real, not \`any\`
connectLiveView({ notAnOption: true });
const update: Update = { target: "#x", html: "<b>x</b>" };
export { PageController, createLiveView, defineHandler, send, testPage, waitForLiveView, pending, update };
`;

const compilerOptions = (module: string, moduleResolution: string) => ({
  compilerOptions: { module, moduleResolution, target: "ES2022", lib: ["ES2022", "DOM", "DOM.Iterable"], strict: true, noEmit: true, types: ["node"] },
});

describe("the published types", () => {
  it.each([
    ["node10 (moduleResolution node, CommonJS)", "commonjs", "node", ["uses.ts"]],
    ["nodenext, from a CommonJS file and an ES module", "nodenext", "nodenext", ["uses.ts", "uses.mts"]],
    ["bundler", "esnext", "bundler", ["uses.ts"]],
  ])("type-check an app's imports of every entry with %s", async (_name, module, resolution, files) => {
    for (const file of files) app.write(`types/${file}`, USES);
    const config = `types/tsconfig.${resolution}.json`;
    app.write(config, JSON.stringify({ ...compilerOptions(module, resolution), files }));
    const result = await exec(bin("tsc"), ["-p", path.join(app.dir, config)], app.dir).catch((error: Error) => error);
    expect(result instanceof Error ? result.message : "").toBe("");
  });
});

describe("redis, an optional peer dependency", () => {
  it("is not installed with the package, and a one-process app starts without it", async () => {
    app.write(
      "one_process.js",
      `
const http = require("node:http");
const { createLiveView } = require("express-liveview");
const server = http.createServer();
const liveview = createLiveView(server, { secret: "x".repeat(32) });
server.listen(0, "127.0.0.1", async () => {
  console.log("STARTED", Object.keys(require.cache).some((file) => file.includes("/node_modules/redis/") || file.includes("/@redis/")));
  await liveview.close();
  server.close();
});
`,
    );
    await expect(exec(process.execPath, ["-e", "require.resolve('redis')"], app.dir)).rejects.toThrow(/Cannot find module 'redis'/);
    const { stdout } = await exec(process.execPath, ["one_process.js"], app.dir);
    expect(stdout.trim()).toBe("STARTED false");
  });

  it("names the package to install when the redis option is used without it", async () => {
    app.write(
      "with_redis.js",
      `
const http = require("node:http");
const { createLiveView } = require("express-liveview");
try {
  createLiveView(http.createServer(), { secret: "x".repeat(32), redis: "redis://127.0.0.1:6379" });
  console.log("NO ERROR");
} catch (error) {
  console.log(error.message);
}
`,
    );
    const { stdout } = await exec(process.execPath, ["with_redis.js"], app.dir);
    expect(stdout.trim()).toBe('[liveview] The `redis` option with a URL needs the package "redis", which is not installed: npm install redis');
  });
});
