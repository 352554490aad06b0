import type { Browser } from "playwright-core";
import { liveviewRegistry, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { openConnected, quietLogger, waitFor, type Tab } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let opened: Tab | null = null;
let release: (() => void) | null = null;
let runs = 0;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register("e2e_slow_save")(async (consumer) => {
    runs++;
    await new Promise<void>((resolve) => (release = resolve));
    send(consumer, { target: "#status", html: "saved" });
  });
  liveviewRegistry.register("e2e_failing_save")(async () => {
    await new Promise<void>((resolve) => (release = resolve));
    throw new Error("disk full");
  });
  server = await startServer({
    logger: quietLogger,
    pages: {
      "/": page(`<button id="save" data-liveview-function="e2e_slow_save" data-liveview-disable data-action="click->page#run">Save</button>
        <button id="fail" data-liveview-function="e2e_failing_save" data-liveview-disable data-action="click->page#run">Fail</button>
        <div id="status"></div>`),
      "/fast-reconnect": page(
        `<button id="save" data-liveview-function="e2e_slow_save" data-liveview-disable data-action="click->page#run">Save</button>
        <div id="status"></div>`,
        { head: `<script>window.webSocketConfig = { reconnect: { delay: 100 } };</script>` },
      ),
    },
  });
});

afterEach(async () => {
  release?.();
  release = null;
  await opened?.context.close();
  opened = null;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister("e2e_slow_save");
  liveviewRegistry.unregister("e2e_failing_save");
});

const state = (tab: Tab["tab"], selector: string) =>
  tab.evaluate((sel) => {
    const el = document.querySelector<HTMLButtonElement>(sel)!;
    return { busy: el.getAttribute("aria-busy"), loading: el.classList.contains("liveview-loading"), disabled: el.disabled };
  }, selector);

it("marks the element busy and disabled until the handler's ack arrives", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.click("#save");
  await opened.tab.waitForFunction(() => document.querySelector("#save")?.getAttribute("aria-busy") === "true");
  expect(await state(opened.tab, "#save")).toEqual({ busy: "true", loading: true, disabled: true });
  await waitFor(() => release !== null);
  release!();
  await opened.tab.waitForFunction(() => document.querySelector("#status")?.textContent === "saved");
  await opened.tab.waitForFunction(() => !document.querySelector("#save")?.hasAttribute("aria-busy"));
  expect(await state(opened.tab, "#save")).toEqual({ busy: null, loading: false, disabled: false });
});

it("undoes the loading state when the call fails", async () => {
  opened = await openConnected(browser, server.url + "/");
  await opened.tab.click("#fail");
  await opened.tab.waitForFunction(() => document.querySelector("#fail")?.getAttribute("aria-busy") === "true");
  await waitFor(() => release !== null);
  release!();
  await opened.tab.waitForFunction(() => !document.querySelector("#fail")?.hasAttribute("aria-busy"));
  expect(await state(opened.tab, "#fail")).toEqual({ busy: null, loading: false, disabled: false });
});


it("keeps the call, and its loading state, across a dropped network until the resent call is answered once", async () => {
  runs = 0;
  opened = await openConnected(browser, server.url + "/fast-reconnect");
  const { tab } = opened;
  const reconnected = tab.evaluate(
    () => new Promise((resolve) => document.addEventListener("liveview:reconnected", (e) => resolve((e as CustomEvent).detail), { once: true })),
  );
  await tab.click("#save");
  await waitFor(() => release !== null);
  for (const socket of server.liveview.io.sockets.sockets.values()) socket.conn.close(); // the network drops
  expect(await reconnected).toEqual({ recovered: true });
  expect(await state(tab, "#save")).toEqual({ busy: "true", loading: true, disabled: true });
  release!();
  await tab.waitForFunction(() => document.querySelector("#status")?.textContent === "saved");
  await tab.waitForFunction(() => !document.querySelector("#save")?.hasAttribute("aria-busy"));
  expect(await state(tab, "#save")).toEqual({ busy: null, loading: false, disabled: false });
  expect(runs).toBe(1);
});

it("sends a call again after LiveView.disconnect() and connect(), and the handler still runs once", async () => {
  runs = 0;
  opened = await openConnected(browser, server.url + "/");
  const { tab } = opened;
  await tab.click("#save");
  await waitFor(() => release !== null);
  await tab.evaluate(() => window.LiveView!.disconnect());
  expect(await tab.evaluate(() => window.LiveView!.getQueueLength())).toBe(1);
  await tab.evaluate(() => window.LiveView!.connect());
  await tab.waitForFunction(() => window.LiveView!.getQueueLength() === 0);
  release!();
  await tab.waitForFunction(() => !document.querySelector("#save")?.hasAttribute("aria-busy"));
  expect(runs).toBe(1);
});
