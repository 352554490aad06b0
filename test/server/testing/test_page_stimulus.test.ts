import { LiveViewRegistry, send, type HandlerContent } from "express-liveview";
import { testPage } from "express-liveview/testing";

/** A registry whose `record` handler records each call's content, and whose `chart` handler dispatches an event. */
function app() {
  const calls: HandlerContent[] = [];
  const registry = new LiveViewRegistry();
  registry.register("record")((consumer, content) => {
    calls.push(content);
    send(consumer, { target: "#out", html: `call ${calls.length}` });
  });
  registry.register("chart")((consumer) => {
    send(consumer, { target: "#out", html: "drawn", dispatch: "chart:update", detail: { values: [1, 2] } });
    send(consumer, { dispatch: "chart:reset" });
  });
  return { registry, calls };
}

describe("testPage and the Stimulus integration", () => {
  it("sends the clicked element's action params, typecast as Stimulus does", async () => {
    const { registry, calls } = app();
    const page = await testPage({
      registry,
      html: `<button data-liveview-function="record" data-action="click->page#run" data-page-id-param="3" data-page-open-param="true" data-page-label-param="x"></button><p id="out"></p>`,
    });
    await page.click("button");
    expect(calls[0].params).toEqual({ id: 3, open: true, label: "x" });
    page.close();
  });

  it("sends plain data-* attributes with the plainData option or <html data-liveview-plain-data>, data-data-* winning", async () => {
    const { registry, calls } = app();
    const button = `<button data-liveview-function="record" data-action="click->page#run" data-page="2" data-data-page="9" data-size="5">More</button><p id="out"></p>`;
    const plain = await testPage({ registry, plainData: true, html: button });
    const byHtml = await testPage({ registry, html: `<!doctype html><html data-liveview-plain-data><body>${button}</body></html>` });
    const off = await testPage({ registry, html: button });
    for (const page of [plain, byHtml, off]) await page.click("button");
    expect(calls.map((call) => call.data)).toEqual([{ page: "9", size: "5" }, { page: "9", size: "5" }, { page: "9" }]);
    for (const page of [plain, byHtml, off]) page.close();
  });

  it("sends the submit button that submitted the form, as the browser does", async () => {
    const { registry, calls } = app();
    const page = await testPage({
      registry,
      html: `<form data-liveview-function="record" data-action="submit->page#run"><input name="title" value="T">
        <button id="draft" name="intent" value="draft">Draft</button><button id="pub" name="intent" value="publish">Publish</button></form><p id="out"></p>`,
    });
    await page.click("#pub");
    await page.click("#draft");
    expect(calls.map((call) => call.form)).toEqual([{ title: "T", intent: "publish" }, { title: "T", intent: "draft" }]);
    page.close();
  });

  it("records the events updates dispatch, and dispatches them in its DOM", async () => {
    const { registry } = app();
    const page = await testPage({ registry, html: `<button data-liveview-function="chart" data-action="click->page#run"></button><p id="out"></p>` });
    const heard: unknown[] = [];
    page.window.addEventListener("chart:update", (event) => heard.push((event as CustomEvent).detail));
    await page.click("button");
    expect(page.dispatches).toEqual([
      { name: "chart:update", detail: { values: [1, 2] }, target: page.find("#out") },
      { name: "chart:reset", detail: null, target: null },
    ]);
    expect(heard).toEqual([{ values: [1, 2] }]);
    page.close();
  });

  it("fires the call lifecycle events, and a cancelled before-call sends nothing", async () => {
    const { registry, calls } = app();
    const page = await testPage({ registry, html: `<button data-liveview-function="record" data-action="click->page#run"></button><p id="out"></p>` });
    const heard: string[] = [];
    for (const type of ["liveview:before-call", "liveview:success", "liveview:failure", "liveview:after-call"]) {
      page.document.addEventListener(type, () => heard.push(type));
    }
    await page.click("button");
    expect(heard).toEqual(["liveview:before-call", "liveview:success", "liveview:after-call"]);
    page.document.addEventListener("liveview:before-call", (event) => event.preventDefault(), { once: true });
    expect(await page.click("button")).toEqual([]);
    expect(calls).toHaveLength(1);
    page.close();
  });
});
