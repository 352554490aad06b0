import { Application, Controller } from "@hotwired/stimulus";
import { connectLiveView, resetLiveView } from "../../controllers/connect_live_view";
import { LiveViewMixin, type LiveViewCallOptions } from "../../controllers/live_view_mixin";
import type { CallDetail } from "../../controllers/calls/call_lifecycle";
import type { CallAck } from "../../protocol/index";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

let application: Application;
let connection: FakeConnection;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** What the test controller's lifecycle methods were called with, in order. */
const seen: Array<[string, CallDetail]> = [];

class SaveController extends LiveViewMixin(Controller) {
  send(functionName: string, options?: LiveViewCallOptions): Promise<CallAck> {
    return this.call(functionName, options);
  }
  override beforeCall(detail: CallDetail) {
    seen.push(["beforeCall", detail]);
  }
  override callSuccess(detail: CallDetail) {
    seen.push(["callSuccess", detail]);
  }
  override callFailure(detail: CallDetail) {
    seen.push(["callFailure", detail]);
  }
  override afterCall(detail: CallDetail) {
    seen.push(["afterCall", detail]);
  }
}

/** A controller of the mixin that defines none of the lifecycle methods. */
class PlainController extends LiveViewMixin(Controller) {
  send(functionName: string): Promise<CallAck> {
    return this.call(functionName);
  }
}

async function mount(html: string): Promise<void> {
  document.body.innerHTML = html;
  await settle();
}

function controllerOf<T>(selector: string, identifier: string): T {
  return application.getControllerForElementAndIdentifier(document.querySelector(selector)!, identifier) as T;
}

beforeEach(() => {
  seen.length = 0;
  const fake = fakeFactory();
  connectLiveView({}, fake.factory);
  connection = fake.get();
  application = Application.start();
  application.register("save", SaveController);
  application.register("plain", PlainController);
});

afterEach(() => {
  application.stop();
  resetLiveView();
  document.body.innerHTML = "";
});

describe("this.call", () => {
  it("sends the element's data-data-*, its form and its params for the controller's identifier, and resolves with the ack", async () => {
    await mount(`<form data-controller="save" data-data-list-id="4" data-save-id-param="3" data-page-other-param="x">
      <input name="title" value="Milk"></form>`);
    const ack = await controllerOf<SaveController>("form", "save").send("save_todo");
    expect(ack).toEqual({ ok: true });
    expect(connection.calls).toHaveLength(1);
    expect(connection.calls[0]).toMatchObject({ function: "save_todo", data: { listId: "4" }, form: { title: "Milk" }, params: { id: 3 } });
  });

  it("lets the values it is given win over the element's, and reads another element when told", async () => {
    await mount(`<div data-controller="save" data-data-a="1">
      <div><input name="q" value="typed"><span id="other" data-data-b="2" data-save-n-param="5"></span></div></div>`);
    const save = controllerOf<SaveController>("[data-controller=save]", "save");
    await save.send("f", { data: { a: "9" }, form: { extra: "e" }, params: { m: true } });
    await save.send("g", { element: document.getElementById("other")!, params: { n: 6 } });
    expect(connection.calls[0]).toMatchObject({ data: { a: "9" }, form: { extra: "e" }, params: { m: true } });
    expect(connection.calls[1]).toMatchObject({ function: "g", data: { b: "2" }, form: { q: "typed" }, params: { n: 6 } });
  });

  it("calls beforeCall, then callSuccess and afterCall with the ack, each with the call's detail", async () => {
    await mount(`<button data-controller="save">Save</button>`);
    const button = document.querySelector("button")!;
    await controllerOf<SaveController>("button", "save").send("save_todo");
    const id = connection.calls[0].id;
    expect(seen.map(([name]) => name)).toEqual(["beforeCall", "callSuccess", "afterCall"]);
    expect(seen[0][1]).toEqual({ functionName: "save_todo", id, element: button });
    expect(seen[1][1]).toEqual({ functionName: "save_todo", id, element: button, ack: { ok: true } });
    expect(seen[2][1]).toBe(seen[1][1]);
  });

  it("calls callFailure instead of callSuccess when the ack is not ok", async () => {
    await mount(`<button data-controller="save">Save</button>`);
    connection.ack = { ok: false, error: "Handler error: boom" };
    const ack = await controllerOf<SaveController>("button", "save").send("save_todo");
    expect(ack).toEqual({ ok: false, error: "Handler error: boom" });
    expect(seen.map(([name]) => name)).toEqual(["beforeCall", "callFailure", "afterCall"]);
    expect(seen[1][1].ack).toEqual(ack);
  });

  it("works for a controller that defines no lifecycle method", async () => {
    await mount(`<button data-controller="plain" data-data-x="1">Go</button>`);
    await expect(controllerOf<PlainController>("button", "plain").send("ping")).resolves.toEqual({ ok: true });
    expect(connection.calls[0]).toMatchObject({ function: "ping", data: { x: "1" } });
  });

  it("is not made when a liveview:before-call listener cancels it, and resolves with code cancelled", async () => {
    await mount(`<div id="outer"><button data-controller="save">Save</button></div>`);
    const events: string[] = [];
    for (const name of ["liveview:success", "liveview:failure", "liveview:after-call"]) {
      document.addEventListener(name, () => events.push(name));
    }
    document.getElementById("outer")!.addEventListener("liveview:before-call", (event) => event.preventDefault(), { once: true });
    const ack = await controllerOf<SaveController>("button", "save").send("save_todo");
    expect(ack).toEqual({ ok: false, error: "Cancelled: save_todo", code: "cancelled" });
    expect(connection.calls).toHaveLength(0);
    expect(seen).toEqual([]);
    expect(events).toEqual([]);
    expect(document.querySelector("button")!.hasAttribute("aria-busy")).toBe(false);
  });

  it("goes on with the call when a lifecycle method throws", async () => {
    await mount(`<button data-controller="save">Save</button>`);
    const save = controllerOf<SaveController>("button", "save");
    save.beforeCall = () => {
      throw new Error("a bug in the app's controller");
    };
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      errors.push(event.error);
      event.preventDefault();
    };
    window.addEventListener("error", onError);
    try {
      await expect(save.send("save_todo")).resolves.toEqual({ ok: true });
      await settle();
    } finally {
      window.removeEventListener("error", onError);
    }
    expect(connection.calls).toHaveLength(1);
    expect(seen.map(([name]) => name)).toEqual(["callSuccess", "afterCall"]);
    expect(errors).toEqual([expect.objectContaining({ message: "a bug in the app's controller" })]);
  });
});
