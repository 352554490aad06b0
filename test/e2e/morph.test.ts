import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, send, type Update } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

/** Sends back the update it is given in `data.update`, so each test states the update it applies. */
const ECHO = "e2e_morph_echo";
/** Answers slowly with the form re-rendered from what the call carried (a stale copy by the time it lands). */
const SLOW_SEARCH = "e2e_morph_slow_search";
/** Does nothing: what the interaction attributes of the behaviours test call. */
const NOOP = "e2e_morph_noop";

declare global {
  interface Window {
    /** Marks set on elements by the tests, to see whether a morph kept the same element. */
    kept?: Record<string, Element>;
    probe?: { connects: number; disconnects: number };
  }
}

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
let pageErrors: Error[] = [];
let searches: string[] = [];

const FORM = (values: { name?: string; email?: string; error?: string }) => `
  <label>Name <input id="name" name="name" value="${values.name ?? ""}"></label>
  ${values.error ? `<p class="error" id="name-error">${values.error}</p>` : ""}
  <label>Email <input id="email" name="email" value="${values.email ?? ""}"></label>`;

const SEARCH_FORM = (q: string, results: string, patchFocused: boolean) => `
  <input id="q" name="q" value="${q}" ${patchFocused ? "data-liveview-patch-focused" : ""}
         data-action="input->page#run" data-liveview-function="${SLOW_SEARCH}" ${patchFocused ? "" : `data-liveview-debounce="30"`}
         data-data-patch="${patchFocused ? "yes" : "no"}">
  <p id="results">${results}</p>`;

const BODY = `
<form id="form">${FORM({})}</form>
<div id="scroller" style="height: 50px; overflow: auto"><div style="height: 2000px">tall <span id="label">one</span></div></div>
<div id="media"><audio id="audio" loop></audio><span id="media-label">one</span></div>
<div id="disclosure"><details id="details"><summary>More</summary><p>inside</p></details><span id="details-label">one</span></div>
<div id="stimulus"><div id="probe" data-controller="probe">probe <span id="probe-label">one</span></div></div>
<div id="ignored-box"><div id="ignored" data-liveview-ignore>page's own</div><span id="ignored-label">one</span></div>
<ul id="list"><li id="a">a</li><li id="b">b</li><li id="c">c</li></ul>
<div id="scripts"></div>
<div id="wrap"><div id="card" class="old">card</div></div>
<div id="behaviours"></div>
<form id="search">${SEARCH_FORM("", "", false)}</form>
<form id="patched">${SEARCH_FORM("", "", true).replace('id="q"', 'id="p"').replace('id="results"', 'id="presults"')}</form>`;

