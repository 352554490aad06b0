// Figure 5: DOM update cost in Chromium. The server pushes an update with `liveview.broadcast`; the page
// measures from the frame reaching JavaScript to the DOM applied (a MutationObserver's callback, which runs
// after the page's own observers). Baseline: the same HTML written with innerHTML (replace) or
// insertAdjacentHTML("beforeend") (append) in the same page, timed the same way.
import type { Browser, Page } from "playwright-core";
import { median } from "../support/stats";
import { openLiveViewPage, startPageServer } from "../support/page_server";

export interface DomFigures {
  replaceMs: number;
  replaceBaselineMs: number;
  appendsMs: number;
  appendsBaselineMs: number;
}

const PAGE = `<!DOCTYPE html><html><head><script src="/static/liveview/liveview.min.js" defer></script></head>
<body data-controller="page"><table><tbody id="rows"></tbody></table></body></html>`;

/** `count` alert rows like a real table: cells, a badge, and buttons wired to handlers. */
export function alertRows(count: number, offset = 0): string {
  let html = "";
  for (let i = offset; i < offset + count; i++) {
    html +=
      `<tr id="alert-${i}"><td>${i}</td><td><span class="badge warning">warning</span></td>` +
      `<td>Disk usage above 90% on db-${i % 7}</td><td>2026-11-28 12:${String(i % 60).padStart(2, "0")}</td>` +
      `<td><button data-liveview-function="alert_details" data-data-id="${i}" data-action="click->page#run">Details</button>` +
      `<button data-liveview-function="delete_alert" data-data-id="${i}" data-action="click->page#run">Delete</button></td></tr>`;
  }
  return html;
}

/** Arms an observer on #rows; `window.__applied` resolves with ms from the last frame (or from `start`) to the mutation. */
const arm = (page: Page, fromFrame: boolean) =>
  page.evaluate((fromFrame) => {
    const rows = document.querySelector("#rows")!;
    const w = window as unknown as { __applied: Promise<number>; __frameAt: number; __start: number };
    w.__applied = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        observer.disconnect();
        resolve(performance.now() - (fromFrame ? w.__frameAt : w.__start));
      });
      observer.observe(rows, { childList: true });
    });
  }, fromFrame);

const applied = (page: Page) => page.evaluate(() => (window as unknown as { __applied: Promise<number> }).__applied);

/** Writes the HTML directly, timed like the LiveView path. */
const direct = (page: Page, html: string, append: boolean) =>
  page.evaluate(
    ({ html, append }) => {
      const rows = document.querySelector("#rows")!;
      (window as unknown as { __start: number }).__start = performance.now();
      if (append) rows.insertAdjacentHTML("beforeend", html);
      else rows.innerHTML = html;
    },
    { html, append },
  );

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
    return {
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
