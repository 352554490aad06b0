import type { Browser } from "playwright-core";
import { z } from "zod";
import { defineHandler, liveviewRegistry, send } from "../../server/index";
import { waitForLiveView } from "../../testing/index";
import { launchChromium } from "../support/browser";
import { quietLogger, tabsClosedAfterEach } from "../support/e2e";
import { page, startServer, type TestServer } from "../support/server";

const RENAME = "e2e_invalid_input_rename";

let browser: Browser;
let server: TestServer;
const tabs = tabsClosedAfterEach();

// The page marks each field the server refused, from liveview:error's detail.fields.
const BODY = `
<form id="rename" data-liveview-function="${RENAME}" data-action="submit->page#run">
  <input name="title" value=""><input name="year" value="soon">
  <button>Save</button>
</form>
<p id="out"></p>
<script>
  window.errors = [];
  document.addEventListener("liveview:error", (event) => {
    window.errors.push(event.detail);
    for (const key of Object.keys(event.detail.fields || {})) {
      const input = document.querySelector('[name="' + key.replace(/^form\\./, "") + '"]');
      if (input) input.setAttribute("aria-invalid", "true");
    }
  });
</script>`;

declare global {
  interface Window {
    errors: Array<{ code?: string; fields?: Record<string, string[]> }>;
  }
}

beforeAll(async () => {
  browser = await launchChromium();
  defineHandler(RENAME, { form: z.object({ title: z.string().min(1, "Give it a title"), year: z.coerce.number().int("A year") }) }, (consumer, { form }) =>
    send(consumer, { target: "#out", html: `${form.title} (${form.year})` }),
  );
  server = await startServer({ pages: { "/": page(BODY) }, logger: quietLogger });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  liveviewRegistry.unregister(RENAME);
});

describe("invalid input in the browser", () => {
  it("dispatches liveview:error with detail.fields naming each failing field, and the handler's update never comes", async () => {
    const tab = await tabs.open(browser, server.url + "/");
    await waitForLiveView(tab);
    await tab.click("button");
    await waitForLiveView(tab);
    const errors = await tab.evaluate(() => window.errors);
    expect(errors).toHaveLength(1);
    expect(errors[0].code).toBe("invalid_input");
    expect(errors[0].fields).toEqual({ "form.title": ["Give it a title"], "form.year": [expect.any(String)] });
    expect(await tab.getAttribute("[name=title]", "aria-invalid")).toBe("true");
    expect(await tab.textContent("#out")).toBe("");

    await tab.fill("[name=title]", "Dune");
    await tab.fill("[name=year]", "1965");
    await tab.click("button");
    await waitForLiveView(tab);
    expect(await tab.textContent("#out")).toBe("Dune (1965)");
    expect(await tab.evaluate(() => window.errors.length)).toBe(1);
  });
});
