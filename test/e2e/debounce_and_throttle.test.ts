import type { Browser } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let searches: string[] = [];
let moves: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register("e2e_search_articles")((consumer, content) => {
    const query = String(content.form.search);
    searches.push(query);
    send(consumer, { target: "#search-results", html: `<p class="result">Results for ${query}</p>` });
  });
  liveviewRegistry.register("e2e_track")((_consumer, content) => void moves.push(String(content.form.position)));
  server = await startServer({
    pages: {
      "/": page(`<input type="search" name="search" data-liveview-function="e2e_search_articles"
          data-liveview-debounce="500" data-action="input->page#run" placeholder="Search articles...">
        <div id="search-results"></div>
        <div id="box"><input id="doomed" name="search" data-liveview-function="e2e_search_articles"
          data-liveview-debounce="300" data-action="input->page#run"></div>
        <input id="position" name="position" data-liveview-function="e2e_track" data-liveview-throttle="400" data-action="input->page#run">`),
    },
  });
});

beforeEach(() => {
  searches = [];
  moves = [];
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister("e2e_search_articles");
  liveviewRegistry.unregister("e2e_track");
});

it('sends one request for "python", with the final value, after the user stops typing', async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.type("input[type=search]", "python", { delay: 60 });
  await opened.tab.waitForSelector(".result");
  await opened.tab.waitForTimeout(700);
  expect(searches).toEqual(["python"]);
  expect(await opened.tab.textContent(".result")).toBe("Results for python");
});

it("drops a pending debounced call when its element leaves the page", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.type("#doomed", "gone");
  await opened.tab.evaluate(() => document.querySelector("#box")!.replaceChildren());
  await opened.tab.waitForTimeout(600);
  expect(searches).toEqual([]);
  expect(await opened.tab.evaluate(() => window.LiveView!.getStats().timers)).toBe(0);
});

it("throttles to one call per interval and keeps the last value", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.type("#position", "12345", { delay: 20 });
  await opened.tab.waitForTimeout(900);
  expect(moves[0]).toBe("1");
  expect(moves[moves.length - 1]).toBe("12345");
  expect(moves.length).toBeLessThan(5);
});
