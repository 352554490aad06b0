import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { configureViews, liveviewHandler, liveviewRegistry, renderToString, send } from "express-liveview";
import { testPage } from "express-liveview/testing";

// The README's handler and template, and below its ten-line test, as written there.
beforeAll(() => {
  const views = mkdtempSync(path.join(tmpdir(), "readme-views-"));
  writeFileSync(path.join(views, "greeting.hbs"), "<p>Hello, {{name}}!</p>\n");
  configureViews(views);
  liveviewHandler("say_hello", (consumer, content) => {
    send(consumer, { target: "#greeting", html: renderToString("greeting", { name: content.form.name }) });
  });
});

afterAll(() => {
  liveviewRegistry.unregister("say_hello");
});

test("says hello", async () => {
  const page = await testPage({ html: `<input name="name"><button data-liveview-function="say_hello" data-action="click->page#run">Hi</button><div id="greeting"></div>` });
  await page.input("[name=name]", "Ada");
  await page.click("button");
  expect(page.text("#greeting")).toBe("Hello, Ada!");
});
