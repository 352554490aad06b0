// Apps on the Nunjucks and the EJS engine: a page rendered by res.render (Nunjucks: extends, block, for; EJS:
// include and a layout), a click that runs a handler, and the handler's renderToString of a partial of the same
// engine updating the page.
import type { Browser, Page } from "playwright-core";
import { liveviewRegistry, renderToString, send } from "../../server/index";
import { launchChromium } from "../support/browser";
import { tabsClosedAfterEach } from "../support/e2e";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";
import { removeTempViews, tempViews } from "../support/temp_views";

let browser: Browser;
let server: TestServer | undefined;
const tabs = tabsClosedAfterEach();

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  removeTempViews();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const NJK_VIEWS = {
  "base.njk": `<!DOCTYPE html>
<html lang="en" data-room="{{ liveviewRoomUuid() }}">
<head><meta charset="utf-8"><title>{% block title %}Shop{% endblock %}</title>
<script src="/static/liveview/liveview.js" defer></script></head>
<body data-controller="page">{% block content %}{% endblock %}</body>
</html>`,
  "pages/cart.njk": `{% extends "base.njk" %}
{% block title %}{{ title }}{% endblock %}
{% block content %}
<h1>{{ title }}</h1>
<ul id="cart">{% for item in items %}{% include "partials/row.njk" %}{% endfor %}</ul>
<p id="count">{{ items | length }} item{{ items | length | pluralize }}</p>
<input name="name" value="Lamp <new>">
<button id="add" data-liveview-function="njk_add" data-action="click->page#run">Add</button>
{% endblock %}`,
  "partials/row.njk": `<li class="row">{{ item.name }}: {{ item.price | floatformat(2) }}</li>`,
  "partials/count.njk": `<p id="count">{{ count }} item{{ count | pluralize }}</p>`,
};

const EJS_VIEWS = {
  "layouts/main.ejs": `<!DOCTYPE html>
<html lang="en" data-room="<%= liveviewRoomUuid() %>">
<head><meta charset="utf-8"><title><%= title %></title>
<script src="/static/liveview/liveview.js" defer></script></head>
<body data-controller="page"><%- body %></body>
</html>`,
  "pages/counter.ejs": `<h1><%= title %></h1>
<div id="counter"><%- include("../partials/counter", { count }) %></div>
<button id="up" data-liveview-function="ejs_up" data-data-step="2" data-action="click->page#run">Up</button>`,
  "partials/counter.ejs": `<strong class="count"><%= count %></strong>`,
};

async function textOf(tab: Page, selector: string): Promise<string> {
  return (await tab.textContent(selector)) ?? "";
}

describe('engine: "njk"', () => {
  const items = [{ name: "Chair", price: 40 }, { name: "Desk", price: 120.5 }];

  beforeAll(() => {
    liveviewRegistry.register("njk_add")((consumer, content) => {
      items.push({ name: String(content.form.name), price: 9.999 });
      send(consumer, { target: "#cart", append: true, html: renderToString("partials/row", { item: items[items.length - 1] }) });
      send(consumer, { target: "#count", outer: true, html: renderToString("partials/count", { count: items.length }) });
    });
  });
  afterAll(() => liveviewRegistry.unregister("njk_add"));

  it("renders a page that extends a base and updates it with a rendered .njk partial on click", async () => {
    server = await startServer({ logger: mockLogger(), views: tempViews(NJK_VIEWS), engine: "njk" });
    server.app.get("/", (_req, res) => res.render("pages/cart", { title: "Cart", items }));
    const tab = await tabs.open(browser, `${server.url}/`);
    expect(await tab.title()).toBe("Cart");
    expect(await tab.$$eval("#cart .row", (rows) => rows.map((row) => row.textContent))).toEqual(["Chair: 40.00", "Desk: 120.50"]);
    expect(await textOf(tab, "#count")).toBe("2 items");
    await tab.click("#add");
    await tab.waitForSelector("#cart .row:nth-child(3)");
    expect(await textOf(tab, "#cart .row:nth-child(3)")).toBe("Lamp <new>: 10.00");
    await tab.waitForFunction(() => document.querySelector("#count")?.textContent === "3 items");
  });
});

describe('engine: "ejs"', () => {
  let count = 1;

  beforeAll(() => {
    liveviewRegistry.register("ejs_up")((consumer, content) => {
      count += Number(content.data.step);
      send(consumer, { target: "#counter", html: renderToString("partials/counter", { count }) });
    });
  });
  afterAll(() => liveviewRegistry.unregister("ejs_up"));

  it("renders a page in its layout and updates it with a rendered .ejs partial on click", async () => {
    server = await startServer({ logger: mockLogger(), views: tempViews(EJS_VIEWS), engine: "ejs" });
    server.app.get("/", (_req, res) => res.render("pages/counter", { title: "Counter", count }));
    const tab = await tabs.open(browser, `${server.url}/`);
    expect(await tab.title()).toBe("Counter");
    expect(await textOf(tab, "#counter .count")).toBe("1");
    await tab.click("#up");
    await tab.waitForFunction(() => document.querySelector("#counter .count")?.textContent === "3");
    await tab.click("#up");
    await tab.waitForFunction(() => document.querySelector("#counter .count")?.textContent === "5");
  });
});
