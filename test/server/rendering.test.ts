import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { configureViews, renderToString } from "../../server/index";
import { getRenderer, type TemplateRenderer } from "../../server/views/rendering";
import { withNodeEnv } from "../support/logger";
import { FIXTURE_VIEWS } from "../support/server";

const tempDirs: string[] = [];

/** The fixture files end with a newline (and so does the partial): compare without line breaks. */
const oneLine = (html: string): string => html.replace(/\n/g, "");

/** A fresh views folder holding `files` (relative path -> content). */
function tempViews(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "liveview-views-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Rewrites a template with a modification time distinct from the previous one, however coarse the clock. */
function rewrite(file: string, content: string, secondsLater: number): void {
  writeFileSync(file, content);
  const when = new Date(Date.now() + secondsLater * 1000);
  utimesSync(file, when, when);
}

beforeEach(() => {
  configureViews(FIXTURE_VIEWS);
});

afterEach(() => {
  jest.restoreAllMocks();
  configureViews(FIXTURE_VIEWS);
});

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("renderToString", () => {
  it("renders views/NAME.hbs with the context", () => {
    expect(oneLine(renderToString("message", { text: "Hello" }))).toBe('<p class="message">Hello</p>');
  });

  it("escapes HTML in {{x}}", () => {
    expect(oneLine(renderToString("message", { text: "<script>alert(1)</script>" }))).toBe(
      '<p class="message">&lt;script&gt;alert(1)&lt;/script&gt;</p>',
    );
  });

  it("does not escape {{{x}}}", () => {
    expect(oneLine(renderToString("raw", { html: "<b>bold</b>" }))).toBe("<div><b>bold</b></div>");
  });

  it("uses partials from views/partials", () => {
    expect(oneLine(renderToString("with_partial", { label: "<new>" }))).toBe(
      '<div><span class="badge">&lt;new&gt;</span></div>',
    );
  });

  it("renders a template in a subfolder named with a slash", () => {
    configureViews(tempViews({ "pages/home.hbs": "<h1>{{title}}</h1>", "pages/deep/leaf.hbs": "leaf {{n}}" }));
    expect(renderToString("pages/home", { title: "Home" })).toBe("<h1>Home</h1>");
    expect(renderToString("pages/deep/leaf", { n: 3 })).toBe("leaf 3");
  });

  it("registers partials of subfolders of views/partials by their path", () => {
    configureViews(
      tempViews({ "page.hbs": "[{{> forms/field name=n}}]", "partials/forms/field.hbs": "<i>{{name}}</i>" }),
    );
    expect(renderToString("page", { n: "x" })).toBe("[<i>x</i>]");
  });

  it("gives a fresh 32-hex id from liveviewRoomUuid on each call", () => {
    configureViews(tempViews({ "uuid.hbs": "{{liveviewRoomUuid}} {{liveviewRoomUuid}}" }));
    const [a, b] = renderToString("uuid").split(" ");
    const [c] = renderToString("uuid").split(" ");
    for (const id of [a, b, c]) expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set([a, b, c]).size).toBe(3);
  });

  it("refuses names that leave the views folder", () => {
    const outside = tempViews({ "secret.hbs": "secret" });
    configureViews(tempViews({ "ok.hbs": "ok" }));
    expect(() => renderToString("../x")).toThrow(/outside the views folder/);
    expect(() => renderToString(`../${path.basename(outside)}/secret`)).toThrow(/outside the views folder/);
    expect(() => renderToString(path.join(outside, "secret"))).toThrow(/outside the views folder/);
    expect(() => renderToString("pages/../../x")).toThrow(/outside the views folder/);
    expect(renderToString("ok")).toBe("ok");
  });

  it("throws for a template that does not exist", () => {
    expect(() => renderToString("no_such_template")).toThrow();
  });

  it("compiles a template once in production, however often it is rendered", async () => {
    await withNodeEnv("production", () => {
      configureViews(tempViews({ "once.hbs": "<p>{{n}}</p>" }));
    });
    const compile = jest.spyOn((getRenderer() as TemplateRenderer).handlebars, "parse");
    await withNodeEnv("production", () => {
      expect(renderToString("once", { n: 1 })).toBe("<p>1</p>");
      expect(renderToString("once", { n: 2 })).toBe("<p>2</p>");
      expect(renderToString("once", { n: 3 })).toBe("<p>3</p>");
    });
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("compiles an unchanged template once in development too", async () => {
    configureViews(tempViews({ "once.hbs": "<p>{{n}}</p>" }));
    const compile = jest.spyOn((getRenderer() as TemplateRenderer).handlebars, "parse");
    await withNodeEnv("development", () => {
      renderToString("once", { n: 1 });
      renderToString("once", { n: 2 });
    });
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("recompiles a changed template in development", async () => {
    const dir = tempViews({ "live.hbs": "before {{n}}" });
    configureViews(dir);
    await withNodeEnv("development", () => {
      expect(renderToString("live", { n: 1 })).toBe("before 1");
      rewrite(path.join(dir, "live.hbs"), "after {{n}}", 10);
      expect(renderToString("live", { n: 2 })).toBe("after 2");
    });
  });

  it("recompiles a changed partial in development", async () => {
    const dir = tempViews({ "page.hbs": "[{{> item}}]", "partials/item.hbs": "old" });
    configureViews(dir);
    await withNodeEnv("development", () => {
      expect(renderToString("page")).toBe("[old]");
      rewrite(path.join(dir, "partials", "item.hbs"), "new", 10);
      expect(renderToString("page")).toBe("[new]");
    });
  });

  it("keeps the compiled template in production even when the file changes", async () => {
    const dir = tempViews({ "fixed.hbs": "first" });
    await withNodeEnv("production", () => {
      configureViews(dir);
      expect(renderToString("fixed")).toBe("first");
      rewrite(path.join(dir, "fixed.hbs"), "second", 10);
      expect(renderToString("fixed")).toBe("first");
    });
  });

  it("sees a helper registered after the template was first rendered", async () => {
    const renderer = await withNodeEnv("production", () => configureViews(tempViews({ "shout.hbs": "{{shout word}}" })));
    expect(() => renderToString("shout", { word: "hi" })).toThrow(/Missing helper/);
    renderer.handlebars.registerHelper("shout", (word: unknown) => `${String(word).toUpperCase()}!`);
    expect(renderToString("shout", { word: "hi" })).toBe("HI!");
    renderer.handlebars.unregisterHelper("shout");
    expect(() => renderToString("shout", { word: "hi" })).toThrow(/Missing helper/);
  });

  it("keeps @root, @index and block contexts apart from one render to the next", async () => {
    const source = "{{#each items}}{{@index}}:{{this}}@{{@root.title}} {{/each}}{{#with inner}}[{{name}}]{{/with}}";
    await withNodeEnv("production", () => configureViews(tempViews({ "list.hbs": source })));
    expect(renderToString("list", { title: "A", items: ["x", "y"], inner: { name: "one" } })).toBe("0:x@A 1:y@A [one]");
    expect(renderToString("list", { title: "B", items: ["z"] })).toBe("0:z@B ");
    expect(renderToString("list", { title: "C", items: [], inner: { name: "two" } })).toBe("[two]");
  });

  it("renders from the folder given to configureViews and back", () => {
    configureViews(tempViews({ "message.hbs": "other {{text}}" }));
    expect(renderToString("message", { text: "x" })).toBe("other x");
    configureViews(FIXTURE_VIEWS);
    expect(oneLine(renderToString("message", { text: "x" }))).toBe('<p class="message">x</p>');
  });
});
