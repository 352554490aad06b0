import { applyCommands, runCommands, type CommandStep } from "../../controllers/dom/commands";
import { applyUpdate } from "../../controllers/dom/apply_update";
import { applyOptimistic } from "../../controllers/dom/optimistic";
import { parseCommands } from "../../controllers/dom/parse_commands";
import type { Logger } from "../../controllers/debug";

const makeLog = (): Logger & { debug: jest.Mock } => ({ debug: jest.fn(), warn: jest.fn(), error: jest.fn(), enabled: true });
let log: ReturnType<typeof makeLog>;
const byId = (id: string) => document.getElementById(id)!;

beforeEach(() => {
  log = makeLog();
  document.body.innerHTML = `
    <button id="b" class="keep hidden-ish" aria-pressed="false">Save <b id="bold">now</b></button>
    <p id="p" hidden="until-found">text</p>
    <div class="row">one</div><div class="row">two</div>`;
});

describe("parseCommands", () => {
  it("reads op:value commands separated by whitespace, show and hide without a value", () => {
    expect(parseCommands("  add-class:done\tremove-class:hidden\n toggle-attr:aria-pressed show hide ", log)).toEqual([
      { op: "add-class", value: "done" },
      { op: "remove-class", value: "hidden" },
      { op: "toggle-attr", value: "aria-pressed" },
      { op: "show", value: "" },
      { op: "hide", value: "" },
    ]);
    expect(log.debug).not.toHaveBeenCalled();
  });

  it("reads a quoted value with spaces, and an empty set-text", () => {
    expect(parseCommands(`set-text:'Saving now' toggle-class:"a" set-text:`, log)).toEqual([
      { op: "set-text", value: "Saving now" },
      { op: "toggle-class", value: "a" },
      { op: "set-text", value: "" },
    ]);
  });

  it("skips unknown ops, missing values and event-handler attributes with a debug message", () => {
    expect(parseCommands("explode:now add-class remove-class: toggle-attr:onclick=x add-class:ok", log)).toEqual([
      { op: "add-class", value: "ok" },
    ]);
    expect(log.debug).toHaveBeenCalledTimes(4);
  });
});

/** Everything a command could change on an element, to compare before and after a revert. */
const snapshot = (el: Element) => ({
  html: el.outerHTML,
  classes: [...el.classList].sort(),
  attributes: el.getAttributeNames().map((name) => [name, el.getAttribute(name)]),
});

describe("runCommands: each op and its exact revert", () => {
  const cases: Array<[string, CommandStep, string, (el: Element) => unknown, unknown]> = [
    ["add-class", { op: "add-class", value: "done" }, "b", (el) => el.classList.contains("done"), true],
    ["remove-class", { op: "remove-class", value: "keep" }, "b", (el) => el.classList.contains("keep"), false],
    ["toggle-class", { op: "toggle-class", value: "keep" }, "b", (el) => el.classList.contains("keep"), false],
    ["show", { op: "show", value: "" }, "p", (el) => el.hasAttribute("hidden"), false],
    ["hide", { op: "hide", value: "" }, "b", (el) => el.getAttribute("hidden"), ""],
    ["toggle-attr (aria)", { op: "toggle-attr", value: "aria-pressed" }, "b", (el) => el.getAttribute("aria-pressed"), "true"],
    ["toggle-attr (presence)", { op: "toggle-attr", value: "disabled" }, "b", (el) => el.hasAttribute("disabled"), true],
    ["toggle-attr (name=value)", { op: "toggle-attr", value: "data-state=open" }, "b", (el) => el.getAttribute("data-state"), "open"],
    ["set-text", { op: "set-text", value: "Saving…" }, "b", (el) => el.textContent, "Saving…"],
  ];

  it.each(cases)("%s applies, and its undo restores the element exactly", (_name, step, id, read, expected) => {
    const el = byId(id);
    const before = snapshot(el);
    const undo = runCommands([step], [el], log);
    expect(read(el)).toEqual(expected);
    undo();
    expect(snapshot(el)).toEqual(before);
  });

  it("hide keeps a hidden value that was there, and show restores it", () => {
    const p = byId("p");
    runCommands([{ op: "hide", value: "" }], [p], log);
    expect(p.getAttribute("hidden")).toBe("until-found");
    const undo = runCommands([{ op: "show", value: "" }], [p], log);
    expect(p.hasAttribute("hidden")).toBe(false);
    undo();
    expect(p.getAttribute("hidden")).toBe("until-found");
  });

  it("toggle-attr flips an aria-* state both ways, an absent one counting as false", () => {
    const b = byId("b");
    const toggle = () => runCommands([{ op: "toggle-attr", value: "aria-pressed" }], [b], log);
    toggle();
    toggle();
    expect(b.getAttribute("aria-pressed")).toBe("false");
    b.removeAttribute("aria-pressed");
    const undo = toggle();
    expect(b.getAttribute("aria-pressed")).toBe("true");
    undo();
    expect(b.hasAttribute("aria-pressed")).toBe(false);
  });

  it("set-text's revert puts back the very child nodes", () => {
    const bold = byId("bold");
    const undo = runCommands([{ op: "set-text", value: "x" }], [byId("b")], log);
    expect(bold.isConnected).toBe(false);
    undo();
    expect(byId("bold")).toBe(bold);
  });

  it("a class present before add-class is still present after the revert; one absent before remove-class stays absent", () => {
    const b = byId("b");
    runCommands([{ op: "add-class", value: "keep" }], [b], log)();
    expect(b.classList.contains("keep")).toBe(true);
    runCommands([{ op: "remove-class", value: "never" }], [b], log)();
    expect(b.classList.contains("never")).toBe(false);
  });

  it("reverts several commands on several elements, last change first", () => {
    const rows = Array.from(document.querySelectorAll<HTMLElement>(".row"));
    const before = rows.map(snapshot);
    const undo = runCommands(parseCommands("set-text:a set-text:b toggle-class:x hide", log), rows, log);
    expect(rows.map((row) => [row.textContent, row.className, row.hidden])).toEqual([
      ["b", "row x", true],
      ["b", "row x", true],
    ]);
    undo();
    expect(rows.map(snapshot)).toEqual(before);
  });

  it("a command the DOM refuses is a debug message; the others still apply", () => {
    const b = byId("b");
    runCommands([{ op: "toggle-attr", value: "1bad" }, { op: "add-class", value: "ok" }], [b], log);
    expect(b.classList.contains("ok")).toBe(true);
    expect(log.debug).toHaveBeenCalledWith(expect.stringContaining("toggle-attr"), b, expect.anything());
  });
});

