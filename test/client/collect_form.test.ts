import { collectForm, isFormControl } from "../../controllers/dom/collect_payload.js";

const byId = (id: string): Element => document.getElementById(id)!;

describe("collectForm: which controls are sent", () => {
  it("sends a form's own controls when the element is the form", () => {
    document.body.innerHTML = `<input name="outside" value="no">
      <form id="f"><input name="a" value="1"><textarea name="b">2</textarea></form>`;
    expect(collectForm(byId("f"))).toEqual({ a: "1", b: "2" });
  });

  it("sends the enclosing form's controls for an element inside a form", () => {
    document.body.innerHTML = `<form><div><input name="a" value="1"></div><p><button id="go">Go</button></p></form>
      <input name="outside" value="no">`;
    expect(collectForm(byId("go"))).toEqual({ a: "1" });
  });

  it("sends the form named by the form= attribute", () => {
    document.body.innerHTML = `<form id="f"><input name="a" value="1"></form>
      <div><input name="near" value="no"><button id="go" form="f">Go</button></div>`;
    expect(collectForm(byId("go"))).toEqual({ a: "1" });
  });

  it("includes controls attached to the form with form= from outside it", () => {
    document.body.innerHTML = `<form id="f"><input name="a" value="1"></form><input form="f" name="b" value="2">
      <button id="go" form="f">Go</button>`;
    expect(collectForm(byId("go"))).toEqual({ a: "1", b: "2" });
  });

  it("sends just the element when it is a named control outside a form", () => {
    document.body.innerHTML = `<div><input id="q" name="q" value="find"><input name="other" value="no"></div>`;
    expect(collectForm(byId("q"))).toEqual({ q: "find" });
  });

  it("sends the controls of the element's parent otherwise", () => {
    document.body.innerHTML = `<div><input name="name" value="Ada"><button id="go">Greet</button></div>
      <input name="outside" value="no">`;
    expect(collectForm(byId("go"))).toEqual({ name: "Ada" });
  });

  it("uses the container rule for a submit input outside a form", () => {
    document.body.innerHTML = `<div><input name="name" value="Ada"><input id="go" type="submit" name="go"></div>`;
    expect(collectForm(byId("go"))).toEqual({ name: "Ada" });
  });

  it("returns an empty object when there is nothing to send", () => {
    document.body.innerHTML = `<div><button id="go">Go</button></div>`;
    expect(collectForm(byId("go"))).toEqual({});
  });
});

describe("collectForm: values", () => {
  const form = (inner: string): Element => {
    document.body.innerHTML = `<form id="f">${inner}</form>`;
    return byId("f");
  };

  it("sends text-like inputs and hidden inputs as strings", () => {
    const f = form(`<input name="t" value="x"><input type="email" name="e" value="a@b.c">
      <input type="number" name="n" value="4"><input type="hidden" name="h" value="secret">`);
    expect(collectForm(f)).toEqual({ t: "x", e: "a@b.c", n: "4", h: "secret" });
  });

  it("sends a textarea as a string", () => {
    expect(collectForm(form(`<textarea name="body">line 1\nline 2</textarea>`))).toEqual({ body: "line 1\nline 2" });
  });

  it("sends a select as the selected option's value", () => {
    const f = form(`<select name="s"><option value="a">A</option><option value="b" selected>B</option></select>`);
    expect(collectForm(f)).toEqual({ s: "b" });
  });

  it("sends a select multiple as the array of selected values", () => {
    const f = form(`<select name="m" multiple><option value="a" selected>A</option><option value="b">B</option>
      <option value="c" selected>C</option></select><select name="none" multiple><option value="x">X</option></select>`);
    expect(collectForm(f)).toEqual({ m: ["a", "c"], none: [] });
  });

  it("sends a single checkbox as a boolean", () => {
    const f = form(`<input type="checkbox" name="yes" checked><input type="checkbox" name="no" value="1">`);
    expect(collectForm(f)).toEqual({ yes: true, no: false });
  });

  it("sends a checkbox group as the array of checked values", () => {
    const f = form(`<input type="checkbox" name="tags" value="a" checked><input type="checkbox" name="tags" value="b">
      <input type="checkbox" name="tags" value="c" checked>`);
    expect(collectForm(f)).toEqual({ tags: ["a", "c"] });
  });

  it("sends an unchecked checkbox group as an empty array", () => {
    const f = form(`<input type="checkbox" name="tags" value="a"><input type="checkbox" name="tags" value="b">`);
    expect(collectForm(f)).toEqual({ tags: [] });
  });

  it("sends a radio group as the checked value", () => {
    const f = form(`<input type="radio" name="size" value="s"><input type="radio" name="size" value="m" checked>
      <input type="radio" name="size" value="l">`);
    expect(collectForm(f)).toEqual({ size: "m" });
  });

  it("leaves out a radio group with nothing checked", () => {
    const f = form(`<input type="radio" name="size" value="s"><input type="radio" name="size" value="m">`);
    expect(collectForm(f)).toEqual({});
  });

  it("skips disabled controls, those in a disabled fieldset too", () => {
    const f = form(`<input name="a" value="1" disabled><fieldset disabled><input name="b" value="2"></fieldset>
      <select name="c" disabled><option>x</option></select><input name="d" value="4">`);
    expect(collectForm(f)).toEqual({ d: "4" });
  });

  it("skips buttons of every kind", () => {
    const f = form(`<button name="b1" value="1">x</button><input type="submit" name="b2" value="2">
      <input type="reset" name="b3"><input type="button" name="b4" value="4"><input type="image" name="b5">
      <input name="kept" value="k">`);
    expect(collectForm(f)).toEqual({ kept: "k" });
  });

  it("skips file inputs and unnamed controls", () => {
    const f = form(`<input type="file" name="avatar"><input value="no name"><input name="kept" value="k">`);
    expect(collectForm(f)).toEqual({ kept: "k" });
  });

  it("keeps names exactly as written", () => {
    const f = form(`<input name="first_name" value="a"><input name="lastName" value="b"><input name="x-y" value="c">`);
    expect(collectForm(f)).toEqual({ first_name: "a", lastName: "b", "x-y": "c" });
  });

  it("reads the current values, not the initial markup", () => {
    const f = form(`<input name="t" value="old"><input type="checkbox" name="c">`);
    (f.querySelector("[name=t]") as HTMLInputElement).value = "new";
    (f.querySelector("[name=c]") as HTMLInputElement).checked = true;
    expect(collectForm(f)).toEqual({ t: "new", c: true });
  });
});

