import path from "node:path";
import { build, type Plugin } from "esbuild";
import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Consumer, type HandlerContent } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { watchCsp } from "../support/csp_watch";
import { tabsClosedAfterEach } from "../support/e2e";
import { startServer, type TestServer } from "../support/server";

// An app with its own Stimulus controllers (test/fixtures/stimulus_app: `chart` and `todo`), bundled with esbuild
// against the published ESM entry (dist/esm), served under the strict Content-Security-Policy (`csp: true`) with no
// nonce in the page: an update's `script` cannot run there, its `dispatch` can.
const ROOT = path.join(__dirname, "..", "..");
const ENTRY = path.join(ROOT, "test", "fixtures", "stimulus_app", "application.ts");

/** `express-liveview/client` as an app installing the package gets it: the built ESM entry. */
const publishedClient: Plugin = {
  name: "published-client",
  setup(plugin) {
    plugin.onResolve({ filter: /^express-liveview\/client$/ }, () => ({ path: path.join(ROOT, "dist", "esm", "controllers", "index.js") }));
  },
};

const PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>stimulus app</title>
<script src="/assets/application.js" defer></script></head>
<body data-controller="page">
  <section id="chart-card" data-controller="chart" data-action="chart:update@window->chart#redraw">
    <div id="chart">empty</div>
    <p id="points" data-chart-target="points"></p>
    <button id="refresh" data-action="chart#refresh">Refresh</button>
    <p id="chart-status" data-chart-target="status"></p>
  </section>
  <form id="todo" data-controller="todo" data-action="liveview:before-call->todo#guard">
    <input name="title" value="Milk">
    <label><input type="checkbox" id="locked" data-todo-target="locked"> locked</label>
    <button id="save" name="intent" value="save" data-data-list="groceries" data-action="todo#save:prevent" data-todo-id-param="3" data-todo-urgent-param="true">Save</button>
    <p id="todo-log" data-todo-target="log"></p>
  </form>
  <div><button id="run" data-liveview-function="stim_page_params" data-action="click->page#run"
    data-page-id-param="3" data-page-filter-param='{"tag":"a"}' data-page="2">Run</button></div>
  <form id="publish" data-liveview-function="stim_submit" data-action="submit->page#run"><input name="title" value="Post">
    <button id="as-draft" name="intent" value="draft">Draft</button><button id="as-public" name="intent" value="public">Publish</button></form>
  <pre id="out"></pre>
