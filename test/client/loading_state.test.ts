import { trackLoading } from "../../controllers/behaviours/loading_state";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe("loading state while a call is pending", () => {
  it("sets aria-busy and liveview-loading until the ack arrives", async () => {
    const button = document.createElement("button");
    const ack = deferred<string>();
    const tracked = trackLoading(button, ack.promise);
    expect(button.getAttribute("aria-busy")).toBe("true");
    expect(button.classList.contains("liveview-loading")).toBe(true);
    ack.resolve("ok");
    await tracked;
    expect(button.hasAttribute("aria-busy")).toBe(false);
    expect(button.classList.contains("liveview-loading")).toBe(false);
  });

  it("disables a data-liveview-disable element and re-enables it when the call fails", async () => {
    const button = document.createElement("button");
    button.setAttribute("data-liveview-disable", "");
    const ack = deferred<string>();
    const tracked = trackLoading(button, ack.promise);
    expect(button.disabled).toBe(true);
    ack.reject(new Error("lost"));
    await expect(tracked).rejects.toThrow("lost");
    expect(button.disabled).toBe(false);
  });

  it("disables a form's submit buttons but leaves one that was already disabled alone", async () => {
    const form = document.createElement("form");
    form.setAttribute("data-liveview-disable", "");
    form.innerHTML = `<input name="a"><button id="go">Go</button><button id="off" disabled>Off</button>`;
    const ack = deferred<void>();
    const tracked = trackLoading(form, ack.promise);
    expect(form.querySelector<HTMLButtonElement>("#go")!.disabled).toBe(true);
    expect(form.querySelector<HTMLInputElement>("input")!.disabled).toBe(false);
    ack.resolve();
    await tracked;
    expect(form.querySelector<HTMLButtonElement>("#go")!.disabled).toBe(false);
    expect(form.querySelector<HTMLButtonElement>("#off")!.disabled).toBe(true);
  });

  it("stays busy until the last of overlapping calls ends", async () => {
    const el = document.createElement("div");
    const first = deferred<void>();
    const second = deferred<void>();
    const a = trackLoading(el, first.promise);
    const b = trackLoading(el, second.promise);
    first.resolve();
    await a;
    expect(el.getAttribute("aria-busy")).toBe("true");
    second.resolve();
    await b;
    expect(el.hasAttribute("aria-busy")).toBe(false);
  });
});
