import { readFileSync } from "node:fs";
import path from "node:path";
import { bundleDir } from "../../server/views/static_assets";
import { httpGet } from "../support/http";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

// The bundle comes from dist/static/liveview: run `npm run build` once before these tests.
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ logger: mockLogger() });
});

afterAll(async () => {
  await server.close();
});

describe("static assets", () => {
  it.each(["liveview.js", "liveview.min.js"])("serves /static/liveview/%s as JavaScript", async (name) => {
    const response = await httpGet(`${server.url}/static/liveview/${name}`);
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toMatch(/javascript/);
    expect(response.body.length).toBeGreaterThan(1000);
  });

  it("answers 304 to a request that sends back the ETag", async () => {
    const first = await httpGet(`${server.url}/static/liveview/liveview.min.js`);
    const etag = String(first.headers.etag);
    expect(etag).not.toBe("undefined");
    const second = await httpGet(`${server.url}/static/liveview/liveview.min.js`, { "if-none-match": etag });
    expect(second.status).toBe(304);
    expect(second.body).toBe("");
  });

  it("does not serve other files from the bundle folder", async () => {
    expect((await httpGet(`${server.url}/static/liveview/../../package.json`)).status).toBe(404);
    expect((await httpGet(`${server.url}/static/liveview/other.js`)).status).toBe(404);
  });
});

describe("browser bundle contents", () => {
  const bundle = (name: string) => readFileSync(path.join(bundleDir(), name), "utf8");

  it.each(["liveview.js", "liveview.min.js"])("%s connects through our websocket engine, not engine.io-client's Socket", (name) => {
    expect(bundle(name)).not.toContain("probe error"); // engine.io-client's transport upgrade
  });

  // A strict Content-Security-Policy has no 'unsafe-eval': nothing in the bundle (ours, Stimulus, socket.io-client)
  // may compile code from a string. Comments are stripped first so a doc comment naming them does not count.
  it.each(["liveview.js", "liveview.min.js"])("%s contains no eval, new Function or Function(...) call", (name) => {
    const code = bundle(name).replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/\bnew\s+Function\b/);
    expect(code).not.toMatch(/(^|[^.\w$])Function\s*\(/);
    expect(code).not.toMatch(/set(Timeout|Interval)\s*\(\s*["'`]/);
  });

  it.each(["liveview.js", "liveview.min.js"])("%s names its Trusted Types policy liveview", (name) => {
    expect(bundle(name)).toContain(`"liveview"`);
    expect(bundle(name)).toContain("createPolicy");
  });

  it("liveview.min.js leaves out engine.io-client's long-polling and WebTransport code", () => {
    const source = bundle("liveview.min.js");
    for (const absent of ["XMLHttpRequest", "WebTransport", "polling"]) expect(source).not.toContain(absent);
  });
});
