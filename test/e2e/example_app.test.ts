import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import sharp from "sharp";
import { createApp, type ExampleApp } from "../../example/app";
import { waitForLiveView } from "../../testing/wait_for_live_view";
import { launchChromium } from "../support/browser";
import { closeClients, connectClient, nextUpdate } from "../support/client";
import { openConnected, waitFor, type Tab } from "../support/e2e";
import { pngOf, uploadFile, uploadStats } from "../support/uploads";

let browser: Browser;
let example: ExampleApp;
let url: string;
let tabs: Tab[] = [];
const logLines: string[] = [];
const dataDir = mkdtempSync(path.join(os.tmpdir(), "liveview-example-"));
const SCREENSHOTS = path.join(__dirname, "..", "..", "docs", "img");

beforeAll(async () => {
  browser = await launchChromium();
  example = createApp({ dataDir, dashboardIntervalMs: 250, dashboardPollMs: 200, log: (line) => logLines.push(line) });
  await new Promise<void>((resolve) => example.httpServer.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(example.httpServer.address() as AddressInfo).port}/`;
});

afterEach(async () => {
  await Promise.all(tabs.map((opened) => opened.context.close()));
  tabs = [];
});

afterAll(async () => {
  await browser?.close();
  await example?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function open(pathname: string): Promise<Page> {
  const opened = await openConnected(browser, url + pathname);
  tabs.push(opened);
  return opened.tab;
}

/** Logs in through the login form (a real express-session cookie), then opens `pathname`. */
async function openAs(name: string, pathname: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  context.setDefaultTimeout(10_000);
  const tab = await context.newPage();
  tabs.push({ context, tab });
  await tab.goto(url + "login");
  await tab.fill("input[name=username]", name);
  await Promise.all([tab.waitForNavigation(), tab.click("form.login button")]);
  await tab.goto(url + pathname);
  await waitForLiveView(tab);
  return tab;
}

const screenshot = async (tab: Page, name: string) => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await tab.screenshot({ path: path.join(SCREENSHOTS, name) });
};

describe("home", () => {
  it("counts, says hello (escaped) and appends a greeting without reloading", async () => {
    const tab = await open("");
    await tab.evaluate(() => (window.marker = 1));
    await tab.click("button:has-text('+10')");
    await tab.waitForFunction(() => document.querySelector("#counter")?.textContent?.trim() === "10");
    await tab.fill("section:has(#greeting) input[name=name]", "<b>Ada</b>");
    await tab.click("button:has-text('Say hello')");
    await tab.waitForSelector("#greeting .greeting");
    expect(await tab.textContent("#greeting .greeting")).toBe("Hello, <b>Ada</b>! Welcome to express-liveview.");
    await tab.fill("form input[name=name]", "Grace");
    await tab.selectOption("form select[name=greeting]", "Hola");
    await tab.check("form input[name=shout]");
    await tab.click("form button[type=submit]");
    await tab.waitForSelector("#greetings li");
    expect(await tab.textContent("#greetings li")).toBe("Hola, Grace!!!");
    expect(await tab.evaluate(() => window.marker)).toBe(1);
  });
});

describe("articles", () => {
  it("narrows the results as the user types, with the matches highlighted", async () => {
    const tab = await open("articles");
    expect(await tab.locator(".results li").count()).toBe(20);
    await tab.type("input[name=search]", "tour nod", { delay: 30 });
    await tab.waitForFunction(() => document.querySelectorAll(".results li").length < 20);
    const titles = await tab.locator(".results li a").allTextContents();
    expect(titles.length).toBe(5);
    for (const title of titles) expect(title).toMatch(/^A tour of Node /);
    expect(logLines.filter((line) => line.includes("search_articles")).length).toBeLessThanOrEqual(2);
    expect(await tab.locator(".results mark").count()).toBeGreaterThan(0);
    await screenshot(tab, "articles.png");
  });

  it("opens an article with its URL and title, and the back button returns to the list", async () => {
    const tab = await open("articles");
    const first = tab.locator(".results li a").first();
    const title = (await first.textContent())!.trim();
    await first.click();
    await tab.waitForSelector("article h2");
    expect(await tab.textContent("article h2")).toBe(title);
    expect(new URL(tab.url()).pathname).toMatch(/^\/articles\/\d+$/);
    expect(await tab.title()).toBe(title);
    await tab.goBack();
    await tab.waitForSelector(".results li");
    expect(new URL(tab.url()).pathname).toBe("/articles");
    expect(await tab.title()).toBe("Articles");
  });

  it("Back from an article puts the list and the search typed back without a call or a page load", async () => {
    const tab = await open("articles");
    await tab.evaluate(() => (window.marker = 1));
    await tab.type("input[name=search]", "tour nod", { delay: 30 });
    await tab.waitForFunction(() => document.querySelectorAll(".results li").length < 20);
    const titles = await tab.locator(".results li a").allTextContents();
    await tab.locator(".results li a").first().click();
    await tab.waitForSelector("article h2");
    await waitFor(() => logLines.some((line) => line.includes("open_article")));
    const seen = logLines.length;
    await tab.goBack();
    await tab.waitForSelector(".results li");
    expect(new URL(tab.url()).pathname).toBe("/articles");
    expect(await tab.title()).toBe("Articles");
    expect(await tab.inputValue("input[name=search]")).toBe("tour nod");
    expect(await tab.locator(".results li a").allTextContents()).toEqual(titles);
    expect(await tab.evaluate(() => window.marker)).toBe(1);
    // Calls from one tab are handled in order: a call made by Back would be logged before this search.
    await tab.fill("input[name=search]", "node");
    await waitFor(() => logLines.slice(seen).some((line) => line.includes("search_articles")));
    expect(logLines.slice(seen).map((line) => line.split(" ")[1])).toEqual(["search_articles"]);
  });
});

describe("items", () => {
  it("loads all 100 items, each page once, as the user scrolls", async () => {
    const tab = await open("items");
    for (let i = 0; i < 40 && (await tab.locator(".item").count()) < 100; i++) {
      await tab.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
      await tab.waitForTimeout(100);
    }
    await tab.waitForFunction(() => document.querySelectorAll(".item").length === 100);
    await tab.waitForTimeout(300);
    expect(await tab.locator(".item").allTextContents()).toEqual(Array.from({ length: 100 }, (_, i) => `Item ${i + 1}`));
    expect(await tab.locator("#load-more-trigger").innerHTML()).toBe("");
    expect(logLines.filter((line) => line.includes("load_more")).length).toBe(10);
  });
});

describe("todos", () => {
  it("refuses a write from an anonymous visitor with a clear message", async () => {
    const tab = await open("todos");
    await tab.fill("#todo-new input[name=title]", "Sneaky");
    await tab.click("#todo-new button");
    await tab.waitForFunction(() => document.querySelector("#error")?.textContent?.includes("You must be logged in"));
    expect(await tab.locator(".todo").count()).toBe(0);
  });

  it("creates, validates, edits in place, toggles and deletes, and keeps the list across a reload", async () => {
    const tab = await openAs("ada", "todos");
    await tab.click("#todo-new button");
    await tab.waitForSelector("#todo-title-error");
    expect(await tab.textContent("#todo-title-error")).toBe("Write something to do.");
    await tab.fill("#todo-new input[name=title]", "Write the docs");
    await tab.click("#todo-new button");
    await tab.waitForSelector(".todo .todo-title");
    expect(await tab.textContent(".todo .todo-title")).toBe("Write the docs");
    expect(await tab.locator("#todo-title-error").count()).toBe(0);
    await tab.waitForFunction(() => document.activeElement === document.querySelector("#todo-new input[name=title]"));
    await tab.fill("#todo-new input[name=title]", "Ship it");
    await tab.click("#todo-new button");
    await tab.waitForFunction(() => document.querySelectorAll(".todo").length === 2);

    await tab.locator(".todo", { hasText: "Write the docs" }).locator("button:has-text('Edit')").click();
    await tab.waitForSelector(".todo-edit input");
    await tab.waitForFunction(() => document.activeElement === document.querySelector(".todo-edit input"));
    await tab.fill(".todo-edit input", "Write the best docs");
    await tab.click(".todo-edit button");
    await tab.waitForFunction(() => [...document.querySelectorAll(".todo-title")].some((el) => el.textContent === "Write the best docs"));

    // Rejected while editing: the error is morphed in, and the field keeps its text, focus and caret.
    await tab.locator(".todo", { hasText: "Write the best docs" }).locator("button:has-text('Edit')").click();
    await tab.waitForFunction(() => document.activeElement === document.querySelector(".todo-edit input"));
    await tab.evaluate(() => ((window as unknown as { editField: Element }).editField = document.querySelector(".todo-edit input")!));
    await tab.fill(".todo-edit input", "x".repeat(101));
    await tab.evaluate(() => (document.querySelector(".todo-edit input") as HTMLInputElement).setSelectionRange(40, 40));
    await tab.press(".todo-edit input", "Enter");
    await tab.waitForSelector(".todo-edit .field-error");
    expect(
      await tab.evaluate(() => {
        const field = document.querySelector(".todo-edit input") as HTMLInputElement;
        const kept = (window as unknown as { editField: Element }).editField === field;
        return { kept, focused: document.activeElement === field, length: field.value.length, caret: field.selectionStart };
      }),
    ).toEqual({ kept: true, focused: true, length: 101, caret: 40 });
    await tab.press(".todo-edit input", "Escape");
    await tab.waitForSelector(".todo-edit", { state: "detached" });
    await tab.locator(".todo", { hasText: "Ship it" }).locator("input[type=checkbox]").check();
    await tab.waitForSelector(".todo .done");
    await tab.locator(".todo", { hasText: "Write the best docs" }).locator("button:has-text('Delete')").click();
    await tab.waitForFunction(() => document.querySelectorAll(".todo").length === 1);
    await screenshot(tab, "todos.png");

    await tab.reload();
    await waitForLiveView(tab);
    expect(await tab.locator(".todo-title").allTextContents()).toEqual(["Ship it"]);
    expect(await tab.locator(".todo input[type=checkbox]").isChecked()).toBe(true);
  });

  it("opens the new-todo field with n and leaves editing with Esc", async () => {
    const tab = await openAs("grace", "todos");
    await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await tab.keyboard.press("n");
    await tab.waitForFunction(() => document.activeElement === document.querySelector("#todo-new input[name=title]"));
    await tab.keyboard.type("From the keyboard");
    await tab.keyboard.press("Enter");
    await tab.waitForFunction(() => [...document.querySelectorAll(".todo-title")].some((el) => el.textContent === "From the keyboard"));
    const row = tab.locator(".todo", { hasText: "From the keyboard" });
    await row.locator("button:has-text('Edit')").click();
    await tab.waitForSelector(".todo-edit input");
    await tab.keyboard.press("Escape");
    await tab.waitForFunction(() => document.querySelectorAll(".todo-edit").length === 0);
    expect(await row.locator(".todo-title").textContent()).toBe("From the keyboard");
  });

  it("answers a flood of calls with a clear message", async () => {
    const tab = await open("todos");
    await tab.evaluate(() => Promise.all(Array.from({ length: 40 }, () => window.LiveView!.sendData("todo_new"))));
    await tab.waitForFunction(() => document.querySelector("#error")?.textContent?.includes("Too many actions"));
  });
});

describe("chat", () => {
  it("shows a message typed in one browser in another browser in the same room only", async () => {
    const ada = await openAs("ada", "chat/general");
    const reader = await open("chat/general");
    const elsewhere = await open("chat/random");
    await ada.waitForFunction(() => document.querySelector("#presence")?.textContent?.includes("ada"));
    await ada.waitForFunction(() => document.querySelector("#presence")?.textContent?.includes("1 guest"));
    await ada.fill("input[name=message]", "Hello, room!");
    await ada.click(".chat-form button");
    await reader.waitForFunction(() => document.querySelector("#messages")?.textContent?.includes("Hello, room!"));
    expect(await reader.locator("#messages .message").last().textContent()).toBe("ada Hello, room!");
    await ada.waitForFunction(() => document.querySelector("#messages")?.textContent?.includes("Hello, room!"));
    await screenshot(ada, "chat.png");
    await elsewhere.waitForTimeout(300);
    expect(await elsewhere.locator("#messages").textContent()).not.toContain("Hello, room!");
    // Kept in the database: a new visitor sees it.
    const later = await open("chat/general");
    expect(await later.locator("#messages").textContent()).toContain("Hello, room!");
  });

  it("keeps a logged-in user's unsent message and presence across a server restart (data-liveview-recover)", async () => {
    const ada = await openAs("ada", "chat/random");
    await ada.waitForFunction(() => document.querySelector("#presence")?.textContent?.includes("ada"));
    await ada.fill("input[name=message]", "half-typed");
    const port = (example.httpServer.address() as AddressInfo).port;
    await example.close(); // a restart: the new process knows nobody is in the room
    await ada.waitForFunction(() => window.LiveView!.getConnectionStatus() !== "connected");
    example = createApp({ dataDir, dashboardIntervalMs: 250, log: (line) => logLines.push(line) });
    await new Promise<void>((resolve) => example.httpServer.listen(port, "127.0.0.1", resolve));
    await waitForLiveView(ada);
    await waitFor(() => logLines.some((line) => line.startsWith("[example] chat_recover by ada: ok")));
    const reader = await open("chat/random");
    await reader.waitForFunction(() => document.querySelector("#presence")?.textContent?.includes("ada"));
    expect(await ada.inputValue("input[name=message]")).toBe("half-typed");
    await ada.reload(); // as after a deploy that changed the bundle: the draft comes back from her session
    expect(await ada.inputValue("input[name=message]")).toBe("half-typed");
  });

  it("does not let an anonymous reader send", async () => {
    const tab = await open("chat/help");
    await tab.fill("input[name=message]", "anyone?");
    await tab.click(".chat-form button");
    await tab.waitForFunction(() => document.querySelector("#error")?.textContent?.includes("You must be logged in"));
  });
});

describe("dashboard", () => {
  it("draws the chart with Chart.js served locally and updates it from server pushes", async () => {
    const tab = await open("dashboard");
    const requests: string[] = [];
    tab.on("request", (request) => requests.push(request.url()));
    await tab.waitForFunction(() => (window as unknown as { dashboardChart?: unknown }).dashboardChart !== undefined);
    const first = await tab.textContent("#dashboard-stats .muted");
    await tab.waitForFunction((before) => document.querySelector("#dashboard-stats .muted")?.textContent !== before, first);
    const points = await tab.evaluate(
      () => (window as unknown as { dashboardChart: { data: { datasets: Array<{ data: number[] }> } } }).dashboardChart.data.datasets[0].data.length,
    );
    expect(points).toBe(12);
    expect(requests.every((request) => request.startsWith(url))).toBe(true);
  });
});

describe("dashboard: the per-user panel", () => {
  it("polls the user's own todo counts beside the broadcast chart", async () => {
    const tab = await openAs("polly", "dashboard");
    await tab.waitForSelector("#dashboard-mine #mine-open");
    expect(await tab.textContent("#mine-open")).toBe("0");
    // Nothing on the page asks for it: only the next poll can show the new todo.
    example.db.prepare("INSERT INTO todos (title, author, created) VALUES (?, ?, ?)").run("polled", "polly", new Date().toISOString());
    await tab.waitForFunction(() => document.querySelector("#mine-open")?.textContent === "1");
    expect(await tab.textContent("#dashboard-mine")).toContain("polly");
  });

  it("asks a visitor to log in", async () => {
    const tab = await open("dashboard");
    await tab.waitForFunction(() => document.querySelector("#dashboard-mine")?.textContent?.includes("Log in"));
  });
});

describe("avatar", () => {
  it("uploads an avatar with a progress bar, resizes it to 500 px and serves it from outside the public folder", async () => {
    const tab = await openAs("ada", "avatar");
    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#3366cc" } }).png().toBuffer();
    await tab.setInputFiles("input[name=avatar]", { name: "holiday.png", mimeType: "image/png", buffer: photo });
    await tab.click("#avatar-form button");
    await tab.waitForSelector("#avatar-image");
    expect(await tab.textContent("#upload-status .success")).toBe("Avatar uploaded: holiday.png (500×375)");
    expect(await tab.evaluate(() => document.querySelector("progress")!.value)).toBe(100);
    const src = (await tab.getAttribute("#avatar-image", "src"))!;
    expect(readdirSync(path.join(dataDir, "avatars"))).toEqual([path.basename(src)]);
    expect(existsSync(path.join(__dirname, "..", "..", "example", "public", path.basename(src)))).toBe(false);
    const response = await tab.request.get(url + src.slice(1));
    expect(response.headers()["content-type"]).toBe("image/png");
    expect((await sharp(await response.body()).metadata()).width).toBe(500);
    expect((await tab.request.get(url + "avatars/..%2F..%2Fpackage.json")).status()).toBe(404);
  });

  it("stores nothing, in memory or on disk, for 50 anonymous sockets: the login check runs before the first byte", async () => {
    const before = existsSync(path.join(dataDir, "avatars")) ? readdirSync(path.join(dataDir, "avatars")) : [];
    const clients = await Promise.all(Array.from({ length: 50 }, () => connectClient(url)));
    const told = clients.map((client) => nextUpdate(client, (update) => update.target === "#error"));
    const results = await Promise.all(
      clients.map((client) => uploadFile(client, { function: "upload_avatar", data: pngOf(1024 * 1024), hostile: true })),
    );
    for (const result of results) {
      expect(result.start).toEqual({ ok: false, error: "Cancelled: upload_avatar" });
      expect(result.chunks.every((ack) => !ack.ok)).toBe(true);
    }
    for (const update of await Promise.all(told)) expect(update.html).toMatch(/You must be logged in/);
    expect(uploadStats(example.liveview)).toEqual({ uploads: 0, completed: 0, reservedBytes: 0, storedBytes: 0 });
    const after = existsSync(path.join(dataDir, "avatars")) ? readdirSync(path.join(dataDir, "avatars")) : [];
    expect(after).toEqual(before);
    closeClients();
  });

  it("shows a refused upload's reason in #error", async () => {
    const tab = await openAs("ada", "avatar");
    await tab.setInputFiles("input[name=avatar]", { name: "notes.png", mimeType: "image/png", buffer: Buffer.from("just text, not an image".repeat(300)) });
    await tab.click("#avatar-form button");
    await tab.waitForFunction(() => document.querySelector("#error")?.textContent?.includes("File type not allowed"));
  });
});
