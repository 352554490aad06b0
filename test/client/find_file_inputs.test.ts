import { findFileInputs } from "../../controllers/dom/collect_payload.js";

const byId = (id: string): Element => document.getElementById(id)!;

describe("findFileInputs", () => {
  it("returns the named file inputs of the element's form", () => {
    document.body.innerHTML = `<form id="f"><input type="file" id="a" name="a"><input type="file" id="b">
      <input type="file" name="c" disabled><input name="t"><button id="go">Go</button></form>`;
    expect(findFileInputs(byId("go"))).toEqual([byId("a")]);
    expect(findFileInputs(byId("f"))).toEqual([byId("a")]);
  });

  it("honours the form= attribute", () => {
    document.body.innerHTML = `<form id="f"><input type="file" id="a" name="a"></form><button id="go" form="f">Go</button>`;
    expect(findFileInputs(byId("go"))).toEqual([byId("a")]);
  });

  it("returns the element itself when it is a file input", () => {
    document.body.innerHTML = `<div><input type="file" id="a" name="a"><input type="file" name="b"></div>`;
    expect(findFileInputs(byId("a"))).toEqual([byId("a")]);
  });

  it("never uploads the files of a plain container", () => {
    document.body.innerHTML = `<div><input type="file" name="a"><button id="go">Go</button></div>`;
    expect(findFileInputs(byId("go"))).toEqual([]);
  });
});
