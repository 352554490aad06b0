import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Socket } from "socket.io-client";
import { LIVEVIEW_EVENT, type Update } from "../../protocol/index";
import { call, closeClients, connectClient } from "../support/client";
import { eventually, REPO_ROOT, spawnChild, type Child } from "../support/processes";
import { TEST_SECRET } from "../support/server";

// Each server is its own process on the built package (run `npm run build` first), serving a temp folder of real
// handler files: CommonJS, TypeScript (the process runs under tsx, as `npm start` does) and ES modules.
const DIST = path.join(REPO_ROOT, "dist", "cjs", "server", "index.js");
const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "handlers_folder_node.ts");
const TSX = path.join(REPO_ROOT, "node_modules", "tsx", "dist", "loader.mjs");
/** Loading, reloading and watching take real processes and files: wait for each outcome generously. */
const PATIENCE_MS = 20_000;

const tempDirs: string[] = [];
const children: Child[] = [];

/** A temp app folder holding `files` (relative path -> content). */
function appFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "liveview-handlers-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) write(dir, name, content);
  return dir;
}

function write(dir: string, name: string, content: string): void {
  mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  writeFileSync(path.join(dir, name), content);
}

/** A CommonJS handler file registering each name, answering `#out` with its text. */
const cjsHandlers = (answers: Record<string, string>): string =>
  [
    `const { liveviewHandler, send } = require(${JSON.stringify(DIST)});`,
    ...Object.entries(answers).map(
      ([name, text]) => `liveviewHandler(${JSON.stringify(name)}, (consumer) => send(consumer, { target: "#out", html: ${JSON.stringify(text)} }));`,
    ),
    "",
  ].join("\n");

interface Server {
  child: Child;
  url: string;
}

async function startServer(dir: string, env: Record<string, string> = {}): Promise<Server> {
  if (!existsSync(DIST)) throw new Error("dist/cjs is missing: run `npm run build` before this test");
  const child = spawnChild(process.execPath, ["--import", TSX, FIXTURE], { TEST_SECRET, NODE_ENV: "development", ...env }, dir);
  children.push(child);
  const [, port] = await child.waitFor(/LISTENING (\d+)/, PATIENCE_MS);
  return { child, url: `http://127.0.0.1:${port}` };
}

/** What a call answers: the html of its update, or "unknown" for a name nobody registered (or the error). */
async function answer(socket: Socket, name: string): Promise<string> {
  if (!socket.connected) throw new Error("the socket was disconnected");
  const updates: Update[] = [];
  const listener = (update: Update) => updates.push(update);
  socket.on(LIVEVIEW_EVENT, listener);
  const ack = await call(socket, name);
  socket.off(LIVEVIEW_EVENT, listener);
  // A handler's updates travel before its ack, in the same write.
  if (ack.ok) return String(updates.find((update) => update.target === "#out")?.html);
  return updates.some((update) => update.code === "unknown_function") ? "unknown" : `error: ${ack.error}`;
}