/** Registers a Stimulus controller `probe` on the bundle's application, counting its connects and disconnects. */
const PROBE = `<script type="module">
  import { Controller } from "/stimulus.js";
  window.probe = { connects: 0, disconnects: 0 };
  const register = () => window.Stimulus.register("probe", class extends Controller {
    connect() { window.probe.connects++; }
    disconnect() { window.probe.disconnects++; }
  });
  if (window.Stimulus) register(); else addEventListener("DOMContentLoaded", () => setTimeout(register));
</script>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(ECHO)((consumer, content) => {
    send(consumer, content.data.update as Update);
  });
  liveviewRegistry.register(NOOP)(() => {});
  liveviewRegistry.register(SLOW_SEARCH)(async (consumer, content) => {
    const q = String(content.form.q ?? "");
    searches.push(q);
    await new Promise((resolve) => setTimeout(resolve, 120));
    const patch = content.data.patch === "yes";
    const html = SEARCH_FORM(q, `results for ${q}`, patch);
    send(consumer, {
      target: patch ? "#patched" : "#search",
      html: patch ? html.replace('id="q"', 'id="p"').replace('id="results"', 'id="presults"') : html,
      morph: true,
    });
  });
  server = await startServer({
    pages: {
      "/": page(BODY, { head: PROBE }),
      "/morph-default": page(BODY, { head: `<script>window.webSocketConfig = { morph: true }</script>` }),
    },
  });
  server.app.get("/stimulus.js", (_req, res) =>
    res.type("js").sendFile(path.join(__dirname, "..", "..", "node_modules", "@hotwired", "stimulus", "dist", "stimulus.js")),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(ECHO);
  liveviewRegistry.unregister(SLOW_SEARCH);
  liveviewRegistry.unregister(NOOP);
});

beforeEach(() => {
  searches = [];
});

async function open(url = "/"): Promise<Page> {
  const tab = await tabs.open(browser, server.url + url);
  pageErrors = [];
  tab.on("pageerror", (error) => pageErrors.push(error));
  return tab;
}

/** Has the handler send `update` to this tab; resolves once the call is acknowledged (the update came first). */
async function apply(tab: Page, update: Update): Promise<void> {
  const ack = await tab.evaluate(
    ([fn, u]) => window.LiveView!.sendData(fn, { update: u }),
    [ECHO, update as Record<string, string | boolean>] as const,
  );
  expect(ack).toEqual({ ok: true });
}

/** Remembers the elements matching the selectors, to ask later whether the page still holds the same ones. */
async function mark(tab: Page, ...selectors: string[]): Promise<void> {
  await tab.evaluate((list) => {
    window.kept = window.kept ?? {};
    for (const selector of list) window.kept[selector] = document.querySelector(selector)!;
  }, selectors);
}

const same = (tab: Page, selector: string) =>
  tab.evaluate((s) => window.kept![s] === document.querySelector(s) && window.kept![s].isConnected, selector);

it("keeps the focused field's value, caret and selection when the form is morphed", async () => {
  const tab = await open();
  await tab.click("#name");
  await tab.keyboard.type("Ada Lovelace");
  await tab.evaluate(() => (document.querySelector("#name") as HTMLInputElement).setSelectionRange(2, 5));
  await mark(tab, "#name", "#email");
  await apply(tab, { target: "#form", html: FORM({ name: "Ada", email: "ada@example.com", error: "Too short" }), morph: true });
  await tab.waitForSelector("#name-error");
  const state = await tab.evaluate(() => {
    const name = document.querySelector("#name") as HTMLInputElement;
    return {
      value: name.value,
      selection: [name.selectionStart, name.selectionEnd],
      focused: document.activeElement === name,
      email: (document.querySelector("#email") as HTMLInputElement).value,
    };
  });
  expect(state).toEqual({ value: "Ada Lovelace", selection: [2, 5], focused: true, email: "ada@example.com" });
  expect(await same(tab, "#name")).toBe(true);
  expect(await same(tab, "#email")).toBe(true);
});

it("loses nothing typed into a field while the form is re-rendered with validation errors for another", async () => {
  const tab = await open();
  await tab.click("#email");
  await tab.keyboard.type("ada@");
  // The server answers another field's validation while the user is still typing in this one.
  await tab.evaluate(
    ([fn, html]) => void window.LiveView!.sendData(fn, { update: { target: "#form", html, morph: true } }),
    [ECHO, FORM({ name: "A", email: "", error: "Name is too short" })] as const,
  );
  await tab.keyboard.type("example.com");
  await tab.waitForSelector("#name-error");
  const email = await tab.evaluate(() => {
    const input = document.querySelector("#email") as HTMLInputElement;
    return { value: input.value, caret: input.selectionStart, focused: document.activeElement === input };
  });
  expect(email).toEqual({ value: "ada@example.com", caret: "ada@example.com".length, focused: true });
  expect(await tab.inputValue("#name")).toBe("A");
});

it("patches the focused field when it carries data-liveview-patch-focused, keeping the caret", async () => {
  const tab = await open();
  await tab.click("#name");
  await tab.keyboard.type("ada");
  await tab.evaluate(() => (document.querySelector("#name") as HTMLInputElement).setSelectionRange(1, 1));
  const html = FORM({ name: "ADA" }).replace('id="name"', 'id="name" data-liveview-patch-focused');
  await apply(tab, { target: "#form", html, morph: true });
  await tab.waitForFunction(() => (document.querySelector("#name") as HTMLInputElement).value === "ADA");
  expect(await tab.evaluate(() => (document.querySelector("#name") as HTMLInputElement).selectionStart)).toBe(1);
});

it("keeps the scroll position of a kept element", async () => {
  const tab = await open();
  await tab.evaluate(() => (document.querySelector("#scroller")!.scrollTop = 300));
  await mark(tab, "#scroller > div");
  await apply(tab, { target: "#scroller", html: `<div style="height: 2000px">tall <span id="label">two</span></div>`, morph: true });
  await tab.waitForFunction(() => document.querySelector("#label")?.textContent === "two");
  expect(await tab.evaluate(() => document.querySelector("#scroller")!.scrollTop)).toBe(300);
  expect(await same(tab, "#scroller > div")).toBe(true);
});

it("keeps an <audio> element playing", async () => {
  const tab = await open();
  // One second of silence as a WAV file, looped.
  await tab.evaluate(() => {
    const rate = 8000;
    const bytes = new Uint8Array(44 + rate);
    const view = new DataView(bytes.buffer);
    const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
    text(0, "RIFF"); view.setUint32(4, 36 + rate, true); text(8, "WAVEfmt ");
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate, true); view.setUint16(32, 1, true); view.setUint16(34, 8, true);
    text(36, "data"); view.setUint32(40, rate, true); bytes.fill(128, 44);
    const audio = document.querySelector("#audio") as HTMLAudioElement;
    audio.muted = true;
    audio.src = URL.createObjectURL(new Blob([bytes], { type: "audio/wav" }));
    return audio.play();
  });
  await tab.waitForFunction(() => (document.querySelector("#audio") as HTMLAudioElement).currentTime > 0);
  await mark(tab, "#audio");
  await apply(tab, { target: "#media", html: `<audio id="audio" loop></audio><span id="media-label">two</span>`, morph: true });
  await tab.waitForFunction(() => document.querySelector("#media-label")?.textContent === "two");
  expect(await tab.evaluate(() => (document.querySelector("#audio") as HTMLAudioElement).paused)).toBe(false);
  expect(await same(tab, "#audio")).toBe(true);
});

it("keeps a <details> the user opened open", async () => {
  const tab = await open();
  await tab.click("#details summary");
  await tab.waitForFunction(() => (document.querySelector("#details") as HTMLDetailsElement).open);
  await apply(tab, {
    target: "#disclosure",
    html: `<details id="details"><summary>More</summary><p>inside, changed</p></details><span id="details-label">two</span>`,
    morph: true,
  });
  await tab.waitForFunction(() => document.querySelector("#details-label")?.textContent === "two");
  expect(await tab.evaluate(() => (document.querySelector("#details") as HTMLDetailsElement).open)).toBe(true);
  expect(await tab.textContent("#details p")).toBe("inside, changed");
});

it("keeps the Stimulus controllers of kept elements connected", async () => {
  const tab = await open();
  await tab.waitForFunction(() => window.probe?.connects === 1);
  await apply(tab, { target: "#stimulus", html: `<div id="probe" data-controller="probe">probe <span id="probe-label">two</span></div>`, morph: true });
  await tab.waitForFunction(() => document.querySelector("#probe-label")?.textContent === "two");
  // Stimulus reacts to DOM changes in a MutationObserver callback: give it one more turn.
  await tab.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  expect(await tab.evaluate(() => window.probe)).toEqual({ connects: 1, disconnects: 0 });
  // Replacing instead is what disconnects them: the same update without morph does.
  await apply(tab, { target: "#stimulus", html: `<div id="probe" data-controller="probe">probe <span id="probe-label">three</span></div>` });
  await tab.waitForFunction(() => window.probe?.disconnects === 1 && window.probe.connects === 2);
});

it("never touches a data-liveview-ignore subtree", async () => {
  const tab = await open();
  await tab.evaluate(() => {
    const el = document.querySelector("#ignored")!;
    el.textContent = "changed by the page";
    el.setAttribute("data-state", "open");
  });
  await apply(tab, {
    target: "#ignored-box",
    html: `<div id="ignored" data-liveview-ignore class="server">server's</div><span id="ignored-label">two</span>`,
    morph: true,
  });
  await tab.waitForFunction(() => document.querySelector("#ignored-label")?.textContent === "two");
  expect(await tab.evaluate(() => document.querySelector("#ignored")!.outerHTML)).toBe(
    `<div id="ignored" data-liveview-ignore="" data-state="open">changed by the page</div>`,
  );
});

