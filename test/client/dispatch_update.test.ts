import { createLogger } from "../../controllers/debug.js";
import { applyUpdate } from "../../controllers/dom/apply_update.js";
import type { Update } from "../../protocol/index.js";

interface Heard {
  type: string;
  detail: unknown;
  target: EventTarget | null;
  bubbles: boolean;
  /** What #stats held when the event fired. */
  stats: string | undefined;
}

const log = createLogger(false);
let heard: Heard[];
const listener = (event: Event) =>
  heard.push({
    type: event.type,
    detail: (event as CustomEvent).detail,
    target: event.target,
    bubbles: event.bubbles,
    stats: document.getElementById("stats")?.innerHTML,
  });

beforeEach(() => {
  heard = [];
  window.addEventListener("chart:update", listener);
  document.body.innerHTML = `<section id="card"><div id="stats">old</div></section>`;
});

afterEach(() => window.removeEventListener("chart:update", listener));

const apply = (update: Update) => applyUpdate(update, { doc: document, log });

it("dispatches a bubbling CustomEvent with the update's detail on its target, after the HTML is in", () => {
  apply({ target: "#stats", html: "<b>42</b>", dispatch: "chart:update", detail: { values: [1, 2, 3] } });
  expect(heard).toEqual([
    { type: "chart:update", detail: { values: [1, 2, 3] }, target: document.getElementById("stats"), bubbles: true, stats: "<b>42</b>" },
  ]);
});

it("dispatches on window when the update has no target", () => {
  apply({ dispatch: "chart:update", detail: 7 });
  expect(heard).toEqual([{ type: "chart:update", detail: 7, target: window, bubbles: true, stats: "old" }]);
});

it("dispatches on window when the target is missing or the update removed it", () => {
  apply({ target: "#nowhere", html: "x", dispatch: "chart:update" });
  apply({ target: "#stats", remove: true, dispatch: "chart:update" });
  expect(heard.map((event) => event.target)).toEqual([window, window]);
  expect(heard[0].detail).toBeNull();
});

it("dispatches on the element an outer update put in the target's place", () => {
  apply({ target: "#stats", outer: true, html: `<div id="stats" class="new">n</div>`, dispatch: "chart:update" });
  expect(heard[0].target).toBe(document.querySelector("#stats.new"));
});

it("comes after the update's commands and script, so listeners see the page as the update left it", () => {
  const order: string[] = [];
  window.addEventListener("chart:update", () => order.push(`event, title ${document.title}`), { once: true });
  const runCode = (code: string) => void order.push(`script ${code}`);
  applyUpdate(
    { title: "T", script: "s()", dispatch: "chart:update", commands: [{ op: "add-class", target: "#card", value: "hot" }] },
    { doc: document, log, scripts: { runScripts: () => {}, runCode } },
  );
  expect(order).toEqual(["script s()", "event, title T"]);
  expect(document.getElementById("card")!.classList.contains("hot")).toBe(true);
});

it("dispatches nothing for an update without dispatch, or with an empty name", () => {
  const seen: string[] = [];
  const any = (event: Event) => seen.push(event.type);
  document.addEventListener("liveview:update", any);
  window.addEventListener("", any);
  try {
    apply({ target: "#stats", html: "new" });
    apply({ target: "#stats", html: "new", dispatch: "" });
  } finally {
    document.removeEventListener("liveview:update", any);
    window.removeEventListener("", any);
  }
  expect(seen).toEqual(["liveview:update", "liveview:update"]);
  expect(heard).toEqual([]);
});