async function answersEventually(socket: Socket, name: string, expected: string): Promise<void> {
  let last = "";
  await eventually(async () => (last = await answer(socket, name)) === expected, PATIENCE_MS).catch(() => {
    throw new Error(`"${name}" kept answering ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
  });
}

async function watchers(server: Server): Promise<number> {
  const response = await fetch(`${server.url}/watchers`);
  return ((await response.json()) as { watchers: number }).watchers;
}

afterAll(async () => {
  closeClients();
  await Promise.all(children.map((child) => child.stop()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("a handlers folder, outside production", () => {
  let dir: string;
  let server: Server;
  let socket: Socket;
  let disconnects = 0;

  beforeAll(async () => {
    dir = appFolder({
      // Loaded first (files load in name order), and held until the test creates `release`.
      "handlers/aa_slow.mjs": [
        `import { existsSync } from "node:fs";`,
        `import { liveviewHandler, send } from ${JSON.stringify(DIST)};`,
        `while (!existsSync("release")) await new Promise((resolve) => setTimeout(resolve, 20));`,
        `liveviewHandler("slow", (consumer) => send(consumer, { target: "#out", html: "slow" }));`,
        "",
      ].join("\n"),
      "handlers/greet.js": cjsHandlers({ greet: "hello v1", farewell: "bye" }),
      "handlers/nested/count.ts": [
        `import { liveviewHandler, send, type Consumer } from ${JSON.stringify(DIST)};`,
        `const answer = (consumer: Consumer): void => send(consumer, { target: "#out", html: "typescript" });`,
        `liveviewHandler("ts_count", answer);`,
        "",
      ].join("\n"),
      "handlers/esm/package.json": `{ "type": "module" }`,
      "handlers/esm/shout.js": [
        `import { liveviewHandler, send } from ${JSON.stringify(DIST)};`,
        `await Promise.resolve(); // top-level await: only a real import() loads this`,
        `liveviewHandler("esm_shout", (consumer) => send(consumer, { target: "#out", html: "ESM" }));`,
        "",
      ].join("\n"),
      "handlers/defined.mjs": [
        `import { defineHandler, send } from ${JSON.stringify(DIST)};`,
        `export default defineHandler("mjs_default", {}, (consumer) => send(consumer, { target: "#out", html: "defined" }));`,
        "",
      ].join("\n"),
      "handlers/pages.js": [
        `const { liveviewHandler, renderToString, send } = require(${JSON.stringify(DIST)});`,
        `liveviewHandler("render_page", (consumer) => send(consumer, { target: "#out", html: renderToString("page") }));`,
        "",
      ].join("\n"),
      "handlers/broken_at_start.js": [`const ready = false;`, ``, `if (!ready) throw new Error("not today");`, ""].join("\n"),
      "handlers/greet.test.js": cjsHandlers({ from_a_test: "no" }),
      "handlers/greet.spec.ts": cjsHandlers({ from_a_spec: "no" }),
      "handlers/types.d.ts": cjsHandlers({ from_declarations: "no" }),
      "handlers/.hidden/secret.js": cjsHandlers({ hidden: "no" }),
      "views/page.hbs": "<p>page v1</p>",
    });
    // The app requires greet.js itself first, so the folder finds it loaded already and must run it again.
    server = await startServer(dir, { PRELOAD: "handlers/greet.js" });
    socket = await connectClient(server.url);
    socket.on("disconnect", () => disconnects++);
  });

  it("makes calls that arrive while the folder loads wait for it", async () => {
    let acked = false;
    const answered = answer(socket, "ts_count").finally(() => (acked = true));
    await server.child.waitFor(/RECEIVED liveview/, PATIENCE_MS);
    expect(server.child.output()).not.toContain("READY");
    expect(acked).toBe(false);
    writeFileSync(path.join(dir, "release"), "");
    expect(await answered).toBe("typescript");
    await server.child.waitFor(/READY/, PATIENCE_MS);
  });

  it("imports every module of the folder: CommonJS, TypeScript, ES modules and a default defineHandler", async () => {
    expect(await answer(socket, "slow")).toBe("slow");
    expect(await answer(socket, "greet")).toBe("hello v1");
    expect(await answer(socket, "farewell")).toBe("bye");
    expect(await answer(socket, "ts_count")).toBe("typescript");
    expect(await answer(socket, "esm_shout")).toBe("ESM");
    expect(await answer(socket, "mjs_default")).toBe("defined");
  });

  it("skips test files, declaration files and dot-folders", async () => {
    for (const name of ["from_a_test", "from_a_spec", "from_declarations", "hidden"]) expect(await answer(socket, name)).toBe("unknown");
  });

  it("logs a file that throws at import with its path and line, and loads the others", async () => {
    await server.child.waitFor(/\[liveview\] could not load handlers from handlers\/broken_at_start\.js:3: not today/, PATIENCE_MS);
    expect(await answer(socket, "greet")).toBe("hello v1");
  });

  it("watches the folder", async () => {
    expect(await watchers(server)).toBeGreaterThan(0);
  });

  it("answers with a file's new version once it is saved, on the same open socket", async () => {
    const id = socket.id;
    write(dir, "handlers/greet.js", cjsHandlers({ greet: "hello v2", farewell: "bye" }));
    await answersEventually(socket, "greet", "hello v2");
    expect(socket.id).toBe(id);
    expect(disconnects).toBe(0);
    // Neither the start (greet.js run again after the app's own require) nor this reload warns.
    expect(server.child.output()).not.toContain("registered again");
  });

  it("sees a file saved the way many editors save (a copy renamed over it), and the save after that", async () => {
    write(dir, "handlers/.greet.js.swp", cjsHandlers({ greet: "hello renamed", farewell: "bye" }));
    renameSync(path.join(dir, "handlers/.greet.js.swp"), path.join(dir, "handlers/greet.js"));
    await answersEventually(socket, "greet", "hello renamed");
    write(dir, "handlers/greet.js", cjsHandlers({ greet: "hello in place", farewell: "bye" }));
    await answersEventually(socket, "greet", "hello in place");
  });

  it("unregisters a handler its file no longer registers, and leaves other files' handlers alone", async () => {
    write(dir, "handlers/greet.js", cjsHandlers({ greet: "hello v3" }));
    await answersEventually(socket, "farewell", "unknown");
    expect(await answer(socket, "greet")).toBe("hello v3");
    expect(await answer(socket, "ts_count")).toBe("typescript");
    expect(await answer(socket, "esm_shout")).toBe("ESM");
  });

  it("reloads a TypeScript file and an ES module too", async () => {
    write(dir, "handlers/nested/count.ts", [
      `import { liveviewHandler, send } from ${JSON.stringify(DIST)};`,
      `const text: string = "typescript v2";`,
      `liveviewHandler("ts_count", (consumer) => send(consumer, { target: "#out", html: text }));`,
      "",
    ].join("\n"));
    write(dir, "handlers/esm/shout.js", [
      `import { liveviewHandler, send } from ${JSON.stringify(DIST)};`,
      `liveviewHandler("esm_shout", (consumer) => send(consumer, { target: "#out", html: "ESM v2" }));`,
      "",
    ].join("\n"));
    await answersEventually(socket, "ts_count", "typescript v2");
    await answersEventually(socket, "esm_shout", "ESM v2");
  });

  it("logs a syntax error with the file and line, and keeps the previous version answering", async () => {
    write(dir, "handlers/greet.js", [cjsHandlers({ greet: "never" }), "", "const broken = ;", ""].join("\n"));
    await server.child.waitFor(/could not load handlers from handlers\/greet\.js:5: Unexpected token/, PATIENCE_MS);
    expect(await answer(socket, "greet")).toBe("hello v3");
    write(dir, "handlers/esm/shout.js", [`import { liveviewHandler } from ${JSON.stringify(DIST)};`, "", "export const = 1;", ""].join("\n"));
    await server.child.waitFor(/could not load handlers from handlers\/esm\/shout\.js:3: Unexpected token/, PATIENCE_MS);
    expect(await answer(socket, "esm_shout")).toBe("ESM v2");
    write(dir, "handlers/nested/count.ts", `import { liveviewHandler } from ${JSON.stringify(DIST)};\nconst n: number = ;\n`);
    await server.child.waitFor(/could not load handlers from handlers\/nested\/count\.ts:2: /, PATIENCE_MS);
    expect(await answer(socket, "ts_count")).toBe("typescript v2");
  });

  it("loads a file that now loads, after it failed", async () => {
    write(dir, "handlers/broken_at_start.js", cjsHandlers({ mended: "mended" }));
    await answersEventually(socket, "mended", "mended");
  });

  it("loads a new file, and unregisters a deleted file's handlers", async () => {
    write(dir, "handlers/later/added.js", cjsHandlers({ added: "added" }));
    await answersEventually(socket, "added", "added");
    unlinkSync(path.join(dir, "handlers/later/added.js"));
    await answersEventually(socket, "added", "unknown");
    expect(await answer(socket, "greet")).toBe("hello v3");
  });

  it("renders a template edit on the next render", async () => {
    expect(await answer(socket, "render_page")).toBe("<p>page v1</p>");
    write(dir, "views/page.hbs", "<p>page v2</p>");
    expect(await answer(socket, "render_page")).toBe("<p>page v2</p>");
    expect(disconnects).toBe(0);
  });
});

describe("a handlers folder in production", () => {
  let dir: string;
  let server: Server;

  beforeAll(async () => {
    dir = appFolder({
      "handlers/greet.js": cjsHandlers({ greet: "hello v1" }),
      "handlers/pages.js": [
        `const { liveviewHandler, renderToString, send } = require(${JSON.stringify(DIST)});`,
        `liveviewHandler("render_page", (consumer) => send(consumer, { target: "#out", html: renderToString("page") }));`,
        "",
      ].join("\n"),
      "views/page.hbs": "<p>page v1</p>",
    });
    server = await startServer(dir, { NODE_ENV: "production" });
    await server.child.waitFor(/READY/, PATIENCE_MS);
  });

  it("loads the folder and runs no watcher", async () => {
    const socket = await connectClient(server.url);
    expect(await answer(socket, "greet")).toBe("hello v1");
    expect(await watchers(server)).toBe(0);
  });

  it("keeps its compiled templates", async () => {
    const socket = await connectClient(server.url);
    expect(await answer(socket, "render_page")).toBe("<p>page v1</p>");
    write(dir, "views/page.hbs", "<p>page v2</p>");
    expect(await answer(socket, "render_page")).toBe("<p>page v1</p>");
  });
});
