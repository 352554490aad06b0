// Figure 5: DOM update cost in Chromium. The server pushes an update with `liveview.broadcast`; the page
// measures from the frame reaching JavaScript to the DOM applied (a MutationObserver's callback, which runs
// after the page's own observers). Baseline: the same HTML written with innerHTML (replace) or
// insertAdjacentHTML("beforeend") (append) in the same page, timed the same way. The morph figures send the
// same kind of update with `morph: true` over content that is already there (the 1,000 rows with every row's
// time changed; the growing list re-sent whole, as a morphing app would, instead of appended; a 200-field form
// re-rendered with new values and errors), beside replace and innerHTML with the same HTML.
import type { Browser, Page } from "playwright-core";
import { median } from "../support/stats";
import { openLiveViewPage, startPageServer } from "../support/page_server";

export interface DomFigures {
  replaceMs: number;
  replaceBaselineMs: number;
  appendsMs: number;
  appendsBaselineMs: number;
  /** The 1,000 rows again with every row's time changed: morph, replace, innerHTML (medians). */
  tableMorphMs: number;
  tableReplaceMs: number;
  tableInnerHtmlMs: number;
  /** The list grown by 10 rows 100 times, re-sent whole each time: morph and innerHTML (sums, medians of rounds). */
  growMorphMs: number;
  growInnerHtmlMs: number;
  /** A 200-field form re-rendered with new values and an error on every tenth field. */
  formMorphMs: number;
  formReplaceMs: number;
  formInnerHtmlMs: number;
}

const PAGE = `<!DOCTYPE html><html><head><script src="/static/liveview/liveview.min.js" defer></script></head>
<body data-controller="page"><table><tbody id="rows"></tbody></table><form id="form"></form></body></html>`;

/** `count` alert rows like a real table: cells, a badge, and buttons wired to handlers; `minute` shifts every row's time. */
export function alertRows(count: number, offset = 0, minute = 0): string {
  let html = "";
  for (let i = offset; i < offset + count; i++) {
    html +=
      `<tr id="alert-${i}"><td>${i}</td><td><span class="badge warning">warning</span></td>` +
      `<td>Disk usage above 90% on db-${i % 7}</td><td>2026-11-28 12:${String((i + minute) % 60).padStart(2, "0")}</td>` +
      `<td><button data-liveview-function="alert_details" data-data-id="${i}" data-action="click->page#run">Details</button>` +
      `<button data-liveview-function="delete_alert" data-data-id="${i}" data-action="click->page#run">Delete</button></td></tr>`;
  }
  return html;
}

/** A 200-field form: label, input with a value, and on every tenth field of `round` an error message. */
export function formFields(round: number): string {
  let html = "";
  for (let i = 0; i < 200; i++) {
    const error = (i + round) % 10 === 0 ? `<p class="error" id="error-${i}">Field ${i} needs another value</p>` : "";
    html +=
      `<div class="field" id="field-${i}"><label for="f-${i}">Field ${i}</label>` +
      `<input id="f-${i}" name="f${i}" value="value ${i} of round ${round}" ${error ? 'aria-invalid="true"' : ""}>${error}</div>`;
  }
  return html;
}

/**
 * Arms an observer on `selector`; `window.__applied` resolves with ms from the last frame (or from `start`) to the
 * first mutation anywhere under it (a morph may change only text deep inside).
 */
const arm = (page: Page, fromFrame: boolean, selector = "#rows") =>
  page.evaluate(
    ({ fromFrame, selector }) => {
      const el = document.querySelector(selector)!;
      const w = window as unknown as { __applied: Promise<number>; __frameAt: number; __start: number };
      w.__applied = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          observer.disconnect();
          resolve(performance.now() - (fromFrame ? w.__frameAt : w.__start));
        });
        observer.observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
      });
    },
    { fromFrame, selector },
  );

const applied = (page: Page) => page.evaluate(() => (window as unknown as { __applied: Promise<number> }).__applied);

/** Writes the HTML directly, timed like the LiveView path. */
const direct = (page: Page, html: string, append: boolean, selector = "#rows") =>
  page.evaluate(
    ({ html, append, selector }) => {
      const el = document.querySelector(selector)!;
      (window as unknown as { __start: number }).__start = performance.now();
      if (append) el.insertAdjacentHTML("beforeend", html);
      else el.innerHTML = html;
    },
    { html, append, selector },
  );

type Way = "morph" | "replace" | "innerHTML";

