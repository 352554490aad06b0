// Chromium -> nginx on loopback -> two LiveView node processes sharing one redis-server. The node the page is
// on goes away (SIGKILL, then a graceful SIGTERM): the page reconnects through the proxy to the other node,
// calls made meanwhile run once, and an update broadcast during the cut reaches it.
import type { Browser, Page } from "playwright-core";
import type { CallAck } from "../../protocol/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { closeClients, connectClient, signedRoom } from "../support/client";
import { startCluster, warmUp, type Cluster, type ClusterNode } from "../support/cluster";
import { openConnected, type Tab } from "../support/e2e";
import { httpGet } from "../support/http";
import { startNginx, type Proxy } from "../support/nginx";

jest.setTimeout(90_000);

declare global {
  interface Window {
    cutAcks?: CallAck[];
  }
}

let browser: Browser;
let cluster: Cluster | null = null;
let proxy: Proxy | null = null;
let opened: Tab | null = null;

beforeAll(async () => {
  browser = await launchChromium();
});

beforeEach(async () => {
  cluster = await startCluster(["a", "b"], () => ({ SHUTDOWN_DEADLINE_MS: "5000", SERVE_PAGE: "1" }));
  const probes = await Promise.all(cluster.nodes.map((node, i) => connectClient(node.url, { room: signedRoom(`warm-${i}`) })));
  await warmUp(cluster.nodes, probes);
  closeClients();
  proxy = await startNginx(cluster.nodes.map((node) => node.port));
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
  await proxy?.stop();
  await cluster?.stop();
  proxy = null;
  cluster = null;
});

afterAll(async () => {
  await browser?.close();
});

const text = (tab: Page, selector: string) => tab.locator(selector).innerText();

/** Asks the page's node for its name: the node the page's socket is on. */
async function nodeOfPage(tab: Page): Promise<ClusterNode> {
  await tab.evaluate(() => (document.getElementById("node")!.textContent = ""));
  await tab.evaluate(() => window.LiveView!.sendData("where"));
  await tab.waitForFunction(() => document.getElementById("node")!.textContent !== "");
  const name = await text(tab, "#node");
  return cluster!.nodes.find((node) => node.name === name)!;
}

/** Once the page loses its connection, it makes these calls (they wait in the page until it is back). */
function callOnDisconnect(tab: Page, ns: string[]): Promise<void> {
  return tab.evaluate((list) => {
    window.cutAcks = [];
    document.addEventListener(
      "liveview:disconnected",
      () => {
        for (const n of list) void window.LiveView!.sendData("record", { n }).then((ack) => window.cutAcks!.push(ack));
      },
      { once: true },
    );
  }, ns);
}

const starts = (n: string) => cluster!.runs().filter((line) => line.endsWith(` ${n} start`));

describe("failover through nginx", () => {
  it("reconnects to the other node after a SIGKILL, runs the calls made meanwhile once, delivers a broadcast sent during the cut", async () => {
    opened = await openConnected(browser, `${proxy!.url}/page?room=failover-1&delay=1000`);
    const { tab } = opened;
    const first = await nodeOfPage(tab);
    const other = cluster!.nodes.find((node) => node !== first)!;
    await callOnDisconnect(tab, ["c1", "c2", "c3"]);

    first.child.process.kill("SIGKILL");
    await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() !== "connected");
    expect(await tab.evaluate(() => window.LiveView!.getQueueLength())).toBe(3);
    await httpGet(`${other.url}/broadcast?text=during-cut`); // the page is away: nobody can hand it this yet

    await waitForLiveView(tab);
    await tab.waitForFunction(() => window.cutAcks!.length === 3);
    expect(await tab.evaluate(() => window.cutAcks)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect((await nodeOfPage(tab)).name).toBe(other.name);
    expect(await tab.locator("#runs li").allInnerTexts()).toEqual(["c1", "c2", "c3"]);
    for (const n of ["c1", "c2", "c3"]) expect(starts(n)).toEqual([`${other.name} failover-1 ${n} start`]);
    await tab.waitForFunction(() => document.getElementById("shout")!.textContent !== "");
    expect(await text(tab, "#shout")).toBe(`during-cut via ${other.name}`);
    expect(await tab.evaluate(() => window.recorded)).toEqual([true]); // missed updates recovered on the other node
  });

  it("moves the page to the other node on a graceful SIGTERM: the running call is answered, later ones run there once", async () => {
    opened = await openConnected(browser, `${proxy!.url}/page?room=failover-2&delay=1000`);
    const { tab } = opened;
    const first = await nodeOfPage(tab);
    const other = cluster!.nodes.find((node) => node !== first)!;

    const slow = tab.evaluate(() => window.LiveView!.sendData("record", { n: "s1", sleepMs: "800" }));
    while (starts("s1").length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    first.child.process.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    // Made while the node drains: it is held back there and sent again to the other node.
    const held = tab.evaluate(() => window.LiveView!.sendData("record", { n: "s2" }));
    await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() !== "connected");
    await httpGet(`${other.url}/broadcast?text=while-moving`);

    expect(await slow).toEqual({ ok: true });
    expect(await held).toEqual({ ok: true });
    expect(await first.child.exited).toBe(0);
    await waitForLiveView(tab);
    expect((await nodeOfPage(tab)).name).toBe(other.name);
    expect(starts("s1")).toEqual([`${first.name} failover-2 s1 start`]);
    expect(starts("s2")).toEqual([`${other.name} failover-2 s2 start`]);
    expect(await tab.locator("#runs li").allInnerTexts()).toEqual(["s1", "s2"]);
    await tab.waitForFunction(() => document.getElementById("shout")!.textContent !== "");
    expect(await text(tab, "#shout")).toBe(`while-moving via ${other.name}`);
    expect(await tab.evaluate(() => window.recorded)).toEqual([true]);
  });
});
