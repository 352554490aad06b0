import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { httpGet } from "../support/http";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;
const tempDirs: string[] = [];

function tempViews(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "liveview-engine-"));
  tempDirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("Express view engine (res.render)", () => {
  it("wraps a page in views/layouts/main.hbs at {{{body}}} when that layout exists", async () => {
    const views = tempViews({
      "page.hbs": "<h1>{{title}}</h1>{{> note}}",
      "partials/note.hbs": "<small>{{title}}</small>",
      "layouts/main.hbs": "<html><head><title>{{title}}</title></head><body>{{{body}}}</body></html>",
    });
    server = await startServer({ logger: mockLogger(), views });
    server.app.get("/page", (_req, res) => res.render("page", { title: "A & B" }));
    const response = await httpGet(`${server.url}/page`);
    expect(response.status).toBe(200);
    expect(response.body).toBe(
      "<html><head><title>A &amp; B</title></head><body><h1>A &amp; B</h1><small>A &amp; B</small></body></html>",
    );
  });

  it("renders the page alone with layout: false", async () => {
    const views = tempViews({
      "page.hbs": "<h1>{{title}}</h1>",
      "layouts/main.hbs": "<main>{{{body}}}</main>",
    });
    server = await startServer({ logger: mockLogger(), views });
    server.app.get("/bare", (_req, res) => res.render("page", { title: "Bare", layout: false }));
    const response = await httpGet(`${server.url}/bare`);
    expect(response.status).toBe(200);
    expect(response.body).toBe("<h1>Bare</h1>");
  });

  it("renders the page alone when there is no layouts/main.hbs", async () => {
    const views = tempViews({ "page.hbs": "<h1>{{title}}</h1>" });
    server = await startServer({ logger: mockLogger(), views });
    server.app.get("/page", (_req, res) => res.render("page", { title: "No layout" }));
    expect((await httpGet(`${server.url}/page`)).body).toBe("<h1>No layout</h1>");
  });

  it("uses another layout named with the layout option", async () => {
    const views = tempViews({
      "page.hbs": "<h1>{{title}}</h1>",
      "layouts/main.hbs": "<main>{{{body}}}</main>",
      "layouts/admin.hbs": "<div class=\"admin\">{{{body}}}</div>",
    });
    server = await startServer({ logger: mockLogger(), views });
    server.app.get("/admin", (_req, res) => res.render("page", { title: "Admin", layout: "layouts/admin" }));
    expect((await httpGet(`${server.url}/admin`)).body).toBe('<div class="admin"><h1>Admin</h1></div>');
  });

  it("renders a page in a subfolder", async () => {
    const views = tempViews({ "pages/home.hbs": "<p>home</p>" });
    server = await startServer({ logger: mockLogger(), views });
    server.app.get("/", (_req, res) => res.render("pages/home"));
    expect((await httpGet(`${server.url}/`)).body).toBe("<p>home</p>");
  });
});