it("matches elements by id when the server reorders them", async () => {
  const tab = await open();
  await mark(tab, "#a", "#b", "#c");
  await apply(tab, { target: "#list", html: `<li id="c">c</li><li id="a">a!</li><li id="b">b</li>`, morph: true });
  await tab.waitForFunction(() => document.querySelector("#a")?.textContent === "a!");
  expect(await tab.locator("#list li").allTextContents()).toEqual(["c", "a!", "b"]);
  for (const id of ["#a", "#b", "#c"]) expect(await same(tab, id)).toBe(true);
});

it("runs the inline scripts of new or changed script elements once", async () => {
  const tab = await open();
  await tab.evaluate(() => (window.recorded = []));
  const withScript = (code: string) => `<p id="s-label">x</p><script>window.recorded.push(${code})</script>`;
  await apply(tab, { target: "#scripts", html: withScript("'first'"), morph: true });
  await apply(tab, { target: "#scripts", html: withScript("'first'").replace(">x<", ">y<"), morph: true });
  await tab.waitForFunction(() => document.querySelector("#s-label")?.textContent === "y");
  expect(await tab.evaluate(() => window.recorded)).toEqual(["first"]);
  await apply(tab, { target: "#scripts", html: withScript("'second', el.id"), morph: true });
  await tab.waitForFunction(() => window.recorded!.length === 3);
  expect(await tab.evaluate(() => window.recorded)).toEqual(["first", "second", "scripts"]);
  expect(pageErrors).toEqual([]);
});

