import type { Browser } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { openConnected, waitFor, type Tab } from "../support/e2e";
import { FIXTURE_VIEWS, page, startServer, type TestServer } from "../support/server";
import { configureViews } from "../../server/index";

const ITEMS_PER_PAGE = 10;
const TOTAL = 25;
let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let pagesLoaded: number[] = [];
let visibility: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  configureViews(FIXTURE_VIEWS);
  // The seed's load_more handler, as written there.
  liveviewRegistry.register("e2e_load_more")((consumer, content) => {
    const pageNumber = Number(content.data.page ?? 1);
    pagesLoaded.push(pageNumber);
    const start = (pageNumber - 1) * ITEMS_PER_PAGE;
    const end = Math.min(start + ITEMS_PER_PAGE, TOTAL);
    const items = Array.from({ length: end - start }, (_, i) => start + i + 1);
    send(consumer, { target: "#items-list", html: renderToString("items_partial", { items }), append: true });
    const isLastPage = end >= TOTAL;
    send(consumer, {
      target: "#load-more-trigger",
      html: isLastPage ? "" : renderToString("load_trigger", { next_page: pageNumber + 1 }),
    });
  });
  liveviewRegistry.register("e2e_seen")((_consumer, content) => void visibility.push(`appear:${String(content.data.name)}`));
  liveviewRegistry.register("e2e_gone")((_consumer, content) => void visibility.push(`disappear:${String(content.data.name)}`));
  server = await startServer({
    pages: {
      "/items": page(`<h1>Items</h1><div id="items-list"></div>
        <div id="load-more-trigger">${renderToString("load_trigger", { next_page: 1 })}</div>`),
      "/items-short": page(`<style>.item { height: 10px !important }</style><div id="items-list"></div>
        <div id="load-more-trigger">${renderToString("load_trigger", { next_page: 1 })}</div>`),
      "/visibility": page(`<div style="height: 3000px"></div>
        <div id="near" style="height: 20px" data-liveview-intersect-appear="e2e_seen" data-liveview-intersect-disappear="e2e_gone" data-data-name="near"></div>
        <div style="height: 3000px"></div>`),
      "/threshold": page(`<div id="spacer" style="height: 100vh"></div>
        <div style="margin-top: 100px; height: 10px" data-liveview-intersect-appear="e2e_seen" data-data-name="early" data-liveview-intersect-threshold="200"></div>
        <div style="margin-top: 100px; height: 10px" data-liveview-intersect-appear="e2e_seen" data-data-name="plain"></div>
        <div style="height: 3000px"></div>`),
    },
  });
});

beforeEach(() => {
  pagesLoaded = [];
  visibility = [];
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister("e2e_load_more");
  liveviewRegistry.unregister("e2e_seen");
  liveviewRegistry.unregister("e2e_gone");
});

it("appends every page exactly once as the trigger scrolls into view, then stops", async () => {
  opened = await openConnected(browser, server.url + "/items");
  const { tab } = opened;
  for (let round = 0; round < 20; round++) {
    if ((await tab.locator(".item").count()) === TOTAL && (await tab.locator("#load-more-trigger *").count()) === 0) break;
    await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await tab.waitForTimeout(150);
  }
  await tab.waitForFunction((total) => document.querySelectorAll(".item").length === total, TOTAL);
  expect(await tab.locator("#load-more-trigger").innerHTML()).toBe("");
  // Nothing more is asked for, however much the user scrolls.
  for (let i = 0; i < 3; i++) {
    await tab.evaluate(() => window.scrollTo(0, 0));
    await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  }
  await tab.waitForTimeout(300);
  expect(pagesLoaded).toEqual([1, 2, 3]);
  const labels = await tab.locator(".item").allTextContents();
  expect(labels).toEqual(Array.from({ length: TOTAL }, (_, i) => `Item ${i + 1}`));
});

it("loads each page once when every new trigger arrives already in view", async () => {
  opened = await openConnected(browser, server.url + "/items-short");
  await opened.tab.waitForFunction((total) => document.querySelectorAll(".item").length === total, TOTAL);
  await opened.tab.waitForTimeout(300);
  expect(pagesLoaded).toEqual([1, 2, 3]);
  expect(await opened.tab.locator("#load-more-trigger").innerHTML()).toBe("");
});

it("calls appear when an element scrolls into view and disappear when it leaves", async () => {
  opened = await openConnected(browser, server.url + "/visibility");
  const { tab } = opened;
  await tab.waitForTimeout(200);
  expect(visibility).toEqual([]);
  await tab.evaluate(() => document.querySelector("#near")!.scrollIntoView());
  await tab.waitForFunction(() => true);
  await waitFor(() => visibility.length === 1);
  await tab.evaluate(() => window.scrollTo(0, 0));
  await waitFor(() => visibility.length === 2);
  expect(visibility).toEqual(["appear:near", "disappear:near"]);
});

it("fires early by the threshold in pixels", async () => {
  opened = await openConnected(browser, server.url + "/threshold");
  // The "early" element sits 100 px below the fold: inside the 200 px margin, so it fires at once;
  // the "plain" one, 210 px below with no threshold, does not.
  await waitFor(() => visibility.includes("appear:early"));
  await opened.tab.waitForTimeout(300);
  expect(visibility).toEqual(["appear:early"]);
});