describe("collectForm: the submit button, as a browser's own submit sends it", () => {
  const setUp = (html: string): HTMLFormElement => {
    document.body.innerHTML = `<form id="f">${html}</form><form id="g"><button id="foreign" name="other" value="o">o</button></form>`;
    return document.getElementById("f") as HTMLFormElement;
  };

  it("adds the submit event's submitter's name and value", () => {
    const f = setUp(`<input name="title" value="T"><button id="s" name="intent" value="publish">Publish</button>`);
    expect(collectForm(f, byId("s"))).toEqual({ title: "T", intent: "publish" });
    expect(collectForm(f)).toEqual({ title: "T" });
  });

  it("adds the clicked submit button itself (a <button> or <input type=submit>) when it is the calling element", () => {
    setUp(`<input name="title" value="T"><button id="b" name="intent" value="draft">Draft</button>
      <input id="i" type="submit" name="go" value="Go">`);
    expect(collectForm(byId("b"))).toEqual({ title: "T", intent: "draft" });
    expect(collectForm(byId("i"))).toEqual({ title: "T", go: "Go" });
  });

  it("matches the browser's FormData for the form and that submitter", () => {
    const f = setUp(`<input name="a" value="1"><button id="s" name="intent" value="save">Save</button>`);
    // jsdom's FormData(form, submitter) follows the HTML standard's entry list.
    const expected = Object.fromEntries(new FormData(f, byId("s") as HTMLButtonElement));
    expect(collectForm(f, byId("s"))).toEqual(expected);
  });

  it("leaves out an unnamed, disabled, non-submit or other form's button", () => {
    const f = setUp(`<input name="a" value="1"><button id="unnamed" value="x">x</button><button id="off" name="n" value="v" disabled>x</button>
      <button id="plain" type="button" name="p" value="p">p</button><input id="reset" type="reset" name="r" value="r">`);
    for (const id of ["unnamed", "off", "plain", "reset", "foreign"]) expect(collectForm(f, byId(id))).toEqual({ a: "1" });
    for (const id of ["unnamed", "off", "plain", "reset"]) expect(collectForm(byId(id))).toEqual({ a: "1" });
  });

  it("sends no button for a submit button outside any form", () => {
    document.body.innerHTML = `<div><input name="q" value="x"><button id="b" name="go" value="1">Go</button></div>`;
    expect(collectForm(byId("b"))).toEqual({ q: "x" });
  });
});

describe("isFormControl", () => {
  it("accepts named inputs, selects and textareas, file inputs included", () => {
    document.body.innerHTML = `<input id="a" name="a"><select id="b" name="b"></select><textarea id="c" name="c"></textarea>
      <input id="d" type="file" name="d">`;
    for (const id of ["a", "b", "c", "d"]) expect(isFormControl(byId(id))).toBe(true);
  });

  it("rejects unnamed controls, buttons and other elements", () => {
    document.body.innerHTML = `<input id="a"><input id="b" type="submit" name="b"><button id="c" name="c"></button>
      <div id="d"></div>`;
    for (const id of ["a", "b", "c", "d"]) expect(isFormControl(byId(id))).toBe(false);
  });
});
