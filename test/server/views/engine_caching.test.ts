// Template compilation is cached in production and rebuilt on change otherwise, for Nunjucks and EJS
// (test/server/rendering.test.ts covers Handlebars). Compilations are counted on each library's own compiler.
import path from "node:path";
import { configureViews, renderToString } from "../../../server/index";
import { withNodeEnv } from "../../support/logger";
import { FIXTURE_VIEWS } from "../../support/server";
import { removeTempViews, rewrite, tempViews } from "../../support/temp_views";

const nunjucksCompiler = require("nunjucks").compiler as { compile: (...args: unknown[]) => string };
const ejs = require("ejs") as { compile: (...args: unknown[]) => unknown };

afterEach(() => {
  jest.restoreAllMocks();
  configureViews(FIXTURE_VIEWS);
});
afterAll(removeTempViews);

const ENGINES = {
  njk: {
    spy: () => jest.spyOn(nunjucksCompiler, "compile"),
    page: (text: string) => `{% extends "base.njk" %}{% block main %}${text} {{ n }}{% endblock %}`,
    base: (text: string) => `[${text}|{% block main %}{% endblock %}|{% include "part.njk" %}]`,
    part: (text: string) => text,
  },
  ejs: {
    spy: () => jest.spyOn(ejs, "compile"),
    page: (text: string) => `<%- include("base", { main: "${text} " + n }) %>`,
    base: (text: string) => `[${text}|<%= main %>|<%- include("part") %>]`,
    part: (text: string) => text,
  },
} as const;

describe.each(["njk", "ejs"] as const)("%s templates", (engine) => {
  const t = ENGINES[engine];
  const site = (page: string, base: string, part: string): Record<string, string> => ({
    [`page.${engine}`]: t.page(page),
    [`base.${engine}`]: t.base(base),
    [`part.${engine}`]: t.part(part),
  });

  it("compiles each file once in production, however often it is rendered and even when it changes", async () => {
    const dir = tempViews(site("page", "base", "part"));
    await withNodeEnv("production", () => configureViews(dir, engine));
    const compile = t.spy();
    await withNodeEnv("production", () => {
      expect(renderToString("page", { n: 1 })).toBe("[base|page 1|part]");
      expect(renderToString("page", { n: 2 })).toBe("[base|page 2|part]");
      rewrite(path.join(dir, `page.${engine}`), t.page("new page"), 10);
      rewrite(path.join(dir, `part.${engine}`), t.part("new part"), 10);
      expect(renderToString("page", { n: 3 })).toBe("[base|page 3|part]");
    });
    expect(compile).toHaveBeenCalledTimes(3);
  });

  it("compiles an unchanged file once in development too", async () => {
    const dir = tempViews(site("page", "base", "part"));
    await withNodeEnv("development", () => configureViews(dir, engine));
    const compile = t.spy();
    await withNodeEnv("development", () => {
      for (let n = 0; n < 4; n++) expect(renderToString("page", { n })).toBe(`[base|page ${n}|part]`);
    });
    expect(compile).toHaveBeenCalledTimes(3);
  });

  it("compiles a changed page, base or included file again in development, and only that one", async () => {
    const dir = tempViews(site("page", "base", "part"));
    await withNodeEnv("development", () => configureViews(dir, engine));
    const compile = t.spy();
    await withNodeEnv("development", () => {
      expect(renderToString("page", { n: 1 })).toBe("[base|page 1|part]");
      rewrite(path.join(dir, `page.${engine}`), t.page("page 2"), 10);
      expect(renderToString("page", { n: 2 })).toBe("[base|page 2 2|part]");
      rewrite(path.join(dir, `base.${engine}`), t.base("base 2"), 20);
      expect(renderToString("page", { n: 3 })).toBe("[base 2|page 2 3|part]");
      rewrite(path.join(dir, `part.${engine}`), t.part("part 2"), 30);
      expect(renderToString("page", { n: 4 })).toBe("[base 2|page 2 4|part 2]");
    });
    expect(compile).toHaveBeenCalledTimes(6);
  });
});