</body></html>`;

let browser: Browser;
let server: TestServer;
let bundle: string;
/** The files esbuild put in the bundle, relative to the repository. */
let inputs: string[];
const received: Array<{ name: string; content: HandlerContent }> = [];
const tabs = tabsClosedAfterEach();

/** A handler that records what it got and shows it in #out. */
const record = (name: string) => (consumer: Consumer, content: HandlerContent) => {
  received.push({ name, content });
  send(consumer, { target: "#out", html: JSON.stringify({ data: content.data, form: content.form, params: content.params }) });
};

beforeAll(async () => {
  const built = await build({
    entryPoints: [ENTRY],
    bundle: true,
    format: "iife",
    target: "es2020",
    write: false,
    metafile: true,
    absWorkingDir: ROOT,
    plugins: [publishedClient],
    logLevel: "silent",
  });
  bundle = built.outputFiles[0].text;
  inputs = Object.keys(built.metafile.inputs);
  browser = await launchChromium();
  liveviewRegistry.register("stim_todo_save")(record("stim_todo_save"));
  liveviewRegistry.register("stim_page_params")(record("stim_page_params"));
  liveviewRegistry.register("stim_submit")(record("stim_submit"));
  liveviewRegistry.register("stim_chart_refresh")((consumer) => {
    // The HTML first, then the event: the controller's redraw sees the new chart.
    send(consumer, { target: "#chart", html: "fresh", dispatch: "chart:update", detail: { points: [3, 1, 2] } });
    // A script update, to show what the same policy refuses.
    send(consumer, { script: "document.body.dataset.scriptRan = 'yes'" });
  });
  server = await startServer({ csp: true });
  server.app.get("/", (_req, res) => res.type("html").send(PAGE));
  server.app.get("/assets/application.js", (_req, res) => res.type("js").send(bundle));
  server.app.get("/settings", (_req, res) => res.json({ debug: true }));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  for (const name of ["stim_todo_save", "stim_page_params", "stim_submit", "stim_chart_refresh"]) liveviewRegistry.unregister(name);
});

beforeEach(() => {
  received.length = 0;
});

const lastContent = () => received[received.length - 1].content;

it("bundles one Stimulus for the app and LiveView, and the published client entry", () => {
  expect(inputs.filter((file) => file.includes("@hotwired/stimulus"))).toEqual(["node_modules/@hotwired/stimulus/dist/stimulus.js"]);
  expect(inputs).toContain("dist/esm/controllers/live_view_mixin.js");
  expect(inputs.some((file) => file.startsWith("controllers/"))).toBe(false);
});

it("this.call from the app's controller sends its element's data, form, submit button and params, and runs its lifecycle methods", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.click("#save");
  await tab.waitForFunction(() => document.getElementById("todo-log")?.textContent?.includes("resolved"));
  expect(received.map(({ name }) => name)).toEqual(["stim_todo_save"]);
  expect(lastContent()).toMatchObject({
    data: { list: "groceries", via: "todo" },
    form: { title: "Milk", intent: "save" },
    params: { id: 3, urgent: true },
  });
  expect(await tab.textContent("#todo-log")).toBe("beforeCall stim_todo_save;callSuccess true;afterCall save;resolved ok;");
  expect(await tab.evaluate(() => window.lifecycle)).toEqual([
    "liveview:before-call stim_todo_save",
    "liveview:success stim_todo_save",
    "liveview:after-call stim_todo_save",
  ]);
});

it("a liveview:before-call listener (the controller's own action) cancels the call: nothing is sent, it resolves cancelled", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.check("#locked");
  await tab.click("#save");
  await tab.waitForFunction(() => document.getElementById("todo-log")?.textContent?.includes("resolved"));
  expect(await tab.textContent("#todo-log")).toBe("resolved cancelled;");
  await tab.uncheck("#locked");
  await tab.click("#save");
  await tab.waitForFunction(() => document.getElementById("todo-log")?.textContent?.endsWith("resolved ok;"));
  expect(received.map(({ name }) => name)).toEqual(["stim_todo_save"]);
});

it("page#run sends the action params typecast as Stimulus does, plain data, and fires the lifecycle events", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.click("#run");
  await tab.waitForFunction(() => document.getElementById("out")?.textContent !== "");
  await waitForLiveView(tab);
  expect(lastContent().params).toEqual({ id: 3, filter: { tag: "a" } });
  expect(lastContent().data).toEqual({ page: "2" });
  expect(await tab.evaluate(() => window.lifecycle)).toEqual([
    "liveview:before-call stim_page_params",
    "liveview:success stim_page_params",
    "liveview:after-call stim_page_params",
  ]);
});

it("sends the button that submitted the form, as the browser's own FormData has it", async () => {
  const tab = await tabs.open(browser, server.url + "/");
  await tab.click("#as-public");
  await tab.waitForFunction(() => document.getElementById("out")?.textContent !== "");
  const browserForm = await tab.evaluate(() => {
    const form = document.getElementById("publish") as HTMLFormElement;
    return Object.fromEntries(new FormData(form, document.getElementById("as-public")));
  });
  expect(lastContent().form).toEqual(browserForm);
  expect(browserForm).toEqual({ title: "Post", intent: "public" });
});

describe("server to controller without scripts", () => {
  it("a dispatch update reaches the controller's data-action after the HTML is in, under a CSP that blocks the script update", async () => {
    const context = await browser.newContext();
    context.setDefaultTimeout(10_000);
    const csp = await watchCsp(context);
    const tab = await context.newPage();
    try {
      await tab.goto(server.url + "/");
      await waitForLiveView(tab);
      await tab.click("#refresh");
      await tab.waitForFunction(() => document.getElementById("chart-status")?.textContent === "refreshed");
      expect(await tab.textContent("#points")).toBe("3,1,2 (chart: fresh)");
      expect(await tab.evaluate(() => document.body.dataset.scriptRan)).toBeUndefined();
      const violations = await csp.violations(tab);
      expect(violations.length).toBeGreaterThan(0);
      expect(violations.every((line) => /script-src|inline|Content.Security.Policy/i.test(line))).toBe(true);
    } finally {
      await context.close();
    }
  });

  it("a dispatch with no target (a broadcast) goes to window and reaches the @window action", async () => {
    const tab = await tabs.open(browser, server.url + "/");
    server.liveview.broadcast({ dispatch: "chart:update", detail: { points: [9, 8] } });
    await tab.waitForFunction(() => document.getElementById("points")?.textContent === "9,8 (chart: empty)");
  });
});

describe("late options", () => {
  async function consoleOf(page: Page): Promise<string[]> {
    const lines: string[] = [];
    page.on("console", (message) => lines.push(message.text()));
    return lines;
  }

  it("connectLiveView(options) before the controllers connect applies them", async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const lines = await consoleOf(tab);
    try {
      await tab.goto(server.url + "/");
      await waitForLiveView(tab);
      await tab.click("#run");
      await waitForLiveView(tab);
      expect(lines.some((line) => line.startsWith("[liveview]") && line.includes("stim_page_params"))).toBe(true);
      expect(await tab.evaluate(() => window.lateError)).toBeUndefined();
    } finally {
      await context.close();
    }
  });

  it("connectLiveView(options) after a page controller connected throws an error naming the fix, and the page still works", async () => {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const lines = await consoleOf(tab);
    try {
      await tab.goto(server.url + "/?late");
      await waitForLiveView(tab);
      await tab.waitForFunction(() => window.lateError !== undefined);
      expect(await tab.evaluate(() => window.lateError)).toMatch(
        /^connectLiveView: LiveView is already connected \(a "page" controller .*\), so its options "debug", "plainData" would be lost\. Call connectLiveView\(options\) before Stimulus connects a page controller/,
      );
      await tab.click("#run");
      await tab.waitForFunction(() => document.getElementById("out")?.textContent !== "");
      // The lost options are not in effect: no debug lines, no plain data.
      expect(lastContent().data).toEqual({});
      expect(lines.filter((line) => line.startsWith("[liveview]"))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
