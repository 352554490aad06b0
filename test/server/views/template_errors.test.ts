// A template syntax error, an unknown filter and a render error name the file and the line, in every engine;
// the other templates keep rendering and the server keeps serving.
import path from "node:path";
import { configureViews, TemplateError, type EngineName } from "../../../server/index";
import { httpGet } from "../../support/http";
import { mockLogger } from "../../support/logger";
import { FIXTURE_VIEWS, startServer, type TestServer } from "../../support/server";
import { removeTempViews, tempViews } from "../../support/temp_views";

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  configureViews(FIXTURE_VIEWS);
});
afterAll(removeTempViews);

/** The error rendering `name` throws (it must throw). */
function renderError(dir: string, engine: EngineName, name: string, context: object = {}): TemplateError {
  try {
    configureViews(dir, engine).render(name, context);
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error(`rendering ${name} did not throw`);
}

const BROKEN: Record<EngineName, Record<string, string>> = {
  hbs: {
    "syntax.hbs": "<p>one</p>\n<p>two</p>\n{{#if ok}}\n<p>never closed</p>\n",
    "uses_partial.hbs": "a\n{{> broken}}",
    "partials/broken.hbs": "x\ny\n{{#each}}\n",
    "ok.hbs": "<p>{{n}}</p>",
  },
  njk: {
    "syntax.njk": "<p>one</p>\n<p>two</p>\n{% for x in xs %}\n{% endif %}\n",
    "runtime.njk": "a\nb\n{{ user.name.first() }}\n",
    "includes.njk": "a\n{% include \"runtime.njk\" %}",
    "ok.njk": "<p>{{ n }}</p>",
  },
  ejs: {
    "syntax.ejs": "<p>one</p>\n<p>two</p>\n<% if (ok { %>\n<p>x</p>\n<% } %>\n",
    "runtime.ejs": "a\nb\n<%= user.name.first %>\n",
    "includes.ejs": "a\n\n<%- include(\"partials/broken\") %>",
    "partials/broken.ejs": "x\n<%= 1 + %>\n",
    "ok.ejs": "<p><%= n %></p>",
  },
};

describe.each(["hbs", "njk", "ejs"] as const)("%s", (engine) => {
  it("names the file and line of a syntax error", () => {
    const dir = tempViews(BROKEN[engine]);
    const error = renderError(dir, engine, "syntax");
    expect(error.file).toBe(path.join(dir, `syntax.${engine}`));
    expect(error.line).toBe(engine === "ejs" ? 3 : 4);
    expect(error.message).toMatch(new RegExp(`^${path.join(dir, `syntax.${engine}`)}:${error.line}: (Handlebars|Nunjucks|EJS) syntax error: `));
  });

  it("names the included file and its line when the error is in a partial", () => {
    const dir = tempViews(BROKEN[engine]);
    const error = renderError(dir, engine, engine === "hbs" ? "uses_partial" : "includes");
    const partial = engine === "njk" ? "runtime.njk" : `partials/broken.${engine}`;
    expect(error.file).toBe(path.join(dir, partial));
    expect(error.line).toBe(engine === "hbs" ? 3 : engine === "njk" ? 3 : 2);
  });

  it("keeps rendering the other templates, before and after the error", () => {
    const dir = tempViews(BROKEN[engine]);
    const renderer = configureViews(dir, engine);
    expect(renderer.render("ok", { n: 1 })).toBe("<p>1</p>");
    expect(() => renderer.render("syntax")).toThrow(TemplateError);
    expect(renderer.render("ok", { n: 2 })).toBe("<p>2</p>");
  });

  it("answers res.render of a broken page with an error, and serves the next request", async () => {
    server = await startServer({ logger: mockLogger(), views: tempViews(BROKEN[engine]), engine });
    server.app.get("/broken", (_req, res) => res.render("syntax", { layout: false }));
    server.app.get("/ok", (_req, res) => res.render("ok", { n: 3, layout: false }));
    server.app.use((error: Error, _req: unknown, res: { status(code: number): { send(body: string): void } }, _next: unknown) =>
      res.status(500).send(error instanceof TemplateError ? `template error at line ${error.line}` : "other"),
    );
    expect(await httpGet(`${server.url}/broken`)).toMatchObject({ status: 500, body: expect.stringMatching(/^template error at line \d+$/) });
    expect(await httpGet(`${server.url}/ok`)).toMatchObject({ status: 200, body: "<p>3</p>" });
  });
});

describe("render errors", () => {
  it.each(["njk", "ejs"] as const)("%s: names the file and line where the value was missing", (engine) => {
    const dir = tempViews(BROKEN[engine]);
    const error = renderError(dir, engine, "runtime", { user: {} });
    expect(error.file).toBe(path.join(dir, `runtime.${engine}`));
    expect(error.line).toBe(3);
  });
});

describe("unknown Nunjucks filters", () => {
  it("names the filter, the file and the line", () => {
    const dir = tempViews({ "page.njk": "{% extends \"base.njk\" %}\n{% block c %}\n<p>{{ posted | naturaltime }}</p>\n{% endblock %}", "base.njk": "{% block c %}{% endblock %}" });
    const error = renderError(dir, "njk", "page");
    expect(error.message).toBe(
      `${path.join(dir, "page.njk")}:3: unknown filter "naturaltime": it is neither a Nunjucks filter nor one of the Django kit's (add it with configureViews(folder, "njk").env.addFilter("naturaltime", fn))`,
    );
  });

  it("names the included template that uses it, and the filter block form", () => {
    const dir = tempViews({ "page.njk": 'a\n{% include "row.njk" %}', "row.njk": "x\ny\n{% filter naturaltime %}z{% endfilter %}" });
    const error = renderError(dir, "njk", "page");
    expect([error.file, error.line]).toEqual([path.join(dir, "row.njk"), 3]);
    expect(error.message).toContain('unknown filter "naturaltime"');
  });

  it("renders once the filter is added", () => {
    const dir = tempViews({ "page.njk": "{{ 3 | naturaltime }}" });
    const renderer = configureViews(dir, "njk");
    expect(() => renderer.render("page")).toThrow(/unknown filter "naturaltime"/);
    renderer.env.addFilter("naturaltime", ((n: number) => `${n} minutes ago`) as never);
    expect(renderer.render("page")).toBe("3 minutes ago");
  });
});