describe("applyCommands: an update's commands", () => {
  it("applies each command to every element its target matches", () => {
    applyCommands(
      [
        { op: "add-class", target: ".row", value: "seen new" },
        { op: "set-text", target: "#p", value: "changed" },
        { op: "show", target: "#p" },
      ],
      document,
      log,
    );
    expect(Array.from(document.querySelectorAll(".row")).map((row) => row.className)).toEqual(["row seen new", "row seen new"]);
    expect(byId("p").textContent).toBe("changed");
    expect(byId("p").hasAttribute("hidden")).toBe(false);
  });

  it("skips malformed commands with a debug message and never throws", () => {
    const bad: unknown = [
      null,
      "add-class",
      { op: "explode", target: "#b", value: "x" },
      { op: "add-class", target: "#b" },
      { op: "add-class", value: "x" },
      { op: "add-class", target: "", value: "x" },
      { op: "add-class", target: "##nope", value: "x" },
      { op: "add-class", target: "#missing", value: "x" },
      { op: "toggle-attr", target: "#b", value: "onclick=alert(1)" },
      { op: "add-class", target: "#b", value: "applied" },
    ];
    expect(() => applyCommands(bad, document, log)).not.toThrow();
    expect(() => applyCommands({ op: "show" }, document, log)).not.toThrow();
    expect(byId("b").className).toBe("keep hidden-ish applied");
    expect(byId("b").hasAttribute("onclick")).toBe(false);
    expect(log.debug).toHaveBeenCalledTimes(10);
  });

  it("runs after the DOM change and before the script", () => {
    const seen: unknown[] = [];
    (window as unknown as { seen: unknown[] }).seen = seen;
    applyUpdate(
      {
        target: "#p",
        html: `<span id="fresh">fresh</span>`,
        commands: [{ op: "add-class", target: "#fresh", value: "lit" }],
        script: "window.seen.push(document.getElementById('fresh').className)",
      },
      { doc: document, log },
    );
    expect(seen).toEqual(["lit"]);
  });
});

describe("applyOptimistic", () => {
  it("applies to the element itself, or to every match of data-liveview-optimistic-target", () => {
    document.body.innerHTML = `<button id="a" data-liveview-optimistic="add-class:busy"></button>
      <button id="t" data-liveview-optimistic="hide" data-liveview-optimistic-target=".row"></button>
      <div class="row"></div><div class="row"></div>`;
    const undoSelf = applyOptimistic(byId("a"), { doc: document, log })!;
    expect(byId("a").classList.contains("busy")).toBe(true);
    const undoRows = applyOptimistic(byId("t"), { doc: document, log })!;
    expect(Array.from(document.querySelectorAll(".row")).map((row) => row.hasAttribute("hidden"))).toEqual([true, true]);
    expect(byId("t").hasAttribute("hidden")).toBe(false);
    undoSelf();
    undoRows();
    expect(document.querySelectorAll("[hidden], .busy")).toHaveLength(0);
  });

  it("returns null when there is nothing to apply", () => {
    document.body.innerHTML = `<button id="none"></button><button id="bad" data-liveview-optimistic="nope"></button>
      <button id="away" data-liveview-optimistic="hide" data-liveview-optimistic-target="#missing"></button>`;
    for (const id of ["none", "bad", "away"]) expect(applyOptimistic(byId(id), { doc: document, log })).toBeNull();
  });
});
