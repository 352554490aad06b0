import { Application } from "@hotwired/stimulus";
import { connectLiveView, resetLiveView } from "../../controllers/connect_live_view";
import { PageController } from "../../controllers/page_controller";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

let application: Application;
let connection: FakeConnection;

/** Lets Stimulus connect controllers and wire actions (it reacts to mutations asynchronously). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function mount(html: string): Promise<void> {
  document.body.innerHTML = html;
  await settle();
}

beforeEach(async () => {
  document.documentElement.lang = "en";
  document.documentElement.setAttribute("data-room", "room-1");
  document.body.setAttribute("data-controller", "page");
  const fake = fakeFactory();
  connectLiveView({}, fake.factory);
  connection = fake.get();
  application = Application.start();
  application.register("page", PageController);
});

afterEach(() => {
  application.stop();
  resetLiveView();
  document.body.innerHTML = "";
});

describe("page#run", () => {
  it("calls the function named by data-liveview-function with data, form, lang and room", async () => {
    await mount(`<div><input name="name" value="Ada">
      <button data-liveview-function="say_hello" data-data-modal-id="3" data-action="click->page#run">Go</button></div>`);
    document.querySelector("button")!.click();
    expect(connection.calls).toHaveLength(1);
    const [call] = connection.calls;
    expect(call).toMatchObject({ function: "say_hello", data: { modalId: "3" }, form: { name: "Ada" }, lang: "en", room: "room-1" });
    expect(typeof call.id).toBe("string");
    expect(call.id.length).toBeGreaterThan(0);
  });

  it("gives every call a different id", async () => {
    await mount(`<button data-liveview-function="f" data-action="click->page#run">Go</button>`);
    const button = document.querySelector("button")!;
    button.click();
    button.click();
    expect(new Set(connection.calls.map((call) => call.id)).size).toBe(2);
  });

  it("prevents a form submission and sends the form's values", async () => {
    await mount(`<form data-liveview-function="save" data-action="submit->page#run"><input name="title" value="T"></form>`);
    const event = new Event("submit", { bubbles: true, cancelable: true });
    document.querySelector("form")!.dispatchEvent(event);
    expect(event.defaultPrevented).toBe(true);
    expect(connection.calls[0]).toMatchObject({ function: "save", form: { title: "T" } });
  });

  it("sends the button that submitted the form with the form's values, as a browser's submit does", async () => {
    await mount(`<form data-liveview-function="save" data-action="submit->page#run"><input name="title" value="T">
      <button id="draft" name="intent" value="draft">Draft</button><button id="publish" name="intent" value="publish">Publish</button></form>`);
    (document.querySelector("form") as HTMLFormElement).requestSubmit(document.getElementById("publish") as HTMLButtonElement);
    document.getElementById("draft")!.click();
    expect(connection.calls.map((call) => call.form)).toEqual([{ title: "T", intent: "publish" }, { title: "T", intent: "draft" }]);
  });

  it("sends a clicked submit button's name and value when the click runs page#run", async () => {
    await mount(`<form><input name="title" value="T">
      <button name="intent" value="archive" data-liveview-function="save" data-action="click->page#run">Archive</button></form>`);
    document.querySelector("button")!.click();
    expect(connection.calls[0]).toMatchObject({ function: "save", form: { title: "T", intent: "archive" } });
  });

  it("prevents link navigation but lets a checkbox toggle", async () => {
    await mount(`<a href="/away" data-liveview-function="go" data-action="click->page#run">away</a>
      <input type="checkbox" name="done" data-liveview-function="toggle" data-action="click->page#run">`);
    const click = new MouseEvent("click", { bubbles: true, cancelable: true });
    document.querySelector("a")!.dispatchEvent(click);
    expect(click.defaultPrevented).toBe(true);
    const box = document.querySelector<HTMLInputElement>("input")!;
    box.click();
    expect(box.checked).toBe(true);
    expect(connection.calls[1]).toMatchObject({ function: "toggle", form: { done: true } });
  });

  it("does nothing but a debug message when data-liveview-function is missing", async () => {
    const spies = (["log", "info", "debug", "warn", "error"] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation(() => {}),
    );
    const [debugSpy, others] = [spies[2], spies.filter((_, i) => i !== 2)];
    try {
      // Not debugging: no call, and nothing on the console (a throw would reach console.error through Stimulus).
      await mount(`<button data-action="click->page#run">Go</button>`);
      document.querySelector("button")!.click();
      expect(connection.calls).toHaveLength(0);
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();

      // Debugging: the same click writes exactly one debug line that says what is missing, and still calls nothing.
      resetLiveView();
      const fake = fakeFactory();
      connectLiveView({ debug: true }, fake.factory);
      spies.forEach((spy) => spy.mockClear());
      document.querySelector("button")!.click();
      expect(fake.get().calls).toHaveLength(0);
      expect(debugSpy.mock.calls).toEqual([["[liveview]", "data-liveview-function is missing on", document.querySelector("button")]]);
      for (const spy of others) expect(spy).not.toHaveBeenCalled();
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });
});

describe("page#stop", () => {
  it("keeps the event from reaching an outer run", async () => {
    await mount(`<div data-liveview-function="outer" data-action="click->page#run">
      <button data-liveview-function="inner" data-action="click->page#run click->page#stop">in</button></div>`);
    document.querySelector("button")!.click();
    expect(connection.calls.map((call) => call.function)).toEqual(["inner"]);
  });
});

describe("updates and connection", () => {
  it("applies updates pushed by the connection", async () => {
    await mount(`<div id="out"></div>`);
    connection.events.update({ target: "#out", html: "<b>hi</b>" });
    expect(document.querySelector("#out")!.innerHTML).toBe("<b>hi</b>");
  });

  it("shows #no-connection while disconnected and hides it when connected", async () => {
    await mount(`<div id="no-connection" class="no-connection--hide"></div>`);
    const banner = document.getElementById("no-connection")!;
    connection.disconnect();
    expect(banner.classList.contains("no-connection--show")).toBe(true);
    expect(banner.classList.contains("no-connection--hide")).toBe(false);
    connection.connect();
    expect(banner.classList.contains("no-connection--show")).toBe(false);
    expect(banner.classList.contains("no-connection--hide")).toBe(true);
  });

  it("exposes window.LiveView with sendData and the status", async () => {
    expect(window.LiveView?.getConnectionStatus()).toBe("connected");
    await expect(window.LiveView!.sendData("ping", { a: "1" })).resolves.toEqual({ ok: true });
    expect(connection.calls[0]).toMatchObject({ function: "ping", data: { a: "1" }, form: {} });
  });

  it("returns the same API from a second connectLiveView", () => {
    expect(connectLiveView()).toBe(window.LiveView);
  });
});
