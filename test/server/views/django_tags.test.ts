import http from "node:http";
import path from "node:path";
import { configureViews, createLiveView, namedRoute, reverse, TemplateError } from "../../../server/index";
import { clearNamedRoutes, nameRoutes } from "../../../server/views/django/named_routes";
import { configureDjangoKit } from "../../../server/views/django/kit_settings";
import { RoomTokens } from "../../../server/security/room_tokens";
import { httpGet } from "../../support/http";
import { mockLogger } from "../../support/logger";
import { startServer, TEST_SECRET, type TestServer } from "../../support/server";
import { removeTempViews, tempViews } from "../../support/temp_views";

let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
  clearNamedRoutes();
  configureDjangoKit();
});
afterAll(removeTempViews);

/** Renders `source` as the Nunjucks file views/page.njk (so errors have a file and line). */
function renderPage(source: string, context: Record<string, unknown> = {}): string {
  return configureViews(tempViews({ "page.njk": source }), "njk").render("page", context);
}

describe("{% url %}", () => {
  beforeEach(() => nameRoutes({ home: "/", product: "/products/:id", review: "/products/:id/reviews/:review", docs: "/docs/*path" }));

  it("reverses a named route with arguments separated by spaces, as Django writes them", () => {
    expect(renderPage('<a href="{% url "product" p.id %}">{% url "home" %}</a>', { p: { id: 3 } })).toBe('<a href="/products/3">/</a>');
    expect(renderPage("{% url 'review' 3 12 %}")).toBe("/products/3/reviews/12");
    expect(renderPage('{% url "review", 3, 12 %}')).toBe("/products/3/reviews/12");
  });

  it("takes keyword arguments and wildcard paths", () => {
    expect(renderPage('{% url "review" id=5 review="a b" %}')).toBe("/products/5/reviews/a%20b");
    expect(renderPage('{% url "docs" "guide/intro" %}')).toBe("/docs/guide/intro");
  });

  it("percent-encodes the arguments", () => {
    expect(renderPage('{% url "product" id %}', { id: 'x/"<y>' })).toBe("/products/x%2F%22%3Cy%3E");
  });

  it("stores the URL in a variable with as", () => {
    expect(renderPage('{% url "product" 7 as link %}[{{ link }}]')).toBe("[/products/7]");
  });

  it("names the file and line when the route is unknown", () => {
    const views = tempViews({ "page.njk": 'one\ntwo\n{% url "nope" 1 %}\n' });
    const renderer = configureViews(views, "njk");
    let error: unknown;
    try {
      renderer.render("page");
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).file).toBe(path.join(views, "page.njk"));
    expect((error as TemplateError).line).toBe(3);
    expect((error as Error).message).toMatch(/no route named "nope" \(named: home, product, review, docs\)/);
  });

  it("uses the routes given to createLiveView and those named with namedRoute(), which returns the path", async () => {
    const views = tempViews({ "page.njk": '{% url "post" slug="hello" %} {% url "about" %}' });
    server = await startServer({ logger: mockLogger(), views, engine: "njk", django: { routes: { post: "/blog/:slug" } } });
    server.app.get(namedRoute("about", "/about-us"), (_req, res) => res.send("about"));
    server.app.get("/", (_req, res) => res.render("page"));
    expect((await httpGet(`${server.url}/`)).body).toBe("/blog/hello /about-us");
    expect((await httpGet(`${server.url}/about-us`)).body).toBe("about");
  });
});

describe("reverse()", () => {
  it("builds the URL from positional or named arguments", () => {
    namedRoute("product", "/products/:id{/:slug}");
    expect(reverse("product", [3])).toBe("/products/3");
    expect(reverse("product", [3, "red-chair"])).toBe("/products/3/red-chair");
    expect(reverse("product", { id: "a b" })).toBe("/products/a%20b");
  });

  it("says which parameter is missing and refuses too many arguments", () => {
    namedRoute("product", "/products/:id");
    expect(() => reverse("product")).toThrow(/cannot build route "product" \(\/products\/:id\): Missing parameters: id/);
    expect(() => reverse("product", [1, 2])).toThrow(/takes 1 argument\(s\), got 2/);
  });

  it("refuses an invalid path when the route is named", () => {
    expect(() => namedRoute("bad", "/products/:")).toThrow(/route "bad" has an invalid path/);
  });
});

describe("{% static %}, {% csrf_token %}, {% load %}", () => {
  it("joins the path to /static/ by default and to the kit's staticUrl", () => {
    expect(renderPage('<img src="{% static "images/hi there.jpg" %}">')).toBe('<img src="/static/images/hi%20there.jpg">');
    configureDjangoKit({ staticUrl: "https://cdn.example.com/assets" });
    expect(renderPage('{% static "css/site.css" as css %}<link href="{{ css }}">')).toBe('<link href="https://cdn.example.com/assets/css/site.css">');
  });

  it("accepts csrf_token and load, rendering nothing", () => {
    expect(renderPage("{% load static humanize %}<form>{% csrf_token %}</form>")).toBe("<form></form>");
  });
});

describe("room helpers in Nunjucks", () => {
  it("gives a signed fresh room from {% liveview_room_uuid %} and liveviewRoomUuid(), and a signed named room", async () => {
    const views = tempViews({ "page.njk": "{% liveview_room_uuid %}|{{ liveviewRoomUuid() }}|{{ liveviewSignedRoom(\"lobby\") }}" });
    server = await startServer({ logger: mockLogger(), views, engine: "njk" });
    const tokens = new RoomTokens(TEST_SECRET);
    const [tag, call, named] = configureViews(views, "njk").render("page").split("|");
    const rooms = [tag, call].map((token) => tokens.verify(token));
    for (const room of rooms) expect(room).toEqual({ ok: true, room: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(new Set(rooms.map((room) => (room as { room: string }).room)).size).toBe(2);
    expect(tokens.verify(named)).toEqual({ ok: true, room: "lobby" });
  });
});

describe("django option", () => {
  it("refuses a time zone or locale that Intl does not know", () => {
    const views = tempViews({ "page.njk": "x" });
    expect(() => createLiveView(http.createServer(), { views, engine: "njk", django: { timeZone: "Mars/Olympus" } })).toThrow(
      /django.timeZone "Mars\/Olympus" is not an IANA time zone/,
    );
    expect(() => configureDjangoKit({ locale: "not a locale!" })).toThrow(/django.locale/);
  });
});
