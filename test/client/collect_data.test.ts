import { collectData } from "../../controllers/dom/collect_payload.js";

function element(html: string): Element {
  document.body.innerHTML = html;
  return document.body.firstElementChild!;
}

describe("collectData", () => {
  it("sends data-data-* attributes with the prefix removed", () => {
    expect(collectData(element(`<button data-data-page="2" data-data-id="7"></button>`))).toEqual({ page: "2", id: "7" });
  });

  it("camelCases dashed names as dataset does", () => {
    expect(collectData(element(`<button data-data-modal-id="5" data-data-a-b-c="x"></button>`))).toEqual({
      modalId: "5",
      aBC: "x",
    });
  });

  it("leaves out every attribute that is not data-data-*", () => {
    const el = element(
      `<button id="b" data-database="db" data-datum="d" data-liveview-function="f" data-action="click->page#run" data-data-ok="1"></button>`,
    );
    expect(collectData(el)).toEqual({ ok: "1" });
  });

  it("keeps values as strings, empty ones included", () => {
    expect(collectData(element(`<div data-data-count="3" data-data-flag></div>`))).toEqual({ count: "3", flag: "" });
  });

  it("returns an empty object for an element without data", () => {
    expect(collectData(element(`<span></span>`))).toEqual({});
  });
});
