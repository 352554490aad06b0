import type { Logger } from "../../controllers/debug.js";
import { applyUpdate } from "../../controllers/dom/apply_update.js";
import type { CleanupElement } from "../../controllers/dom/cleanup.js";

type Probe = { calls: unknown[] };
const probe = (): Probe => (window as unknown as { probe: Probe }).probe;
const makeLog = (): Logger & { debug: jest.Mock; warn: jest.Mock; error: jest.Mock } => ({
  debug: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
  enabled: true,
});
const byId = (id: string): CleanupElement | null => document.getElementById(id);

let log: ReturnType<typeof makeLog>;
let scrollIntoView: jest.Mock;
let scrollTo: jest.Mock;

beforeEach(() => {
  log = makeLog();
  scrollIntoView = jest.fn();
  scrollTo = jest.fn();
  Element.prototype.scrollIntoView = scrollIntoView;
  window.scrollTo = scrollTo as unknown as typeof window.scrollTo;
  (window as unknown as { probe: Probe }).probe = { calls: [] };
  history.replaceState({}, "", "/");
  document.title = "start";
  document.body.innerHTML = `<div id="box"><p id="old">old</p></div><ul id="list"><li>1</li></ul>
    <table><tbody id="rows"><tr><td>a</td></tr></tbody></table><section id="far"></section>`;
});

const apply = (update: Parameters<typeof applyUpdate>[0]) => applyUpdate(update, { doc: document, log });

describe("applyUpdate: DOM changes", () => {
  it("replaces the target's content with the html", () => {
    const target = apply({ target: "#box", html: "<b>new</b>" });
    expect(byId("box")!.innerHTML).toBe("<b>new</b>");
    expect(target).toBe(byId("box"));
  });

  it("updates only the first match of the selector", () => {
    document.body.innerHTML = `<p class="x">1</p><p class="x">2</p>`;
    apply({ target: ".x", html: "new" });
    expect(document.body.textContent).toBe("new2");
  });

  it("appends with append: true", () => {
    apply({ target: "#list", html: "<li>2</li><li>3</li>", append: true });
    expect(byId("list")!.textContent).toBe("123");
  });

  it("removes the target with remove: true", () => {
    const target = apply({ target: "#box", remove: true });
    expect(byId("box")).toBeNull();
    expect(target?.id).toBe("box");
  });

  it("puts <tr> fragments into a <tbody>", () => {
    apply({ target: "#rows", html: "<tr><td>x</td></tr><tr><td>y</td></tr>" });
    expect(byId("rows")!.querySelectorAll("tr")).toHaveLength(2);
    apply({ target: "#rows", html: "<tr><td>z</td></tr>", append: true });
    expect(byId("rows")!.textContent).toBe("xyz");
  });

  it("changes nothing when html is missing, never writing 'undefined'", () => {
    const before = document.body.innerHTML;
    expect(apply({ target: "#box" })).toBe(byId("box"));
    apply({ target: "#box", append: true });
    expect(document.body.innerHTML).toBe(before);
  });

  it("replaces with an empty string when html is empty", () => {
    apply({ target: "#box", html: "" });
    expect(byId("box")!.childNodes).toHaveLength(0);
  });
});

