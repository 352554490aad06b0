import type { Logger } from "../../controllers/debug.js";
import { HistoryJournal, type HistoryEntry } from "../../controllers/history/journal.js";
import { PageHistory } from "../../controllers/history/page_history.js";
import { captureRegion, fieldValues, restoreFieldValues, ScriptMemory } from "../../controllers/history/snapshot.js";
import { HISTORY_LIMIT, STORAGE_KEYS } from "../../protocol/index.js";

const makeLog = (): Logger & { debug: jest.Mock } => ({ debug: jest.fn(), warn: jest.fn(), error: jest.fn(), enabled: true });

const entry = (index: number): HistoryEntry => ({
  index,
  url: `http://localhost/page/${index}`,
  title: `Page ${index}`,
  lang: "en",
  scrollY: 0,
  regions: [{ target: "#main", html: `<p>${index}</p>`, scripts: [], values: [] }],
});

let log: ReturnType<typeof makeLog>;
let journal: HistoryJournal;

beforeEach(() => {
  sessionStorage.clear();
  log = makeLog();
  journal = new HistoryJournal(() => sessionStorage, log);
});

describe("HistoryJournal", () => {
  it("reads back what it wrote, from sessionStorage", () => {
    journal.write([entry(2), entry(1)]);
    expect(new HistoryJournal(() => sessionStorage, log).read()).toEqual([entry(1), entry(2)]);
  });

  it("reads an empty journal when nothing is stored", () => {
    expect(journal.read()).toEqual([]);
  });

  it(`keeps the newest ${HISTORY_LIMIT} entries and drops the oldest`, () => {
    const many = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => entry(i + 1));
    journal.write(many);
    const indexes = journal.read()!.map((e) => e.index);
    expect(indexes).toHaveLength(HISTORY_LIMIT);
    expect(indexes[0]).toBe(6);
    expect(indexes.at(-1)).toBe(HISTORY_LIMIT + 5);
  });

  it("reads a journal that is not JSON, or not a journal, as null", () => {
    sessionStorage.setItem(STORAGE_KEYS.history, "{not json");
    expect(journal.read()).toBeNull();
    sessionStorage.setItem(STORAGE_KEYS.history, JSON.stringify([{ index: 1, url: 3 }]));
    expect(journal.read()).toBeNull();
    sessionStorage.setItem(STORAGE_KEYS.history, JSON.stringify({ entries: [] }));
    expect(journal.read()).toBeNull();
  });

  it("stops journaling, with a debug message, when storage refuses a write", () => {
    const full = {
      getItem: () => null,
      setItem: jest.fn(() => {
        throw new DOMException("full", "QuotaExceededError");
      }),
    } as unknown as Storage;
    const refusing = new HistoryJournal(() => full, log);
    expect(refusing.write([entry(1)])).toBe(false);
    expect(refusing.write([entry(2)])).toBe(false);
    expect(full.setItem).toHaveBeenCalledTimes(1);
    expect(log.debug).toHaveBeenCalled();
  });
});

