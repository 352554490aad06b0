import { renderToString, type CspOption } from "../../server/index";
import { cspHeader } from "../../server/security/csp";
import { httpGet } from "../support/http";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(csp: CspOption | undefined): Promise<TestServer> {
  const server = await startServer({ logger: mockLogger(), csp });
  server.app.get("/page", (_req, res) => res.render("csp_nonce", { layout: false, items: ["a", "b"] }));
  servers.push(server);
  return server;
}

const nonceOf = (header: string | string[] | undefined): string => /'nonce-([^']+)'/.exec(String(header))?.[1] ?? "";

describe("csp: true", () => {
  it("sends the strict policy with a nonce in script-src, without unsafe-inline or unsafe-eval", async () => {
    const server = await serve(true);
    const { headers } = await httpGet(`${server.url}/page`);
    const nonce = nonceOf(headers["content-security-policy"]);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(headers["content-security-policy"]).toBe(
      `default-src 'self'; script-src 'self' 'nonce-${nonce}'; object-src 'none'; base-uri 'none'`,
    );
  });

  it("makes a fresh nonce for every response and renders it with {{cspNonce}}, inside loops too", async () => {
    const server = await serve(true);
    const first = await httpGet(`${server.url}/page`);
    const second = await httpGet(`${server.url}/page`);
    const [a, b] = [nonceOf(first.headers["content-security-policy"]), nonceOf(second.headers["content-security-policy"])];
    expect(a).not.toBe(b);
    expect(first.body.trim()).toBe(`<meta name="csp-nonce" content="${a}"><script nonce="${a}">a</script><script nonce="${a}">b</script>`);
    expect(second.body).toContain(`content="${b}"`);
  });

  it("also covers the bundle it serves", async () => {
    const server = await serve(true);
    const { headers } = await httpGet(`${server.url}/static/liveview/liveview.min.js`);
    expect(nonceOf(headers["content-security-policy"])).not.toBe("");
  });

  it("renders {{cspNonce}} as nothing outside a response (a handler's renderToString)", () => {
    expect(renderToString("csp_nonce", { items: [] }).trim()).toBe(`<meta name="csp-nonce" content="">`);
  });
});

describe("csp: { directives }", () => {
  it("adds directives and replaces ours, keeping the nonce in script-src", async () => {
    const server = await serve({ directives: { "img-src": ["'self'", "data:"], "script-src": "'self' https://cdn.example", "upgrade-insecure-requests": "" } });
    const header = String((await httpGet(`${server.url}/page`)).headers["content-security-policy"]);
    const nonce = nonceOf(header);
    expect(header).toBe(
      `default-src 'self'; script-src 'self' https://cdn.example 'nonce-${nonce}'; object-src 'none'; base-uri 'none'; img-src 'self' data:; upgrade-insecure-requests`,
    );
  });
});

describe("without csp", () => {
  it("sends no Content-Security-Policy", async () => {
    const server = await serve(undefined);
    expect((await httpGet(`${server.url}/page`)).headers["content-security-policy"]).toBeUndefined();
  });

  it("builds the header from a nonce alone", () => {
    expect(cspHeader("abc")).toBe("default-src 'self'; script-src 'self' 'nonce-abc'; object-src 'none'; base-uri 'none'");
  });
});