describe("applyUpdate: the rest of the update", () => {
  it("still applies title and url when the target is missing, with a debug message", () => {
    expect(apply({ target: "#nowhere", html: "<b>x</b>", title: "New title", url: "/page/2" })).toBeNull();
    expect(document.title).toBe("New title");
    expect(location.pathname).toBe("/page/2");
    expect(log.debug).toHaveBeenCalled();
    expect(document.body.innerHTML).not.toContain("<b>x</b>");
  });

  it("applies an update without a target", () => {
    apply({ title: "T", scrollTop: true });
    expect(document.title).toBe("T");
    expect(scrollTo).toHaveBeenCalledWith({ top: 0, behavior: "smooth" });
  });

  it("scrolls to the top after a url change with new html", () => {
    apply({ target: "#box", html: "page 2", url: "/page/2" });
    expect(location.pathname).toBe("/page/2");
    expect(scrollTo).toHaveBeenCalledWith({ top: 0, behavior: "smooth" });
  });

  it("does not scroll to the top after a url change without html", () => {
    apply({ url: "/filtered" });
    expect(scrollTo).not.toHaveBeenCalled();
  });

  it("scrolls to the scroll selector instead of the top when both url and scroll are given", () => {
    apply({ target: "#box", html: "x", url: "/a", scroll: "#far" });
    expect(scrollTo).not.toHaveBeenCalled();
    expect(scrollIntoView).toHaveBeenCalledWith({ behavior: "smooth", block: "start" });
    expect(scrollIntoView.mock.instances[0]).toBe(byId("far"));
  });

  it("ignores a scroll selector that matches nothing", () => {
    expect(() => apply({ scroll: "#missing" })).not.toThrow();
    expect(scrollIntoView).not.toHaveBeenCalled();
  });

  it("runs the script key after the DOM update, bound to the target", () => {
    apply({ target: "#box", html: "<i>new</i>", script: "probe.calls.push(el.innerHTML, this.id)" });
    expect(probe().calls).toEqual(["<i>new</i>", "box"]);
  });

  it("runs inline scripts after insertion, in order, bound to the target", () => {
    apply({
      target: "#box",
      html: `<span id="s">x</span><script>probe.calls.push(["one", el.id, this === el, !!el.querySelector("#s")])</script>
        <script>probe.calls.push("two")</script>`,
    });
    expect(probe().calls).toEqual([["one", "box", true, true], "two"]);
    expect(byId("box")!.querySelector("script")).toBeNull();
  });

  it("goes on after a failing inline script", () => {
    apply({
      target: "#box",
      html: `<script>throw new Error("boom")</script><script>probe.calls.push("next")</script>`,
      title: "after",
    });
    expect(probe().calls).toEqual(["next"]);
    expect(document.title).toBe("after");
    expect(log.error).toHaveBeenCalled();
  });

  it("leaves text/template and application/json scripts inert in the markup", () => {
    apply({
      target: "#box",
      html: `<script type="text/template">probe.calls.push("t")</script><script type="application/json">{"a":1}</script>`,
    });
    expect(probe().calls).toEqual([]);
    expect(byId("box")!.querySelectorAll("script")).toHaveLength(2);
  });
});

describe("applyUpdate: cleanup", () => {
  it("calls __cleanup of the target and its old content before replacing it", () => {
    const seen: string[] = [];
    byId("box")!.__cleanup = () => seen.push(`box:${byId("old") ? "old present" : "old gone"}`);
    byId("old")!.__cleanup = () => seen.push("old");
    apply({ target: "#box", html: "new" });
    expect(seen).toEqual(["box:old present", "old"]);
  });

  it("calls __cleanup of the target and its descendants before removing it", () => {
    const seen: string[] = [];
    byId("box")!.__cleanup = () => seen.push(`box:${byId("box") ? "attached" : "detached"}`);
    byId("old")!.__cleanup = () => seen.push("old");
    apply({ target: "#box", remove: true });
    expect(seen).toEqual(["box:attached", "old"]);
  });

  it("still replaces when a cleanup throws", () => {
    byId("old")!.__cleanup = () => {
      throw new Error("boom");
    };
    apply({ target: "#box", html: "new" });
    expect(byId("box")!.textContent).toBe("new");
    expect(log.error).toHaveBeenCalled();
  });

  it("lets a script of the new content set the next cleanup on the target", () => {
    const stop = jest.fn();
    (window as unknown as { stop: jest.Mock }).stop = stop;
    apply({ target: "#box", html: "<script>el.__cleanup = () => window.stop()</script>" });
    apply({ target: "#box", html: "again" });
    expect(stop).toHaveBeenCalledTimes(1);
  });

  it("does not call cleanups when appending", () => {
    const cleanup = jest.fn();
    byId("box")!.__cleanup = cleanup;
    apply({ target: "#box", html: "more", append: true });
    expect(cleanup).not.toHaveBeenCalled();
  });
});

describe("applyUpdate: robustness", () => {
  it("does not throw on an invalid selector, and still applies the rest", () => {
    expect(() => apply({ target: "#[bad", html: "x", title: "still" })).not.toThrow();
    expect(document.title).toBe("still");
    expect(log.warn).toHaveBeenCalled();
  });

  it("does not throw on an invalid scroll selector", () => {
    expect(() => apply({ scroll: ">>>" })).not.toThrow();
  });

  it("does not throw when pushState refuses the url", () => {
    expect(() => apply({ url: "https://other.example/", title: "ok" })).not.toThrow();
    expect(document.title).toBe("ok");
  });

  it("does not throw when scrolling is not implemented", () => {
    (window as unknown as { scrollTo: unknown }).scrollTo = undefined;
    (Element.prototype as unknown as { scrollIntoView: unknown }).scrollIntoView = undefined;
    expect(() => apply({ scroll: "#far", scrollTop: true })).not.toThrow();
  });
});
