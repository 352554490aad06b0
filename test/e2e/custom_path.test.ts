import type { Browser } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { page, startServer, type TestServer } from "../support/server";

const HELLO = "e2e_custom_path_hello";
const PATH = "/custom/ws/";

let browser: Browser;
let server: TestServer;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(HELLO)((consumer, content) => {
    const html = renderToString("message", { text: `Hello, ${String(content.form.name)}` });
    send(consumer, { target: "#out", html });
  });
  server = await startServer({
    path: PATH,
    pages: {
      "/": page(
        `<div><input name="name" value="Ada">
          <button id="go" data-liveview-function="${HELLO}" data-action="click->page#run">Go</button></div>
        <div id="out"></div>`,
        { head: `<script>window.webSocketConfig = { path: "${PATH}" };</script>` },
      ),
    },
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(HELLO);
});

it("connects on the path of window.webSocketConfig and runs a click", async () => {
  const context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  const tab = await context.newPage();
  const sockets: string[] = [];
  tab.on("websocket", (socket) => sockets.push(new URL(socket.url()).pathname));
  await tab.goto(server.url + "/");
  await waitForLiveView(tab);
  expect(sockets).toEqual([PATH]);
  await tab.click("#go");
  await tab.waitForSelector("#out .message");
  expect(await tab.textContent("#out .message")).toBe("Hello, Ada");
  await context.close();
});