/** One update of `selector` to `html` the given way, timed from the frame (LiveView) or the call (innerHTML). */
async function timeOne(page: Page, server: { liveview: { broadcast(update: object): void } }, way: Way, selector: string, html: string) {
  await arm(page, way !== "innerHTML", selector);
  if (way === "innerHTML") await direct(page, html, false, selector);
  else server.liveview.broadcast({ target: selector, html, morph: way === "morph" });
  return applied(page);
}

/**
 * Medians of `iterations` updates of `selector` each way, alternating between two versions of the content so
 * every update changes something; each way starts from the same content as the others.
 */
async function compareWays(
  page: Page,
  server: { liveview: { broadcast(update: object): void } },
  selector: string,
  versions: [string, string],
  iterations: number,
): Promise<Record<Way, number>> {
  const times: Record<Way, number[]> = { morph: [], replace: [], innerHTML: [] };
  for (let i = -1; i < iterations; i++) {
    for (const way of ["morph", "replace", "innerHTML"] as const) {
      await direct(page, versions[0], false, selector);
      const ms = await timeOne(page, server, way, selector, versions[1]);
      if (i >= 0) times[way].push(ms);
    }
  }
  return { morph: median(times.morph), replace: median(times.replace), innerHTML: median(times.innerHTML) };
}

export async function measureDomUpdates(
  browser: Browser,
  opts: { iterations: number; appendRounds: number },
): Promise<DomFigures> {
  const server = await startPageServer();
  server.app.get("/", (_req, res) => res.type("html").send(PAGE));
  const context = await browser.newContext();
  try {
    const page = await openLiveViewPage(context, server.url);
    const thousand = alertRows(1000);
    const replace: number[] = [];
    const replaceBaseline: number[] = [];
    // One warm-up of each, then alternate.
    for (let i = -1; i < opts.iterations; i++) {
      await arm(page, true);
      server.liveview.broadcast({ target: "#rows", html: thousand });
      const viaLiveView = await applied(page);
      await arm(page, false);
      await direct(page, thousand, false);
      const viaInnerHtml = await applied(page);
      if (i >= 0) {
        replace.push(viaLiveView);
        replaceBaseline.push(viaInnerHtml);
      }
    }
    const appends: number[] = [];
    const appendsBaseline: number[] = [];
    const batches = Array.from({ length: 100 }, (_, i) => alertRows(10, i * 10));
    for (let round = -1; round < opts.appendRounds; round++) {
      let viaLiveView = 0;
      let viaDirect = 0;
      await page.evaluate(() => document.querySelector("#rows")!.replaceChildren());
      for (const html of batches) {
        await arm(page, true);
        server.liveview.broadcast({ target: "#rows", html, append: true });
        viaLiveView += await applied(page);
      }
      await page.evaluate(() => document.querySelector("#rows")!.replaceChildren());
      for (const html of batches) {
        await arm(page, false);
        await direct(page, html, true);
        viaDirect += await applied(page);
      }
      if (round >= 0) {
        appends.push(viaLiveView);
        appendsBaseline.push(viaDirect);
      }
    }
    const table = await compareWays(page, server, "#rows", [alertRows(1000), alertRows(1000, 0, 1)], opts.iterations);
    const form = await compareWays(page, server, "#form", [formFields(0), formFields(1)], opts.iterations);
    const growMorph: number[] = [];
    const growInnerHtml: number[] = [];
    for (let round = -1; round < opts.appendRounds; round++) {
      const sums: Record<"morph" | "innerHTML", number> = { morph: 0, innerHTML: 0 };
      for (const way of ["morph", "innerHTML"] as const) {
        await page.evaluate(() => document.querySelector("#rows")!.replaceChildren());
        let list = "";
        for (const html of batches) {
          list += html;
          sums[way] += await timeOne(page, server, way, "#rows", list);
        }
      }
      if (round >= 0) {
        growMorph.push(sums.morph);
        growInnerHtml.push(sums.innerHTML);
      }
    }
    return {
      tableMorphMs: table.morph,
      tableReplaceMs: table.replace,
      tableInnerHtmlMs: table.innerHTML,
      formMorphMs: form.morph,
      formReplaceMs: form.replace,
      formInnerHtmlMs: form.innerHTML,
      growMorphMs: median(growMorph),
      growInnerHtmlMs: median(growInnerHtml),
      replaceMs: median(replace),
      replaceBaselineMs: median(replaceBaseline),
      appendsMs: median(appends),
      appendsBaselineMs: median(appendsBaseline),
    };
  } finally {
    await context.close();
    await server.close();
  }
}
