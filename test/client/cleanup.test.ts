import type { Logger } from "../../controllers/debug.js";
import { cleanupTree } from "../../controllers/dom/cleanup.js";
import type { CleanupElement } from "../../controllers/dom/cleanup.js";

const makeLog = (): Logger & { error: jest.Mock } => ({ debug: jest.fn(), warn: jest.fn(), error: jest.fn(), enabled: true });
const byId = (id: string): CleanupElement => document.getElementById(id)!;

describe("cleanupTree", () => {
  beforeEach(() => {
    document.body.innerHTML = `<div id="root"><p id="child"><span id="grandchild"></span></p></div>`;
  });

  it("calls __cleanup on the element and on every descendant that set one", () => {
    const calls: string[] = [];
    for (const id of ["root", "grandchild"]) byId(id).__cleanup = () => calls.push(id);
    cleanupTree(byId("root"), makeLog());
    expect(calls).toEqual(["root", "grandchild"]);
  });

  it("calls each cleanup only once", () => {
    const cleanup = jest.fn();
    byId("root").__cleanup = cleanup;
    cleanupTree(byId("root"), makeLog());
    cleanupTree(byId("root"), makeLog());
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  it("logs a throwing cleanup and goes on with the others", () => {
    const log = makeLog();
    const after = jest.fn();
    byId("child").__cleanup = () => {
      throw new Error("boom");
    };
    byId("grandchild").__cleanup = after;
    expect(() => cleanupTree(byId("root"), log)).not.toThrow();
    expect(after).toHaveBeenCalled();
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it("ignores a __cleanup that is not a function", () => {
    (byId("root") as unknown as { __cleanup: string }).__cleanup = "nope";
    expect(() => cleanupTree(byId("root"), makeLog())).not.toThrow();
  });
});
