import { Application } from "@hotwired/stimulus";
import { connectLiveView, resetLiveView } from "../../controllers/connect_live_view";
import { PageController } from "../../controllers/page_controller";
import type { CallDetail } from "../../controllers/calls/call_lifecycle";
import { DOM_EVENTS } from "../../protocol/index";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

let application: Application;
let connection: FakeConnection;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const LIFECYCLE = [DOM_EVENTS.beforeCall, DOM_EVENTS.success, DOM_EVENTS.failure, DOM_EVENTS.afterCall];

interface Heard {
  type: string;
  detail: CallDetail;
  target: EventTarget | null;
  bubbles: boolean;
  cancelable: boolean;
  /** What #out held when the event fired. */
  out: string | undefined;
}

const removals: Array<() => void> = [];

/** Every lifecycle event that reaches `document` during the test, with what the page held at that moment. */
function listen(): Heard[] {
  const heard: Heard[] = [];
  const listener = (event: Event) => {
    const { detail } = event as CustomEvent<CallDetail>;
    const out = document.getElementById("out")?.innerHTML;
    heard.push({ type: event.type, detail, target: event.target, bubbles: event.bubbles, cancelable: event.cancelable, out });
  };
  for (const type of LIFECYCLE) {
    document.addEventListener(type, listener);
    removals.push(() => document.removeEventListener(type, listener));
  }
  return heard;
}

async function mount(html: string): Promise<void> {
  document.body.innerHTML = html;
  await settle();
}

/** A click, then the acks and the promise callbacks after them. */
async function click(selector: string): Promise<void> {
  document.querySelector<HTMLElement>(selector)!.click();
  await settle();
}

beforeEach(() => {
  document.body.setAttribute("data-controller", "page");
  const fake = fakeFactory();
  connectLiveView({}, fake.factory);
  connection = fake.get();
  application = Application.start();
  application.register("page", PageController);
});

afterEach(async () => {
  for (const remove of removals.splice(0)) remove();
  // Disconnects the page controllers (Application.stop alone leaves their behaviours observing the body).
  document.body.removeAttribute("data-controller");
  document.body.innerHTML = "";
  await settle();
  application.stop();
  resetLiveView();
  document.body.innerHTML = "";
});

it("dispatches before-call, success and after-call on the element that page#run called from, bubbling, with the call's detail", async () => {
  const heard = listen();
  await mount(`<button id="go" data-liveview-function="say_hello" data-action="click->page#run">Go</button>`);
  await click("#go");
  const button = document.getElementById("go")!;
  const id = connection.calls[0].id;
  expect(heard.map((event) => event.type)).toEqual(["liveview:before-call", "liveview:success", "liveview:after-call"]);
  expect(heard.every((event) => event.target === button && event.bubbles)).toBe(true);
  expect(heard.map((event) => event.cancelable)).toEqual([true, false, false]);
  expect(heard[0].detail).toEqual({ functionName: "say_hello", id, element: button });
  expect(heard[1].detail).toEqual({ functionName: "say_hello", id, element: button, ack: { ok: true } });
});

it("dispatches failure instead of success when the ack is not ok", async () => {
  const heard = listen();
  connection.ack = { ok: false, error: "Unknown function: nope" };
  await mount(`<button id="go" data-liveview-function="nope" data-action="click->page#run">Go</button>`);
  await click("#go");
  expect(heard.map((event) => event.type)).toEqual(["liveview:before-call", "liveview:failure", "liveview:after-call"]);
  expect(heard[1].detail.ack).toEqual({ ok: false, error: "Unknown function: nope" });
});

it("sends nothing when a before-call listener calls preventDefault(), and nothing else fires", async () => {
  const heard = listen();
  document.addEventListener(DOM_EVENTS.beforeCall, (event) => event.preventDefault(), { once: true });
  await mount(`<button id="go" data-liveview-function="say_hello" data-liveview-optimistic='[{"op":"add-class","value":"done"}]' data-action="click->page#run">Go</button>`);
  await click("#go");
  expect(connection.calls).toHaveLength(0);
  expect(heard.map((event) => event.type)).toEqual(["liveview:before-call"]);
  expect(document.getElementById("go")!.classList.contains("done")).toBe(false);
  // The next click is not cancelled.
  await click("#go");
  expect(connection.calls).toHaveLength(1);
});

it("fires success after the updates the call's element was waiting for are in the page", async () => {
  const heard = listen();
  connection.holdAcks = true;
  await mount(`<div id="out" data-liveview-function="refresh" data-action="click->page#run">old</div>`);
  await click("#out");
  // The update for the element arrives before the ack: the in-flight lock holds it until the ack.
  connection.events.update({ target: "#out", html: "new" });
  expect(document.getElementById("out")!.innerHTML).toBe("old");
  connection.release();
  await settle();
  expect(heard.find((event) => event.type === "liveview:success")?.out).toBe("new");
});

it("dispatches the after-events on the document when the update removed the element", async () => {
  const heard = listen();
  connection.holdAcks = true;
  await mount(`<ul id="list"><li id="row"><button id="del" data-liveview-function="delete" data-action="click->page#run">x</button></li></ul>`);
  const button = document.getElementById("del")!;
  await click("#del");
  connection.events.update({ target: "#row", remove: true });
  connection.release();
  await settle();
  expect(heard.map((event) => [event.type, event.target === button ? "button" : event.target === document ? "document" : "?"])).toEqual([
    ["liveview:before-call", "button"],
    ["liveview:success", "document"],
    ["liveview:after-call", "document"],
  ]);
  expect(heard[1].detail.element).toBe(button);
});

it("calls the lifecycle methods of a PageController subclass for its page#run calls", async () => {
  const seen: string[] = [];
  class TrackedPage extends PageController {
    override beforeCall(detail: CallDetail) {
      seen.push(`before ${detail.functionName}`);
    }
    override afterCall(detail: CallDetail) {
      seen.push(`after ${detail.functionName} ${String(detail.ack?.ok)}`);
    }
  }
  application.register("tracked", TrackedPage);
  await mount(`<div data-controller="tracked"><button id="go" data-liveview-function="save" data-action="click->tracked#run">Go</button></div>`);
  await click("#go");
  expect(seen).toEqual(["before save", "after save true"]);
});

it("dispatches the events for calls of the interaction attributes too (data-liveview-init)", async () => {
  const heard = listen();
  await mount(`<div id="box" data-liveview-init="load_box"></div>`);
  await settle();
  expect(connection.calls.map((call) => call.function)).toEqual(["load_box"]);
  expect(heard.map((event) => event.type)).toEqual(["liveview:before-call", "liveview:success", "liveview:after-call"]);
  expect(heard[0].target).toBe(document.getElementById("box"));
});
