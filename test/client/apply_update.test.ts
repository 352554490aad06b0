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

const debugged = (text: string): boolean => log.debug.mock.calls.some((args) => String(args[0]).includes(text));

describe("applyUpdate: robustness", () => {
  it("treats an invalid target selector as a missing target: a debug message, and the rest still applies", () => {
    expect(apply({ target: "#[bad", html: "x", title: "still" })).toBeNull();
    expect(document.title).toBe("still");
    expect(debugged('invalid target selector "#[bad"')).toBe(true);
    expect(log.error).not.toHaveBeenCalled();
  });

  it("uses scroll only as a selector: an invalid one is a debug message, nothing scrolls, the rest applies", () => {
    apply({ scroll: ">>>", title: "after" });
    expect(debugged('invalid scroll selector ">>>"')).toBe(true);
    expect(scrollIntoView).not.toHaveBeenCalled();
    expect(document.title).toBe("after");
    expect(log.error).not.toHaveBeenCalled();
  });

  it("does not fail when scrolling is not implemented, and still dispatches liveview:update", () => {
    (window as unknown as { scrollTo: unknown }).scrollTo = undefined;
    (Element.prototype as unknown as { scrollIntoView: unknown }).scrollIntoView = undefined;
    const seen = jest.fn();
    document.addEventListener("liveview:update", seen, { once: true });
    apply({ scroll: "#far", scrollTop: true });
    expect(log.error).not.toHaveBeenCalled();
    expect(seen).toHaveBeenCalledTimes(1);
  });
});

describe("applyUpdate: the url key", () => {
  it.each(["/page/2", "?q=x", "#part", "http://localhost/same"])("pushes the same-origin URL %s", (url) => {
    apply({ url });
    expect(location.href).toBe(new URL(url, "http://localhost/").href);
    expect(log.debug.mock.calls.some((args) => String(args[0]).includes("refused"))).toBe(false);
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://other.example/",
    "//other.example/path",
    "http://localhost:81/",
    "https://localhost/",
    "blob:http://localhost/x",
    "http://[bad",
  ])("refuses %s with a debug message, and the rest of the update still applies", (url) => {
    apply({ url, title: "applied", target: "#box", html: "<b>new</b>" });
    expect(location.href).toBe("http://localhost/");
    expect(document.title).toBe("applied");
    expect(byId("box")!.innerHTML).toBe("<b>new</b>");
    expect(debugged(`url "${url}" refused`)).toBe(true);
    expect(log.error).not.toHaveBeenCalled();
  });
});
