import { Controller } from "@hotwired/stimulus";
import { ATTRIBUTES } from "../protocol/index.js";
import { PageBehaviours } from "./behaviours/page_behaviours.js";
import { readMs } from "./behaviours/timing.js";
import { getLiveViewClient } from "./connect_live_view.js";
import { preventsDefault } from "./dom/run_defaults.js";


/**
 * The `page` controller: `data-action="click->page#run"` calls the handler named by the element's
 * `data-liveview-function`, with its `data-data-*` attributes and form values. `page#stop` stops
 * the event from reaching outer elements. It also wires the interaction attributes
 * (`data-liveview-intersect-*`, `-focus`, `-init`, `-keyboard-map`, `-debounce`, `-throttle`, `-poll`) of the
 * elements inside it, now and as updates bring them. A call's `data-liveview-optimistic` commands apply when it is
 * made (see LiveViewClient.callFrom).
 *
 * ```html
 * <body data-controller="page">
 *   <button data-liveview-function="increment" data-data-step="2" data-action="click->page#run">+2</button>
 * </body>
 * ```
 */
export class PageController extends Controller {
  private behaviours: PageBehaviours | null = null;
  private removeStats: (() => void) | null = null;

  override connect(): void {
    const client = getLiveViewClient();
    this.behaviours = new PageBehaviours(this.element, client.callFrom, client.log);
    this.removeStats = client.addStatsSource(() => this.behaviours!.stats());
    this.behaviours.start();
  }

  override disconnect(): void {
    this.behaviours?.stop();
    this.removeStats?.();
    this.behaviours = null;
    this.removeStats = null;
  }

  run(event: Event): void {
    const el = event.currentTarget instanceof Element ? event.currentTarget : this.element;
    if (preventsDefault(event.type, el)) event.preventDefault();
    const client = getLiveViewClient();
    const name = el.getAttribute(ATTRIBUTES.function);
    if (!name) {
      client.log.debug(`${ATTRIBUTES.function} is missing on`, el);
      return;
    }
    const send = () => void client.callFrom(el, name);
    const timing = this.behaviours?.timing;
    const debounce = readMs(el, ATTRIBUTES.debounce);
    const throttle = readMs(el, ATTRIBUTES.throttle);
    if (timing && debounce !== null) timing.debounce(el, debounce, send);
    else if (timing && throttle !== null) timing.throttle(el, throttle, send);
    else send();
  }

  stop(event: Event): void {
    event.stopPropagation();
  }
}
