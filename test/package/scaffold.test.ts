// `npx express-liveview new my-app` as a user runs it: the command from the packed tarball, then the app it wrote
// installed against that tarball, its own `npm test`, and `npm start` used in Chromium.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { exec, freshApp, packRepo, type FreshApp } from "../support/packed";
import { freePort, spawnChild } from "../support/processes";

jest.setTimeout(240_000);

let work: string;
let tarball: string;
let tools: FreshApp;
let browser: Browser | null = null;

const command = (): string => path.join(tools.dir, "node_modules", ".bin", "express-liveview");
const npm = (args: string[], cwd: string) => exec("npm", args, cwd);

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), "liveview-scaffold-"));
  tarball = await packRepo(work);
  tools = await freshApp(tarball, []);
});

afterAll(async () => {
  await browser?.close();
  tools?.remove();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("npx express-liveview new", () => {
  it("writes an app whose npm test passes and whose page greets in Chromium after npm install && npm start", async () => {
    const { stdout } = await exec(command(), ["new", "my-app"], work);
    const app = path.join(work, "my-app");
    expect(stdout).toContain("npm install && npm start");
    const manifest = JSON.parse(readFileSync(path.join(app, "package.json"), "utf8")) as { name: string; scripts: Record<string, string> };
    expect(manifest.name).toBe("my-app");
    expect(manifest.scripts).toEqual({ start: "node server.js", test: "node --test" });
    expect(readFileSync(path.join(app, "README.md"), "utf8")).toContain("npm install && npm start");
    expect(existsSync(path.join(app, ".gitignore"))).toBe(true);

    // The app's dependency on express-liveview, taken from the tarball rather than the registry.
    await npm(["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], app);
    const tested = await npm(["test"], app);
    expect(tested.stdout).toMatch(/# pass 2\n# fail 0/);

    const port = await freePort();
    // What `npm start` runs, started directly so that stopping it stops the server (npm would stand between).
    const server = spawnChild(process.execPath, ["server.js"], { PORT: String(port) }, app);
    try {
      await server.waitFor(/Listening on/, 30_000);
      browser = await launchChromium();
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      await waitForLiveView(page);
      await page.fill("[name=name]", "Grace");
      await page.click("#greet");
      await page.waitForFunction(() => document.getElementById("greeting")!.textContent!.trim() === "Hello, Grace!");
      expect((await page.innerHTML("#greeting")).trim()).toBe("Hello, <strong>Grace</strong>!");
    } finally {
      await server.stop();
    }
  });

  it("refuses a folder that already holds files, and leaves it as it was", async () => {
    const taken = path.join(work, "taken");
    mkdirSync(taken);
    writeFileSync(path.join(taken, "notes.txt"), "mine");
    const failed = await exec(command(), ["new", "taken"], work).catch((error: Error) => error);
    expect(String(failed)).toContain("already exists and is not empty");
    expect(readFileSync(path.join(taken, "notes.txt"), "utf8")).toBe("mine");
    expect(existsSync(path.join(taken, "package.json"))).toBe(false);
  });

  it("refuses a name npm would not accept, and an unknown command, with the usage", async () => {
    await expect(exec(command(), ["new", "My App"], work)).rejects.toThrow(/"My App" is not a valid npm package name/);
    await expect(exec(command(), ["create", "x"], work)).rejects.toThrow(/Unknown command: create[\s\S]*Usage: express-liveview new <folder>/);
    expect(existsSync(path.join(work, "My App"))).toBe(false);
  });
});
