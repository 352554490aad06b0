import type { Logger } from "../../controllers/debug.js";
import { parseFragment } from "../../controllers/dom/parse_fragment.js";
import { extractScripts, runCode, runScripts } from "../../controllers/dom/run_scripts.js";
import { resetTrustedTypes } from "../../controllers/dom/trusted_types.js";

type Probe = { calls: unknown[] };
const probe = (): Probe => (window as unknown as { probe: Probe }).probe;
const makeLog = (): Logger & { error: jest.Mock } => ({ debug: jest.fn(), warn: jest.fn(), error: jest.fn(), enabled: true });

beforeEach(() => {
  (window as unknown as { probe: Probe }).probe = { calls: [] };
  document.head.innerHTML = "";
  document.body.innerHTML = `<div id="target"></div>`;
});

describe("extractScripts", () => {
  it("takes out scripts without a type or with a JavaScript type, in order", () => {
    const fragment = parseFragment(
      `<p>x</p><script>1</script><script type="text/javascript">2</script><script type="application/javascript">3</script>
       <script type=" Module ">4</script><script type="text/ecmascript">5</script>`,
      document,
    );
    expect(extractScripts(fragment).map((s) => s.textContent)).toEqual(["1", "2", "3", "4", "5"]);
    expect(fragment.querySelectorAll("script")).toHaveLength(0);
    expect(fragment.querySelector("p")).not.toBeNull();
  });

  it("runs every JavaScript MIME type HTML names, and nothing close to them", () => {
    const runnable = [
      "application/ecmascript", "application/javascript", "application/x-ecmascript", "application/x-javascript",
      "text/ecmascript", "text/javascript", "text/javascript1.0", "text/javascript1.1", "text/javascript1.2",
      "text/javascript1.3", "text/javascript1.4", "text/javascript1.5", "text/jscript", "text/livescript",
      "text/x-ecmascript", "text/x-javascript", "TEXT/JavaScript", "module", "",
    ];
    const inert = ["text/javascript1.6", "application/jscript", "text/x-livescript", "javascript", "text/javascript;x", "modules"];
    const scripts = [...runnable, ...inert].map((type, i) => `<script type="${type}">${i}</script>`).join("");
    const taken = extractScripts(parseFragment(scripts, document)).map((s) => Number(s.textContent));
    expect(taken).toEqual(runnable.map((_, i) => i));
  });

  it("leaves text/template and application/json in the markup", () => {
    const fragment = parseFragment(
      `<script type="text/template"><b>t</b></script><script type="application/json">{"a":1}</script>`,
      document,
    );
    expect(extractScripts(fragment)).toEqual([]);
    expect(fragment.querySelectorAll("script")).toHaveLength(2);
  });
});

describe("runScripts", () => {
  it("runs inline scripts in order with el and this bound to the target", () => {
    const target = document.getElementById("target")!;
    const fragment = parseFragment(
      `<script>probe.calls.push(["first", el === this, el.id])</script><script>probe.calls.push("second")</script>`,
      document,
    );
    runScripts(extractScripts(fragment), target, makeLog());
    expect(probe().calls).toEqual([["first", true, "target"], "second"]);
  });

  it("logs an error in one script and still runs the next", () => {
    const log = makeLog();
    const fragment = parseFragment(`<script>throw new Error("boom")</script><script>probe.calls.push("after")</script>`, document);
    runScripts(extractScripts(fragment), document.getElementById("target")!, log);
    expect(probe().calls).toEqual(["after"]);
    expect(log.error).toHaveBeenCalledTimes(1);
  });

  it("loads a script with src through a real script element in head, attributes copied", () => {
    const fragment = parseFragment(`<script src="/static/chart.js" data-x="1" nonce="n"></script>`, document);
    runScripts(extractScripts(fragment), document.getElementById("target")!, makeLog());
    const live = document.head.querySelector("script[src='/static/chart.js']") as HTMLScriptElement;
    expect(live).not.toBeNull();
    expect(live.getAttribute("data-x")).toBe("1");
    expect(live.async).toBe(false);
  });

  it("inserts module scripts as real module scripts", () => {
    const fragment = parseFragment(`<script type="module">export {};</script>`, document);
    runScripts(extractScripts(fragment), document.getElementById("target")!, makeLog());
    expect(document.head.querySelector("script[type=module]")?.textContent).toBe("export {};");
  });
});

