import http from "node:http";
import { configureViews, createLiveView, ENGINE_NAMES, renderToString } from "../../../server/index";
import { RoomTokens } from "../../../server/security/room_tokens";
import { httpGet } from "../../support/http";
import { mockLogger } from "../../support/logger";
import { FIXTURE_VIEWS, startServer, TEST_SECRET, type TestServer } from "../../support/server";
import { removeTempViews, tempViews } from "../../support/temp_views";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  configureViews(FIXTURE_VIEWS);
});
afterAll(removeTempViews);

const NJK_SITE = {
  "base.njk": "<html><title>{% block title %}Shop{% endblock %}</title><body>{% block content %}{% endblock %}</body></html>",
  "pages/products.njk":
    '{% extends "base.njk" %}{% block title %}{{ title }}{% endblock %}{% block content %}<ul>{% for p in products %}{% include "partials/row.njk" %}{% else %}<li>none</li>{% endfor %}</ul>{% endblock %}',
  "partials/row.njk": "<li>{{ p.name }} ({{ loop.index }})</li>",
};

describe("createLiveView({ engine })", () => {
  it("refuses an unknown engine name, listing the valid ones", () => {
    expect(ENGINE_NAMES).toEqual(["hbs", "njk", "ejs"]);
    for (const engine of ["pug", "", "HBS"]) {
      expect(() => createLiveView(http.createServer(), { engine: engine as "hbs" })).toThrow(
        `express-liveview: unknown view engine "${engine}"; the engine option must be one of "hbs", "njk", "ejs"`,
      );
    }
  });

  it("keeps Handlebars when no engine is given", async () => {
    server = await startServer({ logger: mockLogger() });
    expect(renderToString("message", { text: "hi" }).trim()).toBe('<p class="message">hi</p>');
  });
});

describe('engine: "njk"', () => {
  it("renders a page that extends a base, with blocks, a for loop and an include, escaping values", async () => {
    server = await startServer({ logger: mockLogger(), views: tempViews(NJK_SITE), engine: "njk" });
    server.app.get("/", (_req, res) => res.render("pages/products", { title: "A & B", products: [{ name: "<Chair>" }, { name: "Desk" }] }));
    server.app.get("/empty", (_req, res) => res.render("pages/products", { title: "Empty", products: [] }));
    expect((await httpGet(`${server.url}/`)).body).toBe(
      "<html><title>A &amp; B</title><body><ul><li>&lt;Chair&gt; (1)</li><li>Desk (2)</li></ul></body></html>",
    );
    expect((await httpGet(`${server.url}/empty`)).body).toBe("<html><title>Empty</title><body><ul><li>none</li></ul></body></html>");
  });

  it("renders a partial with renderToString", async () => {
    server = await startServer({ logger: mockLogger(), views: tempViews(NJK_SITE), engine: "njk" });
    expect(renderToString("partials/row", { p: { name: "Lamp" }, loop: { index: 9 } })).toBe("<li>Lamp (9)</li>");
    expect(renderToString("partials/row.njk", { p: { name: "Lamp" }, loop: { index: 1 } })).toBe("<li>Lamp (1)</li>");
  });

  it("wraps res.render in layouts/main.njk when it exists, and not with layout: false", async () => {
    const views = tempViews({ "page.njk": "<h1>{{ title }}</h1>", "layouts/main.njk": "<main>{{ body | safe }}</main>" });
    server = await startServer({ logger: mockLogger(), views, engine: "njk" });
    server.app.get("/", (_req, res) => res.render("page", { title: "Hi" }));
    server.app.get("/bare", (_req, res) => res.render("page", { title: "Bare", layout: false }));
    expect((await httpGet(`${server.url}/`)).body).toBe("<main><h1>Hi</h1></main>");
    expect((await httpGet(`${server.url}/bare`)).body).toBe("<h1>Bare</h1>");
  });

  it("keeps filters registered on the renderer's environment before createLiveView", async () => {
    const views = tempViews({ "page.njk": "{{ name | shout }}" });
    configureViews(views, "njk").env.addFilter("shout", ((text: string) => `${text}!`) as never);
    server = await startServer({ logger: mockLogger(), views, engine: "njk" });
    expect(renderToString("page", { name: "hey" })).toBe("hey!");
  });

  it("refuses names and includes that leave the views folder", async () => {
    const outside = tempViews({ "secret.njk": "secret" });
    const views = tempViews({ "page.njk": `{% include "${outside}/secret.njk" %}` });
    server = await startServer({ logger: mockLogger(), views, engine: "njk" });
    expect(() => renderToString("../x")).toThrow(/outside the views folder/);
    expect(() => renderToString("page")).toThrow(/outside the views folder/);
  });
});

describe('engine: "ejs"', () => {
  const EJS_SITE = {
    "pages/list.ejs": '<ul><% for (const item of items) { %><%- include("../partials/item", { item }) %><% } %></ul>',
    "partials/item.ejs": "<li><%= item %></li>",
    "layouts/main.ejs": "<html><title><%= title %></title><body><%- body %></body></html>",
  };

  it("renders a page with includes in layouts/main.ejs, escaping values", async () => {
    server = await startServer({ logger: mockLogger(), views: tempViews(EJS_SITE), engine: "ejs" });
    server.app.get("/", (_req, res) => res.render("pages/list", { title: "A & B", items: ["<a>", "b"] }));
    server.app.get("/bare", (_req, res) => res.render("pages/list", { items: ["x"], layout: false }));
    expect((await httpGet(`${server.url}/`)).body).toBe("<html><title>A &amp; B</title><body><ul><li>&lt;a&gt;</li><li>b</li></ul></body></html>");
    expect((await httpGet(`${server.url}/bare`)).body).toBe("<ul><li>x</li></ul>");
  });

  it("renders a partial with renderToString, resolving includes from the views folder too", async () => {
    const views = tempViews({ ...EJS_SITE, "deep/card.ejs": '<%- include("partials/item", { item: name }) %>' });
    server = await startServer({ logger: mockLogger(), views, engine: "ejs" });
    expect(renderToString("partials/item", { item: "Lamp" })).toBe("<li>Lamp</li>");
    expect(renderToString("deep/card", { name: "Desk" })).toBe("<li>Desk</li>");
  });
});

describe("room helpers and cspNonce in every engine", () => {
  const PAGES = {
    hbs: "{{liveviewRoomUuid}}|{{liveviewSignedRoom \"lobby\"}}|{{cspNonce}}",
    njk: '{{ liveviewRoomUuid() }}|{{ liveviewSignedRoom("lobby") }}|{{ cspNonce() }}',
    ejs: '<%= liveviewRoomUuid() %>|<%= liveviewSignedRoom("lobby") %>|<%= cspNonce() %>',
  } as const;

  it.each(ENGINE_NAMES)("%s: signed rooms, and the response's nonce in res.render but none in renderToString", async (engine) => {
    const views = tempViews({ [`page.${engine}`]: PAGES[engine] });
    server = await startServer({ logger: mockLogger(), views, engine, csp: true });
    server.app.get("/", (_req, res) => res.render("page"));
    const response = await httpGet(`${server.url}/`);
    const [room, named, nonce] = response.body.split("|");
    const tokens = new RoomTokens(TEST_SECRET);
    expect(tokens.verify(room)).toEqual({ ok: true, room: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(tokens.verify(named)).toEqual({ ok: true, room: "lobby" });
    expect(nonce).toMatch(/^[\w-]{22}$/);
    expect(response.headers["content-security-policy"]).toContain(`'nonce-${nonce}'`);
    expect(renderToString("page").split("|")[2]).toBe("");
  });
});
