import fc from "fast-check";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { LiveViewRegistry, type CallAck, type CallContent } from "express-liveview";
import { testPage, TestHub, waitForLiveView, type TestPage } from "express-liveview/testing";
import { launchChromium } from "../support/browser";
import { page as fullPage, startServer, type TestServer } from "../support/server";
import { formCase } from "../support/random_forms";

const RECORD = "e2e_compare_record";
const run = `data-liveview-function="${RECORD}" data-action="click->page#run"`;
const go = `<button type="button" id="go" ${run}>Go</button>`;

/** What a handler receives of the element it was called from. */
/** What the handler got: `params` only when the call had some. */
type Received = Pick<CallContent, "data" | "form"> & Partial<Pick<CallContent, "params">>;

/** What a person does: Playwright's action in Chromium, the matching testPage method in jsdom. */
type Step =
  | { click: string }
  | { fill: string; value: string }
  | { check: string; checked: boolean }
  | { select: string; value: string | string[] };

interface FixedCase {
  name: string;
  body: string;
  steps: Step[];
  /** What Chromium sends: checked too, so a case whose HTML went wrong on both sides alike still fails. */
  expected: Received;
}

const FIXED: FixedCase[] = [
  {
    name: "text, hidden and search inputs and a textarea",
    body: `<form id="f">
      <input name="title" value="Hello &amp; &quot;bye&quot;"><input type="hidden" name="token" value="t-1">
      <input type="search" name="q" value=""><textarea name="bio">
Line one
Line two</textarea>${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { title: 'Hello & "bye"', token: "t-1", q: "", bio: "Line one\nLine two" } },
  },
  {
    name: "a select and a select multiple",
    body: `<form id="f">
      <select name="color"><option value="red">Red</option><option value="blue" selected>Blue</option></select>
      <select name="first"><option disabled>  No  </option><option>  Two   words </option></select>
      <select name="tags" multiple><option value="a" selected>A</option><option value="b">B</option><option value="c" selected>C</option></select>
      <select name="none" multiple><option value="a">A</option></select><select name="empty"></select>${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { color: "blue", first: "Two words", tags: ["a", "c"], none: [], empty: "" } },
  },
  {
    name: "lone checkboxes, checked and not",
    body: `<form id="f"><input type="checkbox" name="agree"><input type="checkbox" name="news" checked>
      <input type="checkbox" name="plain" value="yes" checked>${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { agree: false, news: true, plain: true } },
  },
  {
    name: "checkbox groups",
    body: `<form id="f">
      <input type="checkbox" name="langs" value="ts" checked><input type="checkbox" name="langs" value="py">
      <input type="checkbox" name="langs" value="go" checked>
      <input type="checkbox" name="pets" value="cat"><input type="checkbox" name="pets" value="dog">
      <input type="checkbox" name="flags"><input type="checkbox" name="flags" checked>${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { langs: ["ts", "go"], pets: [], flags: ["on"] } },
  },
  {
    name: "radio groups with and without a checked radio",
    body: `<form id="f">
      <input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked><input type="radio" name="size" value="l">
      <input type="radio" name="shape" value="circle"><input type="radio" name="shape" value="square">
      <input type="radio" name="bare" checked>${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { size: "m", bare: "on" } },
  },
  {
    name: "disabled controls and disabled fieldsets (but a disabled fieldset's first legend)",
    body: `<form id="f">
      <input name="locked" value="x" disabled><textarea name="note" disabled>n</textarea>
      <select name="pick" disabled><option>p</option></select><input type="checkbox" name="tick" checked disabled>
      <fieldset disabled><legend><input name="inLegend" value="kept"></legend><input name="fenced" value="no">
        <legend><input name="secondLegend" value="no"></legend><fieldset><input name="deep" value="no"></fieldset></fieldset>
      <fieldset><input name="open" value="yes"></fieldset>${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { inLegend: "kept", open: "yes" } },
  },
  {
    name: "unnamed controls, button-type inputs, buttons and file inputs, all skipped",
    body: `<form id="f">
      <input value="x"><textarea>z</textarea><select><option>q</option></select>
      <input type="button" name="b1" value="1"><input type="submit" name="b2" value="2"><input type="reset" name="b3" value="3">
      <input type="image" name="b4" alt="b4"><button type="button" name="b5" value="5">b5</button>
      <input type="file" name="avatar"><input name="kept" value="k">${go}</form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { kept: "k" } },
  },
  {
    name: "controls outside the form linked with form=, from a button linked the same way",
    body: `<input name="before" value="b" form="f">
      <form id="f"><input name="inside" value="i"><input name="elsewhere" value="no" form="other"></form>
      <form id="other"></form>
      <div><input name="after" value="a" form="f"><input name="neighbour" value="no"></div>
      <div><button type="button" id="go" form="f" ${run}>Go</button></div>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { before: "b", inside: "i", after: "a" } },
  },
  {
    name: "the container rule: a button in a plain div sends the controls beside it",
    body: `<input name="outside" value="no">
      <div><input name="name" value="Ada"><input type="checkbox" name="vip" checked>
        <fieldset><select name="tier"><option>gold</option></select></fieldset><input name="off" value="x" disabled>${go}</div>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { name: "Ada", vip: true, tier: "gold" } },
  },
  {
    name: "a control that is itself the element, after typing",
    body: `<div><input name="sibling" value="no">
      <input id="self" name="search" data-data-kind="live" data-liveview-function="${RECORD}" data-action="input->page#run"></div>`,
    steps: [{ fill: "#self", value: "abc" }],
    expected: { data: { kind: "live" }, form: { search: "abc" } },
  },
  {
    name: "data-data-* camelCased, and not data-database",
    body: `<button type="button" id="go" data-data-modal-id="3" data-data-page="2" data-data-user-name="ada" data-data-a1="d"
      data-data-x="&lt;&amp;&gt;" data-database="no" data-datum="no" ${run}>Go</button>`,
    steps: [{ click: "#go" }],
    expected: { data: { modalId: "3", page: "2", userName: "ada", a1: "d", x: "<&>" }, form: {} },
  },
  {
    name: "a submit through submit->page#run on the form, with the button that submitted it",
    body: `<form id="f" data-liveview-function="${RECORD}" data-action="submit->page#run" data-data-source="form">
      <input name="q" value="x"><input type="checkbox" name="c" checked>
      <button type="submit" id="go" name="submitter" value="s">Send</button></form>`,
    steps: [{ click: "#go" }],
    expected: { data: { source: "form" }, form: { q: "x", c: true, submitter: "s" } },
  },
  {
    name: "a click on a named submit button that runs page#run sends it with its form",
    body: `<form id="f"><input name="q" value="x"><button id="go" name="intent" value="archive" ${run}>Archive</button></form>`,
    steps: [{ click: "#go" }],
    expected: { data: {}, form: { q: "x", intent: "archive" } },
  },
  {
    name: "action params, typecast as Stimulus does (testPage reads them itself)",
    body: `<button id="go" ${run} data-page-id-param="3" data-page-on-param="false" data-page-tags-param='["a",1]'
      data-page-label-param="Hi there" data-page-user-id-param="-1.5" data-page-obj-param='{"k":null}' data-page-bad-param="{x"
      data-other-n-param="1">Go</button>`,
    steps: [{ click: "#go" }],
    expected: {
      data: {},
      form: {},
      params: { id: 3, on: false, tags: ["a", 1], label: "Hi there", userId: -1.5, obj: { k: null }, bad: "{x" },
    },
  },
  {
    name: "every kind of control after a person changed it",
    body: `<form id="f"><input name="title" value="Hello"><textarea name="bio">Old</textarea>
      <select name="color"><option value="red">Red</option><option value="blue">Blue</option></select>
      <select name="tags" multiple><option value="a" selected>A</option><option value="b">B</option><option value="c">C</option></select>
      <input type="checkbox" name="agree"><input type="checkbox" name="news" checked>
      <input type="checkbox" name="langs" value="ts" checked><input type="checkbox" name="langs" value="go">
      <input type="radio" name="size" value="s" checked><input type="radio" name="size" value="m" id="size-m">${go}</form>`,
    steps: [
      { fill: "input[name=title]", value: "Changed" },
      { fill: "textarea[name=bio]", value: "New\nlines" },
      { select: "select[name=color]", value: "blue" },
      { select: "select[name=tags]", value: ["b", "c"] },
      { check: "input[name=agree]", checked: true },
      { check: "input[name=news]", checked: false },
      { check: "input[name=langs][value=go]", checked: true },
      { check: "#size-m", checked: true },
      { click: "#go" },
    ],
    expected: {
      data: {},
      form: { title: "Changed", bio: "New\nlines", color: "blue", tags: ["b", "c"], agree: true, news: false, langs: ["ts", "go"], size: "m" },
    },
  },
  {
    name: "a radio group spread over a form and a radio linked to it with form=, after a person picks one",
    body: `<form id="f"><input type="radio" name="r" value="a" id="ra">${go}</form>
      <input type="radio" name="r" value="c" checked form="f">`,
    steps: [{ check: "#ra", checked: true }, { click: "#go" }],
    expected: { data: {}, form: { r: "a" } },
  },
];

let browser: Browser;
let context: BrowserContext;
/** The one tab every case is opened in. */
let tab: Page;
let server: TestServer;
const registry = new LiveViewRegistry();
const hub = new TestHub();
const received: Received[] = [];
/** The body /case serves now. */
let currentBody = "";
let opened = 0;

beforeAll(async () => {
  registry.register(RECORD)((_consumer, content) => {
    const params = Object.keys(content.params).length > 0 ? { params: content.params } : {};
    received.push({ data: content.data, form: content.form, ...params });
  });
  server = await startServer({ registry });
  server.app.get("/case", (_req, res) => res.type("html").send(fullPage(currentBody)));
  browser = await launchChromium();
  context = await browser.newContext();
  context.setDefaultTimeout(10_000);
  tab = await context.newPage();
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Opens the body in the tab, does the steps as a person would and returns what the handler received. */
async function inChromium(body: string, steps: Step[]): Promise<Received[]> {
  currentBody = body;
  await tab.goto(`${server.url}/case?n=${++opened}`);
  await waitForLiveView(tab);
  received.length = 0;
  for (const step of steps) {
    if ("click" in step) await tab.click(step.click);
    else if ("fill" in step) await tab.fill(step.fill, step.value);
    else if ("check" in step) await tab.setChecked(step.check, step.checked);
    else await tab.selectOption(step.select, step.value);
  }
  // A call is made as the event is dispatched, so every call of the steps is counted by now.
  await waitForLiveView(tab);
  return received.splice(0);
}

function stepIn(page: TestPage, step: Step): Promise<CallAck[]> {
  if ("click" in step) return page.click(step.click);
  if ("fill" in step) return page.input(step.fill, step.value);
  if ("check" in step) return page.input(step.check, step.checked);
  return page.input(step.select, step.value);
}

/** The same page as a testPage, the same steps through its methods, and what the handler received. */
async function inTestPage(body: string, steps: Step[]): Promise<Received[]> {
  const page = await testPage({ registry, hub, html: fullPage(body), url: `${server.url}/case` });
  try {
    received.length = 0;
    for (const step of steps) {
      const acks = await stepIn(page, step);
      expect(acks.filter((ack) => !ack.ok)).toEqual([]);
    }
    return received.splice(0);
  } finally {
    page.close();
  }
}

describe("testPage collects the same data and form as Chromium", () => {
  it.each(FIXED)("$name", async ({ body, steps, expected }) => {
    const chromium = await inChromium(body, steps);
    expect(chromium).toEqual([expected]);
    expect(await inTestPage(body, steps)).toEqual(chromium);
  });

  it("for random forms of those controls, nested in fieldsets, clicked or submitted", async () => {
    await fc.assert(
      fc.asyncProperty(formCase(RECORD), async (body) => {
        const chromium = await inChromium(body, [{ click: "#go" }]);
        expect(chromium).toHaveLength(1);
        expect(await inTestPage(body, [{ click: "#go" }])).toEqual(chromium);
      }),
      { numRuns: Number(process.env.RUNS ?? 25) },
    );
  }, 1_200_000);
});
