import { LiveViewClient } from "../../controllers/live_view_client";
import { recoverableForms } from "../../controllers/recovery/form_recovery";
import { SentValues } from "../../controllers/recovery/sent_values";
import { fakeFactory } from "../support/fake_connection";

afterEach(() => {
  document.body.innerHTML = "";
});

describe("recoverableForms", () => {
  it("lists the forms with data-liveview-recover in document order, with their handlers", () => {
    document.body.innerHTML = `<form id="a" data-liveview-recover="restore_a"></form>
      <form id="plain"></form><div data-liveview-recover="not_a_form"></div>
      <section><form id="b" data-liveview-recover=" restore_b "></form></section><form data-liveview-recover=""></form>`;
    expect(recoverableForms(document).map(({ form, handler }) => [form.id, handler])).toEqual([
      ["a", "restore_a"],
      ["b", "restore_b"],
    ]);
  });
});

describe("when the server lost the session", () => {
  it("calls each form's handler with the form's data-data-* and values, in document order, and nothing else", () => {
    document.body.innerHTML = `<form data-liveview-recover="restore_draft" data-data-draft-id="7">
        <input name="title" value="old"><textarea name="body"></textarea><input type="checkbox" name="done" checked>
      </form>
      <form><input name="search" value="x"></form>
      <form data-liveview-recover="restore_filters"><select name="sort"><option>new</option><option selected>top</option></select></form>`;
    (document.querySelector("[name=title]") as HTMLInputElement).value = "typed";
    (document.querySelector("[name=body]") as HTMLTextAreaElement).value = "more";
    const fake = fakeFactory();
    new LiveViewClient(document, {}, fake.factory);
    const connection = fake.get();
    connection.events.sessionLost();
    expect(connection.calls.map(({ function: name, data, form }) => ({ name, data, form }))).toEqual([
      { name: "restore_draft", data: { draftId: "7" }, form: { title: "typed", body: "more", done: true } },
      { name: "restore_filters", data: {}, form: { sort: "top" } },
    ]);
  });
});

describe("SentValues", () => {
  const focus = (selector: string) => {
    const el = document.querySelector(selector) as HTMLInputElement;
    el.focus();
    return el;
  };

  it("finds unsent text only in the focused text field, against its rendered value until a call reads it", () => {
    document.body.innerHTML = `<form id="f"><input id="t" name="t" value="as rendered"><input id="c" type="checkbox" name="c"></form>
      <input id="other" name="other">`;
    const sent = new SentValues();
    const field = focus("#t");
    expect(sent.hasUnsentText(document)).toBe(false);
    field.value = "typed";
    expect(sent.hasUnsentText(document)).toBe(true);
    sent.note(document.getElementById("f")!); // a call from the form read it
    expect(sent.hasUnsentText(document)).toBe(false);
    field.value = "typed more";
    expect(sent.hasUnsentText(document)).toBe(true);
    focus("#other"); // the typed text is in a field that is not focused any more
    expect(sent.hasUnsentText(document)).toBe(false);
    focus("#c");
    expect(sent.hasUnsentText(document)).toBe(false);
  });

  it("counts a call from the field itself, from a button of its form, and from a sibling in a container", () => {
    document.body.innerHTML = `<form><input id="in-form" name="a"><button id="btn">go</button></form>
      <div><textarea id="loose" name="b"></textarea><span id="sibling"></span></div>`;
    const sent = new SentValues();
    const check = (fieldSelector: string, caller: string) => {
      const field = focus(fieldSelector);
      field.value = `${field.value}x`;
      expect(sent.hasUnsentText(document)).toBe(true);
      sent.note(document.querySelector(caller)!);
      expect(sent.hasUnsentText(document)).toBe(false);
    };
    check("#in-form", "#in-form");
    check("#in-form", "#btn");
    check("#loose", "#sibling");
  });
});