describe("runCode", () => {
  it("binds el and this to the target", () => {
    runCode(`probe.calls.push(el.id, this.id)`, document.getElementById("target"), makeLog());
    expect(probe().calls).toEqual(["target", "target"]);
  });

  it("binds el to null and this to window without a target", () => {
    runCode(`probe.calls.push(el, this === window)`, null, makeLog());
    expect(probe().calls).toEqual([null, true]);
  });

  it("logs instead of throwing, syntax errors included", () => {
    const log = makeLog();
    expect(() => runCode(`throw new Error("x")`, null, log)).not.toThrow();
    expect(() => runCode(`this is not js (`, null, log)).not.toThrow();
    expect(log.error).toHaveBeenCalledTimes(2);
  });
});

describe("under a strict Content-Security-Policy", () => {
  /** The nonce of every script element inserted into the document while `act` runs. */
  function insertedNonces(act: () => void): Array<string | null> {
    const observer = new MutationObserver(() => {});
    observer.observe(document, { childList: true, subtree: true });
    act();
    const added = observer.takeRecords().flatMap((record) => Array.from(record.addedNodes));
    observer.disconnect();
    return added.filter((node) => node instanceof HTMLScriptElement).map((node) => (node as Element).getAttribute("nonce"));
  }

  beforeEach(() => {
    document.head.innerHTML = `<meta name="csp-nonce" content="n0nce">`;
  });

  afterEach(() => {
    delete (window as unknown as { trustedTypes?: unknown }).trustedTypes;
    resetTrustedTypes();
  });

  it("runs the script key as a script element carrying the page's nonce, removed after it ran", () => {
    const nonces = insertedNonces(() => runCode(`probe.calls.push(el.id)`, document.getElementById("target"), makeLog()));
    expect(nonces).toEqual(["n0nce"]);
    expect(probe().calls).toEqual(["target"]);
    expect(document.querySelectorAll("script")).toHaveLength(0);
  });

  it("never uses new Function or eval", () => {
    const fn = jest.spyOn(window, "Function");
    const evil = jest.spyOn(window, "eval");
    runCode(`probe.calls.push(1)`, null, makeLog());
    expect(fn).not.toHaveBeenCalled();
    expect(evil).not.toHaveBeenCalled();
    expect(probe().calls).toEqual([1]);
  });

  it("gives <script src> and module scripts the page's nonce in place of their own", () => {
    const fragment = parseFragment(`<script src="/a.js" nonce="stale"></script><script type="module">export {};</script>`, document);
    const nonces = insertedNonces(() => runScripts(extractScripts(fragment), document.getElementById("target")!, makeLog()));
    expect(nonces).toEqual(["n0nce", "n0nce"]);
  });

  it("keeps a page's errors out of window.onerror: they go to the log", () => {
    const onerror = jest.fn();
    window.onerror = onerror;
    const log = makeLog();
    runCode(`throw new Error("boom")`, null, log);
    window.onerror = null;
    expect(onerror).not.toHaveBeenCalled();
    expect(log.error).toHaveBeenCalledWith("script error", expect.objectContaining({ message: "boom" }));
  });

  it("leaves no global handle behind, also after an error", () => {
    runCode(`throw new Error("x")`, null, makeLog());
    runCode(`(`, null, makeLog());
    expect(Object.keys(window).filter((key) => key.startsWith("__liveview"))).toEqual([]);
  });

  it("passes script text, script URLs and fragment HTML through a Trusted Types policy named liveview, made once", () => {
    const seen: string[] = [];
    const createPolicy = jest.fn((_name: string, rules: Record<string, (s: string) => string>) => {
      const wrap = (kind: string) => (input: string) => {
        seen.push(kind);
        const value = rules[kind](input);
        return { toString: () => value };
      };
      return { createHTML: wrap("createHTML"), createScript: wrap("createScript"), createScriptURL: wrap("createScriptURL") };
    });
    (window as unknown as { trustedTypes: unknown }).trustedTypes = { createPolicy };
    const fragment = parseFragment(`<script>probe.calls.push("inline")</script><script src="/b.js"></script>`, document);
    runScripts(extractScripts(fragment), document.getElementById("target")!, makeLog());
    expect(createPolicy).toHaveBeenCalledTimes(1);
    expect(createPolicy.mock.calls[0][0]).toBe("liveview");
    expect(seen).toEqual(["createHTML", "createScript", "createScriptURL"]);
    expect(probe().calls).toEqual(["inline"]);
  });
});
