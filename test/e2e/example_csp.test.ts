import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import sharp from "sharp";
import { createApp, type ExampleApp } from "../../example/app";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { watchCsp } from "../support/csp_watch";

// The example app runs with `csp: true`: every page, logged in, with its main actions, and no violation.
let browser: Browser;
let example: ExampleApp;
let url: string;
let context: BrowserContext;
let csp: Awaited<ReturnType<typeof watchCsp>>;
const dataDir = mkdtempSync(path.join(os.tmpdir(), "liveview-example-csp-"));

beforeAll(async () => {
  browser = await launchChromium();
  example = createApp({ dataDir, dashboardIntervalMs: 200, log: () => {} });
  await new Promise<void>((resolve) => example.httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(example.httpServer.address() as AddressInfo).port}/`;
  context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  csp = await watchCsp(context);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await example?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function visit(pathname: string): Promise<Page> {
  const tab = await context.newPage();
  const response = await tab.goto(url + pathname);
  // The policy is really on, with this response's nonce in the page's meta.
  const header = response!.headers()["content-security-policy"] ?? "";
  const nonce = await tab.getAttribute('meta[name="csp-nonce"]', "content");
  expect(nonce).toBeTruthy();
  expect(header).toBe(`default-src 'self'; script-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'none'`);
  if (pathname !== "login") await waitForLiveView(tab);
  return tab;
}

async function noViolations(tab: Page): Promise<void> {
  expect(await csp.violations(tab)).toEqual([]);
  await tab.close();
}

it.each(["", "articles", "articles/1", "items", "todos", "chat/general", "dashboard", "avatar", "login"])(
  "serves /%s without a CSP violation, logged out",
  async (pathname) => {
    await noViolations(await visit(pathname));
  },
);

describe("logged in", () => {
  beforeAll(async () => {
    const tab = await visit("login");
    await tab.fill("input[name=username]", "ada");
    await Promise.all([tab.waitForNavigation(), tab.click("form.login button")]);
    await noViolations(tab);
  });

  it("home: counter, say hello and the greet form", async () => {
    const tab = await visit("");
    await tab.click("button:has-text('+10')");
    await tab.waitForFunction(() => document.querySelector("#counter")?.textContent?.trim() === "10");
    await tab.fill("section:has(#greeting) input[name=name]", "Ada");
    await tab.click("button:has-text('Say hello')");
    await tab.waitForSelector("#greeting .greeting");
    await tab.fill("form input[name=name]", "Grace");
    await tab.click("form button[type=submit]");
    await tab.waitForSelector("#greetings li");
    await noViolations(tab);
  });

  it("articles: search, open one (url update), and back", async () => {
    const tab = await visit("articles");
    await tab.fill("input[name=search]", "a");
    await tab.waitForSelector("#search-results a");
    await tab.click("#search-results a >> nth=0");
    await tab.waitForFunction(() => /\/articles\/\d+$/.test(location.pathname));
    await tab.goBack();
    await tab.waitForFunction(() => location.pathname === "/articles");
    await noViolations(tab);
  });

  it("items: loads more as it scrolls", async () => {
    const tab = await visit("items");
    await tab.waitForSelector("#items-list li");
    await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await tab.waitForFunction(() => document.querySelectorAll("#items-list li").length >= 20);
    await noViolations(tab);
  });

  it("todos: add, edit, check and delete", async () => {
    const tab = await visit("todos");
    await tab.fill("#todo-new input[name=title]", "Strict CSP");
    await tab.click("#todo-new button");
    const row = tab.locator(".todo", { hasText: "Strict CSP" });
    await row.waitFor();
    await row.locator("button:has-text('Edit')").click();
    await tab.waitForSelector(".todo-edit input");
    await tab.fill(".todo-edit input", "Strict CSP, edited");
    await tab.click(".todo-edit button");
    const edited = tab.locator(".todo", { hasText: "Strict CSP, edited" });
    await edited.waitFor();
    await edited.locator("input[type=checkbox]").check();
    await tab.waitForSelector(".todo .done");
    await edited.locator("button:has-text('Delete')").click();
    await edited.waitFor({ state: "detached" });
    await noViolations(tab);
  });

  it("chat: a message (with its script update) reaches the room", async () => {
    const tab = await visit("chat/general");
    await tab.fill("input[name=message]", "No unsafe-inline here");
    await tab.click(".chat-form button");
    await tab.waitForFunction(() => document.querySelector("#messages")?.textContent?.includes("No unsafe-inline here"));
    await noViolations(tab);
  });

  it("dashboard: each pushed update redraws the Chart.js chart through its dispatch event, no script pushed", async () => {
    const tab = await visit("dashboard");
    await tab.waitForFunction(() => (window as unknown as { dashboardChart?: unknown }).dashboardChart !== undefined);
    const first = await tab.textContent("#dashboard-stats .muted");
    await tab.waitForFunction((before) => document.querySelector("#dashboard-stats .muted")?.textContent !== before, first);
    // The chart's last point is the latest figure the same update brought as HTML: the event carried it.
    await tab.waitForFunction(() => {
      const chart = (window as unknown as { dashboardChart: { data: { datasets: Array<{ data: number[] }> } } }).dashboardChart;
      const points = chart.data.datasets[0].data;
      return String(points[points.length - 1]) === document.getElementById("stat-latest")?.textContent;
    });
    expect(await tab.locator("#dashboard-stats script").count()).toBe(0);
    await noViolations(tab);
  });

  it("avatar: uploads an image and shows it", async () => {
    const tab = await visit("avatar");
    const photo = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#3366cc" } }).png().toBuffer();
    await tab.setInputFiles("input[name=avatar]", { name: "me.png", mimeType: "image/png", buffer: photo });
    await tab.click("#avatar-form button");
    await tab.waitForSelector("#avatar-image");
    await tab.evaluate(() => (document.querySelector("#avatar-image") as HTMLImageElement).decode());
    await noViolations(tab);
  });
});

it("would see a violation: a script without the nonce is reported", async () => {
  const tab = await visit("");
  await tab.evaluate(() => {
    const script = document.createElement("script");
    script.textContent = "window.marker = 1";
    document.body.append(script);
  });
  await tab.waitForFunction(() => (window.cspViolations ?? []).length > 0);
  expect((await csp.violations(tab)).join("\n")).toContain("script-src");
  expect(await tab.evaluate(() => window.marker)).toBeUndefined();
  await tab.close();
});
