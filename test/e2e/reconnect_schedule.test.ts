import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Browser } from "playwright-core";
import { launchChromium } from "../support/browser";
import { page, startServer, type TestServer } from "../support/server";

let browser: Browser;
let server: TestServer;
let refusing: http.Server;
let attempts: number[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  // Answers every websocket handshake by hanging up: each reconnection attempt is one upgrade request.
  refusing = http.createServer((_req, res) => res.writeHead(503).end());
  refusing.on("upgrade", (_req, socket) => {
    attempts.push(Date.now());
    socket.destroy();
  });
  await new Promise<void>((resolve) => refusing.listen(0, "127.0.0.1", resolve));
  const host = `127.0.0.1:${(refusing.address() as AddressInfo).port}`;
  const body = `<div id="no-connection" class="no-connection no-connection--hide"></div>`;
  server = await startServer({
    pages: {
      "/default": page(body, { head: `<script>window.webSocketConfig = { host: "${host}" };</script>` }),
      "/custom": page(body, {
        head: `<script>window.webSocketConfig = { host: "${host}", reconnect: { delay: 200, factor: 2, maxDelay: 500, attempts: 4 } };</script>`,
      }),
    },
  });
});

beforeEach(() => {
  attempts = [];
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  refusing?.close();
});

const gaps = () => attempts.slice(1).map((at, i) => at - attempts[i]);

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition() && Date.now() - start < timeoutMs) await new Promise((resolve) => setTimeout(resolve, 20));
}

it("waits 3 s and then 4.5 s between attempts by default", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(server.url + "/default");
  await until(() => attempts.length >= 3, 15_000);
  await context.close();
  const [first, second] = gaps();
  // The schedule, measured on the wire: allow for the handshake and the browser's timer slack.
  expect(first).toBeGreaterThanOrEqual(3000);
  expect(first).toBeLessThan(3600);
  expect(second).toBeGreaterThanOrEqual(4500);
  expect(second).toBeLessThan(5100);
});

it("follows a custom schedule, gives up after its tries with the banner shown, and starts again on connect()", async () => {
  const context = await browser.newContext();
  const tab = await context.newPage();
  await tab.goto(server.url + "/custom");
  await tab.waitForFunction(() => window.LiveView?.getConnectionStatus() === "disconnected", undefined, { timeout: 10_000 });
  await tab.waitForTimeout(1000);
  expect(attempts).toHaveLength(5); // the first try and 4 retries
  const expected = [200, 400, 500, 500];
  gaps().forEach((gap, i) => {
    expect(gap).toBeGreaterThanOrEqual(expected[i]);
    expect(gap).toBeLessThan(expected[i] + 400);
  });
  expect(await tab.evaluate(() => document.getElementById("no-connection")!.classList.contains("no-connection--show"))).toBe(true);
  // The page stays usable: a call made now waits in the queue.
  expect(await tab.evaluate(() => (void window.LiveView!.sendData("later"), window.LiveView!.getQueueLength()))).toBe(1);
  await tab.evaluate(() => window.LiveView!.connect());
  await until(() => attempts.length >= 6, 5000);
  expect(attempts.length).toBeGreaterThanOrEqual(6);
  await tab.waitForFunction(() => window.LiveView?.getConnectionStatus() === "disconnected", undefined, { timeout: 10_000 });
  const before = attempts.length;
  await tab.evaluate(() => window.dispatchEvent(new Event("online")));
  await until(() => attempts.length > before, 5000);
  expect(attempts.length).toBeGreaterThan(before);
  await context.close();
});