describe("region snapshots", () => {
  beforeEach(() => {
    document.body.innerHTML = `<form id="form">
      <input name="name"><input type="password" name="secret"><input type="file" name="photo">
      <input type="checkbox" name="ok"><textarea name="note"></textarea>
      <select name="pick" multiple><option>a</option><option>b</option><option>c</option></select>
      <input id="keep" data-liveview-permanent name="kept">
    </form>`;
    const form = document.getElementById("form")!;
    (form.querySelector("[name=name]") as HTMLInputElement).value = "Ada";
    (form.querySelector("[name=secret]") as HTMLInputElement).value = "hunter2";
    (form.querySelector("[name=ok]") as HTMLInputElement).checked = true;
    (form.querySelector("[name=note]") as HTMLTextAreaElement).value = "hi";
    (form.querySelector("[name=pick]") as HTMLSelectElement).options[2]!.selected = true;
    (form.querySelector("[name=kept]") as HTMLInputElement).value = "live";
  });

  it("keeps the values of text, checkbox, textarea and select, never a password or a file, nor a permanent's", () => {
    expect(fieldValues(document.getElementById("form")!)).toEqual(["Ada", null, null, true, "hi", [2], null]);
  });

  it("never writes a password into the journal", () => {
    const region = captureRegion("#form", document.getElementById("form")!, new ScriptMemory());
    expect(JSON.stringify(region)).not.toContain("hunter2");
  });

  it("puts the values back by position", () => {
    const form = document.getElementById("form")!;
    const values = fieldValues(form);
    form.innerHTML = form.innerHTML;
    restoreFieldValues(form, values);
    expect((form.querySelector("[name=name]") as HTMLInputElement).value).toBe("Ada");
    expect((form.querySelector("[name=secret]") as HTMLInputElement).value).toBe("");
    expect((form.querySelector("[name=ok]") as HTMLInputElement).checked).toBe(true);
    expect((form.querySelector("[name=note]") as HTMLTextAreaElement).value).toBe("hi");
    expect((form.querySelector("[name=pick]") as HTMLSelectElement).selectedIndex).toBe(2);
  });
});

describe("ScriptMemory", () => {
  it("remembers replayable scripts per target, in document order, until the target leaves the page", () => {
    document.body.innerHTML = `<div id="a"><div id="b"></div></div>`;
    const memory = new ScriptMemory();
    const script = (html: string) => {
      const template = document.createElement("template");
      template.innerHTML = html;
      return template.content.firstElementChild as HTMLScriptElement;
    };
    memory.record(document.getElementById("b")!, [script("<script>2</script>")], false);
    memory.record(document.getElementById("a")!, [script("<script>1</script>"), script(`<script data-liveview-replay="false">no</script>`)], false);
    memory.record(document.getElementById("a")!, [script(`<script src="/x.js"></script>`), script("<script>1b</script>")], true);
    expect(memory.within(document.getElementById("a")!)).toEqual(["<script>1</script>", "<script>1b</script>", "<script>2</script>"]);
    document.getElementById("b")!.remove();
    expect(memory.within(document.getElementById("a")!)).toEqual(["<script>1</script>", "<script>1b</script>"]);
  });
});

describe("PageHistory", () => {
  beforeEach(() => {
    history.replaceState(null, "", "/");
    document.documentElement.removeAttribute("data-liveview-history");
    document.body.innerHTML = `<main id="main"><p>home</p></main>`;
  });

  const navigate = (pageHistory: PageHistory, html: string, url: string) => {
    pageHistory.callSent();
    pageHistory.beforeUpdate({ target: "#main", html, url });
    document.getElementById("main")!.innerHTML = html;
    history.pushState({}, "", url);
    pageHistory.afterUpdate({ target: "#main", html, url });
    pageHistory.callDone();
  };

  it("journals the entry left (as it was) and the entry pushed (as it is)", () => {
    const pageHistory = new PageHistory(document, log);
    navigate(pageHistory, "<p>one</p>", "/one");
    const stored = journal.read()!;
    expect(stored.map((e) => [e.index, new URL(e.url).pathname, e.regions[0]!.html])).toEqual([
      [1, "/", "<p>home</p>"],
      [2, "/one", "<p>one</p>"],
    ]);
    expect(history.state).toEqual({ liveview: 2 });
  });

  it("journals nothing with data-liveview-history=\"false\"", () => {
    document.documentElement.setAttribute("data-liveview-history", "false");
    navigate(new PageHistory(document, log), "<p>one</p>", "/one");
    expect(journal.read()).toEqual([]);
    expect(history.state).toEqual({});
  });

  it("journals nothing for a call without url", () => {
    const pageHistory = new PageHistory(document, log);
    pageHistory.callSent();
    pageHistory.beforeUpdate({ target: "#main", html: "<p>x</p>" });
    pageHistory.afterUpdate({ target: "#main", html: "<p>x</p>" });
    pageHistory.callDone();
    expect(journal.read()).toEqual([]);
  });
});
