import type { Browser } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register("e2e_hello")((consumer, content) => {
    send(consumer, { target: "#out", html: renderToString("message", { text: `Hello, ${String(content.form.name)}` }) });
  });
  server = await startServer({
    pages: {
      "/": page(`<div><input name="name" value="Ada"><button id="go" data-liveview-function="e2e_hello" data-action="click->page#run">Go</button></div><div id="out"></div>`),
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister("e2e_hello");
});

it("runs the handler on click and puts its HTML into the target", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(server.url + "/");
  await waitForLiveView(tab);
  await tab.click("#go");
  await tab.waitForSelector("#out .message");
  expect(await tab.textContent("#out .message")).toBe("Hello, Ada");
  await context.close();
});
