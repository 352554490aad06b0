import { PageBehaviours } from "../../controllers/behaviours/page_behaviours";
import { createLogger } from "../../controllers/debug";

/** A stand-in for the browser's IntersectionObserver that tests drive by hand. */
class FakeIntersectionObserver {
  static instances: FakeIntersectionObserver[] = [];
  readonly elements = new Set<Element>();
  disconnected = false;
  constructor(
    private readonly callback: IntersectionObserverCallback,
    readonly options: IntersectionObserverInit = {},
  ) {
    FakeIntersectionObserver.instances.push(this);
  }
  observe(el: Element) {
    this.elements.add(el);
  }
  unobserve(el: Element) {
    this.elements.delete(el);
  }
  disconnect() {
    this.disconnected = true;
    this.elements.clear();
  }
  /** Reports the element as in or out of view. */
  emit(el: Element, isIntersecting: boolean) {
    this.callback([{ target: el, isIntersecting } as IntersectionObserverEntry], this as unknown as IntersectionObserver);
  }
  static watching(el: Element) {
    return FakeIntersectionObserver.instances.find((o) => o.elements.has(el))!;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
let calls: Array<{ name: string; el: Element }>;
let behaviours: PageBehaviours;

beforeAll(() => {
  (window as unknown as { IntersectionObserver: unknown }).IntersectionObserver = FakeIntersectionObserver;
});

async function start(html: string): Promise<void> {
  document.body.innerHTML = html;
  calls = [];
  behaviours = new PageBehaviours(document.body, (el, name) => (calls.push({ el, name }), Promise.resolve()), createLogger(false));
  behaviours.start();
  await settle();
}

afterEach(() => {
  behaviours.stop();
  FakeIntersectionObserver.instances = [];
  document.body.innerHTML = "";
});

describe("data-liveview-init", () => {
  it("calls the function once for elements present at load and once for each that arrives later", async () => {
    await start(`<div id="a" data-liveview-init="init_counter" data-data-counter-id="1"></div><div id="list"></div>`);
    expect(calls.map((c) => c.name)).toEqual(["init_counter"]);
    document.querySelector("#list")!.innerHTML = `<div data-liveview-init="init_row"></div><div data-liveview-init="init_row"></div>`;
    await settle();
    expect(calls.map((c) => c.name)).toEqual(["init_counter", "init_row", "init_row"]);
  });

  it("never calls twice for the same element, even when it is moved", async () => {
    await start(`<div id="a" data-liveview-init="once"></div><div id="b"></div>`);
    document.querySelector("#b")!.append(document.querySelector("#a")!);
    await settle();
    document.body.append(document.querySelector("#a")!);
    await settle();
    expect(calls).toHaveLength(1);
  });
});

describe("data-liveview-focus", () => {
  it("focuses the first focusable element on load, skipping disabled ones", async () => {
    await start(`<input id="off" disabled data-liveview-focus="true"><input id="on" data-liveview-focus="true">`);
    expect(document.activeElement?.id).toBe("on");
  });

  it("focuses the field an update brings", async () => {
    await start(`<div id="editor"></div>`);
    document.querySelector("#editor")!.innerHTML = `<input id="title" data-liveview-focus="true">`;
    await settle();
    expect(document.activeElement?.id).toBe("title");
  });
});

describe("data-liveview-intersect-*", () => {
  it("calls appear when the element enters the viewport and disappear when it leaves after being seen", async () => {
    await start(`<div id="t" data-liveview-intersect-appear="shown" data-liveview-intersect-disappear="hidden"></div>`);
    const el = document.querySelector("#t")!;
    const observer = FakeIntersectionObserver.watching(el);
    observer.emit(el, false);
    expect(calls).toEqual([]);
    observer.emit(el, true);
    observer.emit(el, true);
    observer.emit(el, false);
    expect(calls.map((c) => c.name)).toEqual(["shown", "hidden"]);
  });

  it("turns the threshold into a root margin", async () => {
    await start(`<div id="t" data-liveview-intersect-appear="load_more" data-liveview-intersect-threshold="200"></div>`);
    expect(FakeIntersectionObserver.watching(document.querySelector("#t")!).options.rootMargin).toBe("200px");
  });

  it("does not call again while the previous call is still pending", async () => {
    document.body.innerHTML = `<div id="t" data-liveview-intersect-appear="load_more"></div>`;
    let finish!: () => void;
    const names: string[] = [];
    behaviours = new PageBehaviours(
      document.body,
      (_el, name) => (names.push(name), new Promise<void>((resolve) => (finish = resolve))),
      createLogger(false),
    );
    behaviours.start();
    const el = document.querySelector("#t")!;
    const observer = FakeIntersectionObserver.watching(el);
    observer.emit(el, true);
    observer.emit(el, false);
    observer.emit(el, true);
    expect(names).toEqual(["load_more"]);
    finish();
    await settle();
    observer.emit(el, false);
    observer.emit(el, true);
    expect(names).toEqual(["load_more", "load_more"]);
  });
});

describe("data-liveview-keyboard-map", () => {
  const press = (target: Element, key: string, init: KeyboardEventInit = {}) => {
    const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(event);
    return event;
  };

  it("calls the mapped function, prevents the default, and lets unmapped keys pass", async () => {
    await start(`<div id="panel" data-liveview-keyboard-map='{"ctrl+s":"save","esc":"close"}'><span id="inner"></span></div>`);
    const inner = document.querySelector("#inner")!;
    expect(press(inner, "s", { ctrlKey: true, code: "KeyS" }).defaultPrevented).toBe(true);
    expect(press(inner, "Escape").defaultPrevented).toBe(true);
    expect(press(inner, "x").defaultPrevented).toBe(false);
    expect(calls.map((c) => c.name)).toEqual(["save", "close"]);
    expect(calls[0].el.id).toBe("panel");
  });

  it("makes an element that cannot take focus focusable", async () => {
    await start(`<div id="panel" data-liveview-keyboard-map='{"esc":"close"}'></div>`);
    expect(document.querySelector("#panel")!.getAttribute("tabindex")).toBe("0");
  });

  it("works page-wide from <body>", async () => {
    document.body.setAttribute("data-liveview-keyboard-map", '{"n":"new_item"}');
    await start(`<p id="p">text</p>`);
    press(document.body, "n");
    expect(calls.map((c) => c.name)).toEqual(["new_item"]);
    document.body.removeAttribute("data-liveview-keyboard-map");
  });

  it("lets a plain key be typed in a field instead of firing an outer map", async () => {
    await start(`<div data-liveview-keyboard-map='{"n":"new_item","esc":"cancel"}'><input id="field"></div>`);
    const field = document.querySelector("#field")!;
    expect(press(field, "n").defaultPrevented).toBe(false);
    press(field, "Escape");
    expect(calls.map((c) => c.name)).toEqual(["cancel"]);
  });

  it("ignores invalid JSON", async () => {
    await start(`<div id="bad" data-liveview-keyboard-map='{not json'></div>`);
    expect(press(document.querySelector("#bad")!, "Escape").defaultPrevented).toBe(false);
    expect(behaviours.stats().keyboardMaps).toBe(0);
  });
});

describe("elements that leave", () => {
  it("releases observers, maps, listeners and timers after 1,000 replace cycles", async () => {
    await start(`<div id="box"></div>`);
    const box = document.querySelector("#box")!;
    for (let i = 0; i < 1000; i++) {
      box.innerHTML = `<div data-liveview-intersect-appear="a" data-liveview-intersect-threshold="${i % 3}"></div>
        <div data-liveview-keyboard-map='{"esc":"close"}'></div>
        <input data-liveview-debounce="500" data-liveview-function="search">`;
      behaviours.timing.debounce(box.querySelector("input")!, 500, () => undefined);
      await settle();
    }
    expect(behaviours.stats()).toEqual({
      intersectionObservers: 1,
      observedElements: 1,
      keyboardMaps: 1,
      keydownListeners: 1,
      timers: 1,
    });
    box.innerHTML = "";
    await settle();
    expect(behaviours.stats()).toEqual({
      intersectionObservers: 0,
      observedElements: 0,
      keyboardMaps: 0,
      keydownListeners: 0,
      timers: 0,
    });
    expect(FakeIntersectionObserver.instances.every((o) => o.elements.size === 0)).toBe(true);
  });
});
