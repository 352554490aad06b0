import path from "node:path";
import express from "express";
import type { Browser } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { startServer, type TestServer } from "../support/server";

const HELLO = "e2e_esm_hello";
const ROOT = path.join(__dirname, "..", "..");

let browser: Browser;
let server: TestServer;

/** An app that brings its own Stimulus and wires the page controller through the ESM entry, no IIFE bundle. */
const esmPage = (options = "") => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>esm</title>
<script type="importmap">
{ "imports": {
  "@hotwired/stimulus": "/vendor/stimulus.js",
  "socket.io-client": "/vendor/socket.io.esm.min.js",
  "idiomorph": "/vendor/idiomorph.esm.js",
  "express-liveview/client": "/esm/controllers/index.js"
} }
</script>
<script type="module">
  import { Application } from "@hotwired/stimulus";
  import { PageController, connectLiveView } from "express-liveview/client";
  const app = Application.start();
  app.register("page", PageController);
  window.returnedApi = connectLiveView(${options});
</script></head>
<body data-controller="page">
<div><input name="name" value="Grace">
  <button id="go" data-liveview-function="${HELLO}" data-action="click->page#run">Go</button></div>
<div id="out"></div>
</body>
</html>`;

declare global {
  interface Window {
    returnedApi?: unknown;
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(HELLO)((consumer, content) => {
    const html = renderToString("message", { text: `Hello, ${String(content.form.name)}` });
    send(consumer, { target: "#out", html });
  });
  server = await startServer({ pages: { "/": esmPage(), "/debug": esmPage("{ debug: true }") } });
  server.app.get("/vendor/stimulus.js", (_req, res) =>
    res.sendFile(path.join(ROOT, "node_modules/@hotwired/stimulus/dist/stimulus.js")),
  );
  server.app.get("/vendor/socket.io.esm.min.js", (_req, res) =>
    res.sendFile(path.join(ROOT, "node_modules/socket.io-client/dist/socket.io.esm.min.js")),
  );
  server.app.get("/vendor/idiomorph.esm.js", (_req, res) =>
    res.sendFile(path.join(ROOT, "node_modules/idiomorph/dist/idiomorph.esm.js")),
  );
  server.app.use("/esm", express.static(path.join(ROOT, "dist/esm")));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(HELLO);
});

it("runs a click through PageController and connectLiveView imported from express-liveview/client", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const tab = await context.newPage();
  const pageErrors: Error[] = [];
  const failedRequests: string[] = [];
  tab.on("pageerror", (error) => pageErrors.push(error));
  tab.on("requestfailed", (request) => failedRequests.push(request.url()));
  tab.on("response", (response) => {
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) failedRequests.push(response.url());
  });
  await tab.goto(server.url + "/");
  await waitForLiveView(tab);
  expect(await tab.evaluate(() => window.returnedApi === window.LiveView)).toBe(true);
  expect(await tab.evaluate(() => document.querySelector('script[src*="liveview.js"]'))).toBeNull();
  await tab.click("#go");
  await tab.waitForSelector("#out .message");
  expect(await tab.textContent("#out .message")).toBe("Hello, Grace");
  expect(pageErrors).toEqual([]);
  expect(failedRequests).toEqual([]);
  await context.close();
});

it("applies the options given to connectLiveView", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const tab = await context.newPage();
  const messages: string[] = [];
  tab.on("console", (message) => messages.push(message.text()));
  await tab.goto(server.url + "/debug");
  await waitForLiveView(tab);
  await tab.click("#go");
  await tab.waitForSelector("#out .message");
  expect(messages.some((text) => text.startsWith("[liveview]") && text.includes(HELLO))).toBe(true);
  await context.close();
});
