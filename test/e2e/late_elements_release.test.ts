import type { Browser } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let round = 0;

const WIDGET = (i: number) => `
  <div class="widget" data-liveview-intersect-appear="e2e_release_seen" data-liveview-intersect-threshold="${i % 2 ? 100 : 0}">seen</div>
  <div data-liveview-keyboard-map='{"esc":"e2e_release_close"}'>keys</div>
  <input name="q" data-liveview-function="e2e_release_search" data-liveview-debounce="10000" data-action="input->page#run">`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register("e2e_release_replace")((consumer) => {
    round++;
    send(consumer, { target: "#box", html: WIDGET(round) });
  });
  for (const name of ["e2e_release_seen", "e2e_release_close", "e2e_release_search"]) liveviewRegistry.register(name)(() => undefined);
  server = await startServer({
    // 1,000 update cycles as fast as the page can make them: far over the default 20 calls per second.
    rateLimit: false,
    pages: {
      "/": page(`<button id="replace" data-liveview-function="e2e_release_replace" data-action="click->page#run">Replace</button>
        <div id="box">${WIDGET(0)}</div>`),
    },
  });
});

afterAll(async () => {
  await opened?.context.close();
  await browser?.close();
  await server?.close();
  for (const name of ["e2e_release_replace", "e2e_release_seen", "e2e_release_close", "e2e_release_search"]) {
    liveviewRegistry.unregister(name);
  }
});

it("releases the observers, listeners and timers of replaced elements over 1,000 update cycles", async () => {
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  const stats = () => tab.evaluate(() => window.LiveView!.getStats());
  const before = await stats();
  expect(before).toMatchObject({ intersectionObservers: 1, observedElements: 1, keyboardMaps: 1, keydownListeners: 1 });
  const replaced = await tab.evaluate(async () => {
    for (let i = 0; i < 1000; i++) {
      // Start a debounce timer on the current input, then replace everything through a real update.
      const input = document.querySelector<HTMLInputElement>("#box input")!;
      input.value = String(i);
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await window.LiveView!.sendData("e2e_release_replace");
    }
    return document.querySelectorAll("#box .widget").length;
  });
  expect(replaced).toBe(1);
  await tab.waitForTimeout(100);
  expect(await stats()).toEqual({ intersectionObservers: 1, observedElements: 1, keyboardMaps: 1, keydownListeners: 1, timers: 0 });
  // The last widget still works: it arrived in an update and was wired.
  await tab.focus("#box [data-liveview-keyboard-map]");
  expect(await tab.getAttribute("#box [data-liveview-keyboard-map]", "tabindex")).toBe("0");
});