it("morphs the target element itself with outer: true", async () => {
  const tab = await open();
  await mark(tab, "#card");
  await tab.evaluate(() =>
    document.querySelector("#card")!.addEventListener("liveview:update", () => window.recorded?.push("event on card")),
  );
  await tab.evaluate(() => (window.recorded = []));
  await apply(tab, { target: "#card", html: `<div id="card" class="new">card, changed</div>`, outer: true, morph: true });
  await tab.waitForFunction(() => document.querySelector("#card")?.className === "new");
  expect(await tab.textContent("#card")).toBe("card, changed");
  expect(await same(tab, "#card")).toBe(true);
  expect(await tab.evaluate(() => window.recorded)).toEqual(["event on card"]);
});

it("uses the page default from webSocketConfig.morph, and an update's morph: false overrides it", async () => {
  const tab = await open("/morph-default");
  await mark(tab, "#a");
  await apply(tab, { target: "#list", html: `<li id="a">a, morphed</li>` });
  await tab.waitForFunction(() => document.querySelector("#a")?.textContent === "a, morphed");
  expect(await same(tab, "#a")).toBe(true);
  await apply(tab, { target: "#list", html: `<li id="a">a, replaced</li>`, morph: false });
  await tab.waitForFunction(() => document.querySelector("#a")?.textContent === "a, replaced");
  expect(await same(tab, "#a")).toBe(false);
});

it("wires and releases the interaction attributes of morphed content as replacing does", async () => {
  const tab = await open();
  await tab.evaluate(() => (window.recorded = []));
  const stats = () => tab.evaluate(() => window.LiveView!.getStats());
  const before = await stats();
  const content = (n: number) =>
    `<div id="kb" data-liveview-keyboard-map='{"ctrl+k": "${NOOP}"}'>${n}</div>` +
    `<div id="seen" data-liveview-intersect-appear="${NOOP}">seen ${n}</div>` +
    `<button id="delayed" data-liveview-function="${NOOP}" data-liveview-debounce="5000" data-action="click->page#run">later</button>`;
  await apply(tab, { target: "#behaviours", html: content(1), morph: true });
  await tab.click("#delayed"); // starts a debounce timer
  const wired = await stats();
  expect(wired.keyboardMaps).toBe(before.keyboardMaps + 1);
  expect(wired.observedElements).toBe(before.observedElements + 1);
  expect(wired.timers).toBe(before.timers + 1);
  for (let n = 2; n <= 5; n++) await apply(tab, { target: "#behaviours", html: content(n), morph: true });
  await tab.waitForFunction(() => document.querySelector("#kb")?.textContent === "5");
  expect(await stats()).toEqual(wired);
  await apply(tab, { target: "#behaviours", html: "<p>empty</p>", morph: true });
  await tab.waitForFunction(() => document.querySelector("#kb") === null);
  await tab.waitForFunction((b) => {
    const s = window.LiveView!.getStats();
    return s.keyboardMaps === b.keyboardMaps && s.observedElements === b.observedElements && s.timers === b.timers;
  }, before);
});

it("loses not one typed character in a debounced search box while the server answers slowly and re-renders it", async () => {
  const tab = await open();
  await tab.click("#q");
  const typed = "express liveview morphs";
  await tab.keyboard.type(typed, { delay: 45 });
  await tab.waitForFunction((t) => document.querySelector("#results")?.textContent === `results for ${t}`, typed);
  const q = await tab.evaluate(() => {
    const input = document.querySelector("#q") as HTMLInputElement;
    return { value: input.value, caret: input.selectionStart, focused: document.activeElement === input };
  });
  expect(q).toEqual({ value: typed, caret: typed.length, focused: true });
  // The server saw several stale prefixes on the way: its answers came back while the user typed on.
  expect(searches.length).toBeGreaterThan(1);
});

it("holds a reply to an element whose later calls are still in flight, so it cannot roll back what was typed", async () => {
  const tab = await open();
  await tab.click("#p");
  const typed = "held replies";
  // No debounce and data-liveview-patch-focused: every key is a call, and each reply may patch the field.
  await tab.keyboard.type(typed, { delay: 25 });
  await tab.waitForFunction((t) => document.querySelector("#presults")?.textContent === `results for ${t}`, typed);
  const p = await tab.evaluate(() => {
    const input = document.querySelector("#p") as HTMLInputElement;
    return { value: input.value, caret: input.selectionStart };
  });
  expect(p).toEqual({ value: typed, caret: typed.length });
  expect(searches).toEqual(typed.split("").map((_, i) => typed.slice(0, i + 1)));
});
