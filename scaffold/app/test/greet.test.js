import { after, test } from "node:test";
import assert from "node:assert/strict";
import { testPage } from "express-liveview/testing";
import { createApp } from "../app.js";

const { app, liveview } = createApp();
await liveview.ready;
after(() => liveview.close());

test("says hello to the name typed in", async () => {
  const page = await testPage.render(app, "/");
  await page.input("[name=name]", "Ada");
  await page.click("#greet");
  assert.equal(page.text("#greeting"), "Hello, Ada!");
});

test("greets a stranger when no name is given", async () => {
  const page = await testPage.render(app, "/");
  await page.click("#greet");
  assert.equal(page.text("#greeting"), "Hello, stranger!");
});
