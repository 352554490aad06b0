import { Controller } from "@hotwired/stimulus";
import { ATTRIBUTES } from "../protocol/index.js";
import { getLiveViewClient } from "./connect_live_view.js";
import { collectData, collectForm } from "./dom/collect_payload.js";

/** Clicks on these navigate or submit: `run` prevents that. Checkboxes and radios still toggle. */
function shouldPreventDefault(event: Event, el: Element): boolean {
  if (event.type === "submit") return true;
  if (event.type !== "click") return false;
  if (el.closest("a[href]")) return true;
  if (el instanceof HTMLButtonElement) return true;
  return el instanceof HTMLInputElement && ["submit", "image", "reset", "button"].includes(el.type);
}

/**
 * The `page` controller: `data-action="click->page#run"` calls the handler named by the element's
 * `data-liveview-function`, with its `data-data-*` attributes and form values. `page#stop` stops
 * the event from reaching outer elements.
 *
 * ```html
 * <body data-controller="page">
 *   <button data-liveview-function="increment" data-data-step="2" data-action="click->page#run">+2</button>
 * </body>
 * ```
 */
export class PageController extends Controller {
  override connect(): void {
    getLiveViewClient();
  }

  run(event: Event): void {
    const el = event.currentTarget instanceof Element ? event.currentTarget : this.element;
    if (shouldPreventDefault(event, el)) event.preventDefault();
    const client = getLiveViewClient();
    const name = el.getAttribute(ATTRIBUTES.function);
    if (!name) {
      client.log.debug(`${ATTRIBUTES.function} is missing on`, el);
      return;
    }
    void client.call(client.message(name, collectData(el), collectForm(el)));
  }

  stop(event: Event): void {
    event.stopPropagation();
  }
}
