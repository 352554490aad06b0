// Chromium against a LiveView app in its own process. The process is killed and a new one started on the same
// port, so the server really forgets the tab: the page's data-liveview-recover forms rebuild it, ahead of the
// calls made while it was away. A new version on the restarted server reloads the page once the user is idle.
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import type { VersionChangedDetail } from "../../protocol/index";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { openConnected, type Tab } from "../support/e2e";
import { httpGet } from "../support/http";
import { freePort, REPO_ROOT, spawnChild, type Child } from "../support/processes";

jest.setTimeout(60_000);

const FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "recover_node.ts");

let browser: Browser;
let opened: Tab | null = null;
let node: Child | null = null;
let port = 0;

async function startNode(version?: string): Promise<Child> {
  const child = spawnChild(process.execPath, ["--import", "tsx", FIXTURE], {
    PORT: String(port),
    NODE_ENV: "test",
    ...(version ? { APP_VERSION: version } : {}),
  });
  await child.waitFor(/LISTENING \d+/, 30_000);
  return child;
}

/** Kills the server (nothing of its memory survives) and starts a new process on the same port. */
async function restart(tab: Page, version?: string, whileDown: () => Promise<void> = async () => {}): Promise<void> {
  await node!.stop("SIGKILL");
  await tab.waitForFunction(() => window.LiveView!.getConnectionStatus() !== "connected");
  await whileDown();
  node = await startNode(version);
  await waitForLiveView(tab);
}

/** The calls this process's handlers ran: "handler {form, data}". */
const calls = (child: Child): string[] =>
  child.output().split("\n").filter((line) => line.startsWith("CALL ")).map((line) => line.slice("CALL ".length));

const versionEvents = (tab: Page): Promise<Array<VersionChangedDetail & { cancelable: boolean }>> =>
  tab.evaluate(() => JSON.parse(sessionStorage.getItem("versionEvents") ?? "[]"));

/** Sends a call and waits for its answer: every due idle check has run once it returns. */
const roundTrip = (tab: Page, n: string) => tab.evaluate((value) => window.LiveView!.sendData("rc_note", { n: value }), n);

beforeAll(async () => {
  browser = await launchChromium();
});

beforeEach(async () => {
  port = await freePort();
});

afterEach(async () => {
  await opened?.context.close();
  opened = null;
  await node?.stop("SIGKILL");
  node = null;
});

afterAll(async () => {
  await browser?.close();
});

async function openPage(version?: string, query = ""): Promise<Page> {
  node = await startNode(version);
  opened = await openConnected(browser, `http://127.0.0.1:${port}/page${query}`);
  return opened.tab;
}

describe("form recovery after a restart", () => {
  it("calls each recover handler once with the typed values, in document order, before a call queued offline", async () => {
    const tab = await openPage("v1");
    await tab.fill("#title", "Shopping");
    await tab.locator("#body").pressSequentially("milk, eggs");
    await tab.selectOption("select[name=kind]", "task");
    await tab.waitForFunction(() => document.getElementById("state")!.textContent === "saved: Shopping / milk, eggs / task");

    await restart(tab, "v1", async () => {
      await tab.click("#note"); // made while the server is down: it waits in the page's queue
      expect(await tab.evaluate(() => window.LiveView!.getQueueLength())).toBe(1);
    });
    await tab.waitForFunction(() => document.querySelectorAll("#log li").length === 1);

    expect(calls(node!)).toEqual([
      `rc_recover_draft ${JSON.stringify({ form: { title: "Shopping", body: "milk, eggs", kind: "task" }, data: {} })}`,
      `rc_recover_tags ${JSON.stringify({ form: { tag: "red" }, data: {} })}`,
      `rc_note ${JSON.stringify({ form: {}, data: { n: "queued" } })}`,
    ]);
    // The queued call ran on the rebuilt state, and the page shows what the recover handler rendered.
    expect(await tab.locator("#log li").allInnerTexts()).toEqual(["queued: Shopping / milk, eggs / task"]);
    expect(await tab.locator("#state").innerText()).toBe("rebuilt: Shopping / milk, eggs / task");
    expect(await tab.locator("#tags").innerText()).toBe("tag red");
    expect(await tab.inputValue("#title")).toBe("Shopping");
    expect(await tab.inputValue("#body")).toBe("milk, eggs");
    expect(await tab.evaluate(() => window.recorded)).toEqual([false]);
  });

  it("calls no recover handler when the server kept the session", async () => {
    const tab = await openPage("v1");
    await tab.fill("#title", "kept");
    await tab.waitForFunction(() => document.getElementById("state")!.textContent!.startsWith("saved: kept"));
    await httpGet(`http://127.0.0.1:${port}/drop`); // the connection drops, the process and its memory stay
    await tab.waitForFunction(() => window.recorded!.length === 1);
    await waitForLiveView(tab);
    await roundTrip(tab, "after");
    expect(await tab.evaluate(() => window.recorded)).toEqual([true]);
    expect(calls(node!)).toEqual([`rc_note ${JSON.stringify({ form: {}, data: { n: "after" } })}`]);
    expect(await tab.evaluate(() => document.getElementById("log")!.textContent)).toBe("after: kept /  / note");
  });
});

describe("a new version after a restart", () => {
  it("dispatches liveview:version-changed and reloads once no focused field holds unsent text", async () => {
    const tab = await openPage("v1");
    await tab.evaluate(() => (window.marker = 1));
    await tab.locator("#plain-text").pressSequentially("not sent yet"); // a form no call reads, still focused

    await restart(tab, "v2");
    await tab.waitForFunction(() => sessionStorage.getItem("versionEvents") !== null);
    await tab.waitForFunction(() => document.getElementById("state")!.textContent!.startsWith("rebuilt"));
    await roundTrip(tab, "typing"); // an answer: the page looks again, and the focused field still holds unsent text
    expect(await tab.evaluate(() => window.marker)).toBe(1);

    const reloaded = tab.waitForEvent("load");
    await tab.locator("#plain-text").blur();
    await reloaded;
    await waitForLiveView(tab);
    expect(await tab.evaluate(() => window.marker)).toBeUndefined();
    expect(await versionEvents(tab)).toEqual([{ from: "v1", to: "v2", cancelable: true }]);
  });

  it("does not reload when a listener calls preventDefault()", async () => {
    const tab = await openPage("v1", "?prevent=1");
    await tab.evaluate(() => (window.marker = 1));
    await restart(tab, "v2");
    await tab.waitForFunction(() => sessionStorage.getItem("versionEvents") !== null);
    await tab.waitForFunction(() => document.getElementById("state")!.textContent!.startsWith("rebuilt"));
    await roundTrip(tab, "idle"); // idle, and an answer came: a reload would have started by now
    expect(await tab.evaluate(() => window.marker)).toBe(1);
    expect(await versionEvents(tab)).toEqual([{ from: "v1", to: "v2", cancelable: true }]);
  });

  it("does nothing when the restarted server has the same version (the default: the bundle's hash)", async () => {
    const tab = await openPage();
    await tab.evaluate(() => (window.marker = 1));
    await restart(tab);
    await tab.waitForFunction(() => document.getElementById("state")!.textContent!.startsWith("rebuilt"));
    await roundTrip(tab, "idle");
    expect(await tab.evaluate(() => window.marker)).toBe(1);
    expect(await versionEvents(tab)).toEqual([]);
  });
});
