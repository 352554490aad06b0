import { signedRoom } from "../support/client";
import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, renderToString, send, type CallContent } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const RECORD = "e2e_form_values_record";
const ROOM = "form-values-room";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();
const calls: CallContent[] = [];

const run = `data-liveview-function="${RECORD}" data-action="click->page#run"`;

const FULL_FORM = `
<form id="full" data-liveview-function="${RECORD}" data-action="submit->page#run">
  <input name="title" value="Hello">
  <input type="email" name="email" value="ada@example.org">
  <textarea name="bio">Line one</textarea>
  <select name="color"><option value="red">Red</option><option value="blue">Blue</option></select>
  <select name="tags" multiple>
    <option value="a" selected>A</option><option value="b">B</option><option value="c">C</option>
  </select>
  <input type="checkbox" name="agree">
  <input type="checkbox" name="news" checked>
  <input type="checkbox" name="langs" value="ts" checked>
  <input type="checkbox" name="langs" value="py" checked>
  <input type="checkbox" name="langs" value="go">
  <input type="radio" name="size" value="s" checked><input type="radio" name="size" value="m">
  <input type="radio" name="shape" value="circle"><input type="radio" name="shape" value="square">
  <input name="locked" value="nope" disabled>
  <fieldset disabled><input name="fenced" value="nope"></fieldset>
  <button type="submit" id="full-submit">Send</button>
</form>`;

const BUTTON_IN_FORM = `
<form id="search"><input name="q" value="stimulus"><input type="checkbox" name="exact" checked>
  <button type="submit" id="search-go" data-data-source="button" ${run}>Search</button>
</form>`;

const FORM_ATTRIBUTE = `
<form id="remote"></form>
<div><input name="outsider" value="kept" form="remote"><input name="neighbour" value="not sent"></div>
<div><button id="remote-go" form="remote" ${run}>Remote</button></div>`;

const SELF_CONTROL = `
<div><input name="sibling" value="not sent">
  <input id="self" name="search" data-liveview-function="${RECORD}" data-action="input->page#run"></div>`;

const CONTAINER = `
<input name="outside" value="not sent">
<div id="box"><input name="name" value="Ada"><input type="checkbox" name="vip" checked>
  <button id="box-go" ${run}>Go</button></div>`;

const DATA = `
<button id="data-go" data-data-modal-id="3" data-data-page="2" data-data-user-name="ada" ${run}>Data</button>`;

beforeAll(async () => {
  browser = await launchChromium();
  liveviewRegistry.register(RECORD)((consumer, content) => {
    calls.push(content);
    send(consumer, {
      target: "#out",
      html: renderToString("message", { text: JSON.stringify(content) }),
      append: true,
    });
  });
  const sections = [FULL_FORM, BUTTON_IN_FORM, FORM_ATTRIBUTE, SELF_CONTROL, CONTAINER, DATA];
  const body = sections.join("") + `<div id="out"></div>`;
  server = await startServer({
    pages: { "/": page(body), "/room": page(DATA + `<div id="out"></div>`, { htmlAttrs: `data-room="${signedRoom(ROOM)}"` }) },
  });
});

afterEach(async () => {
  calls.length = 0;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(RECORD);
});

async function open(path = "/"): Promise<Page> {
  return tabs.open(browser, server.url + path);
}

/** Waits for the handler's `count`-th rendering, checks it shows what the handler got, and returns that. */
async function handled(tab: Page, count = 1): Promise<CallContent> {
  await tab.waitForFunction((n) => document.querySelectorAll("#out .message").length >= n, count);
  const rendered = await tab.locator("#out .message").nth(count - 1).textContent();
  expect(calls).toHaveLength(count);
  expect(JSON.parse(rendered ?? "")).toEqual(calls[count - 1]);
  return calls[count - 1];
}

it("sends every control of a submitted form by the four value rules, skipping disabled ones", async () => {
  const tab = await open();
  await tab.fill("#full input[name=title]", "Changed");
  await tab.fill("#full textarea[name=bio]", "Line one\nLine two");
  await tab.selectOption("#full select[name=color]", "blue");
  await tab.selectOption("#full select[name=tags]", ["a", "c"]);
  await tab.check("#full input[name=agree]");
  await tab.uncheck("#full input[name=news]");
  await tab.check("#full input[name=langs][value=go]");
  await tab.uncheck("#full input[name=langs][value=py]");
  await tab.check("#full input[name=size][value=m]");
  await tab.click("#full-submit");
  const content = await handled(tab);
  expect(content.function).toBe(RECORD);
  expect(content.form).toEqual({
    title: "Changed",
    email: "ada@example.org",
    bio: "Line one\nLine two",
    color: "blue",
    tags: ["a", "c"],
    agree: true,
    news: false,
    langs: ["ts", "go"],
    size: "m",
  });
});

it("does not navigate or reload when a form is submitted", async () => {
  const tab = await open();
  const url = tab.url();
  await tab.evaluate(() => (window.marker = 1));
  await tab.press("#full input[name=title]", "Enter");
  await handled(tab);
  await tab.click("#full-submit");
  await handled(tab, 2);
  expect(await tab.evaluate(() => window.marker)).toBe(1);
  expect(tab.url()).toBe(url);
});

it("sends the form's controls when a button inside the form is clicked, without submitting it", async () => {
  const tab = await open();
  const url = tab.url();
  await tab.evaluate(() => (window.marker = 1));
  await tab.click("#search-go");
  const content = await handled(tab);
  expect(content.form).toEqual({ q: "stimulus", exact: true });
  expect(content.data).toEqual({ source: "button" });
  expect(await tab.evaluate(() => window.marker)).toBe(1);
  expect(tab.url()).toBe(url);
});

it("sends the controls of the form named by the form= attribute", async () => {
  const tab = await open();
  await tab.click("#remote-go");
  expect((await handled(tab)).form).toEqual({ outsider: "kept" });
});

it("sends just the control itself when the control calls the handler", async () => {
  const tab = await open();
  await tab.fill("#self", "abc");
  expect((await handled(tab)).form).toEqual({ search: "abc" });
  expect(await tab.inputValue("#self")).toBe("abc");
});

it("sends the controls of the element's parent container", async () => {
  const tab = await open();
  await tab.click("#box-go");
  expect((await handled(tab)).form).toEqual({ name: "Ada", vip: true });
});

it("sends data-data-* attributes camelCased in data, and nothing else", async () => {
  const tab = await open();
  await tab.click("#data-go");
  expect((await handled(tab)).data).toEqual({ modalId: "3", page: "2", userName: "ada" });
});

it("sends the <html lang> of the moment of the call", async () => {
  const tab = await open();
  await tab.click("#data-go");
  expect((await handled(tab)).lang).toBe("en");
  await tab.evaluate(() => (document.documentElement.lang = "es"));
  await tab.click("#data-go");
  expect((await handled(tab, 2)).lang).toBe("es");
});

it("sends the room of <html data-room>", async () => {
  const tab = await open("/room");
  await tab.click("#data-go");
  expect((await handled(tab)).room).toBe(ROOM);
});
