import { testPage, type TestPage } from "express-liveview/testing";
import { login, startExample, type Example } from "./support";

let ex: Example;
let page: TestPage;

// A test page has no uploads (the browser sends files over the socket in binary chunks before the call), so these
// tests submit the form without a file; test/e2e/example_app.test.ts uploads a real image in Chromium.

beforeAll(async () => {
  ex = startExample();
  await ex.liveview.ready;
});
afterAll(() => ex.cleanup());
afterEach(() => page.close());

describe("uploading an avatar", () => {
  it("says no file was selected when the form is sent without one", async () => {
    const cookie = await login(ex.app, "ada");
    page = await testPage.render(ex.app, "/avatar", { user: { name: "ada" }, headers: { cookie } });
    const [ack] = await page.submit("#avatar-form");
    expect(ack.ok).toBe(true);
    expect(page.text("#upload-status")).toBe("No file selected");
    expect(page.exists("#avatar-image")).toBe(false);
    expect(page.errors).toEqual([]);
  });

  it("tells a visitor to log in, and the handler does not run", async () => {
    page = await testPage.render(ex.app, "/avatar");
    const [ack] = await page.submit("#avatar-form");
    expect(ack.ok).toBe(false);
    expect(page.text("#error")).toBe("You must be logged in to do that. Log in");
    expect(page.text("#upload-status")).toBe("");
  });
});
