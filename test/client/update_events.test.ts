import { createLogger } from "../../controllers/debug.js";
import { applyUpdate } from "../../controllers/dom/apply_update.js";

beforeEach(() => {
  document.body.innerHTML = `<div id="box"></div>`;
  Element.prototype.scrollIntoView = jest.fn();
  window.scrollTo = jest.fn() as unknown as typeof window.scrollTo;
});
afterEach(() => jest.restoreAllMocks());

const quiet = () => ({ doc: document, log: createLogger(false) });

describe("update events", () => {
  it("dispatches a bubbling liveview:update on the target with the update as detail", () => {
    const update = { target: "#box", html: "x" };
    const onTarget = jest.fn();
    const onDocument = jest.fn();
    document.getElementById("box")!.addEventListener("liveview:update", onTarget);
    document.addEventListener("liveview:update", onDocument);
    applyUpdate(update, quiet());
    document.removeEventListener("liveview:update", onDocument);
    expect(onTarget).toHaveBeenCalledTimes(1);
    const event = onTarget.mock.calls[0][0] as CustomEvent;
    expect(event.detail).toBe(update);
    expect(event.target).toBe(document.getElementById("box"));
    expect(onDocument).toHaveBeenCalledTimes(1);
  });

  it("dispatches liveview:update after the DOM change", () => {
    let seen = "";
    document.getElementById("box")!.addEventListener("liveview:update", (e) => {
      seen = (e.target as Element).innerHTML;
    });
    applyUpdate({ target: "#box", html: "<b>after</b>" }, quiet());
    expect(seen).toBe("<b>after</b>");
  });

  it("dispatches liveview:update on the document when the target was removed or is missing", () => {
    const targets: unknown[] = [];
    const listener = (e: Event) => targets.push(e.target);
    document.addEventListener("liveview:update", listener);
    applyUpdate({ target: "#box", remove: true }, quiet());
    applyUpdate({ target: "#missing", html: "x" }, quiet());
    applyUpdate({ title: "t" }, quiet());
    document.removeEventListener("liveview:update", listener);
    expect(targets).toEqual([document, document, document]);
  });

  it("dispatches liveview:error on the document with the update as detail", () => {
    const update = { error: "Unknown function: nope", code: "unknown_function", availableFunctions: ["a"] };
    const onError = jest.fn();
    document.addEventListener("liveview:error", onError);
    applyUpdate(update, quiet());
    document.removeEventListener("liveview:error", onError);
    expect(onError).toHaveBeenCalledTimes(1);
    const event = onError.mock.calls[0][0] as CustomEvent;
    expect(event.detail).toBe(update);
    expect(event.bubbles).toBe(true);
  });

  it("logs the error through the logger when debugging", () => {
    const log = { debug: jest.fn(), warn: jest.fn(), error: jest.fn(), enabled: true };
    applyUpdate({ error: "Handler error: x", function: "f" }, { doc: document, log });
    expect(log.error).toHaveBeenCalled();
  });

  it("prints nothing to the console with the default logger, whatever goes wrong", () => {
    const spies = (["log", "debug", "info", "warn", "error"] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => {}),
    );
    const ctx = quiet();
    applyUpdate({ error: "Handler error: x" }, ctx);
    applyUpdate({ target: "#missing", html: "x" }, ctx);
    applyUpdate({ target: "#[bad", html: "x" }, ctx);
    applyUpdate({ target: "#box", html: "<script>throw new Error('x')</script>", script: "throw 1" }, ctx);
    (document.getElementById("box") as Element & { __cleanup?: () => void }).__cleanup = () => {
      throw new Error("cleanup");
    };
    applyUpdate({ target: "#box", remove: true }, ctx);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});
