import type { Update } from "../../protocol/index";
import { InFlightLocks } from "../../controllers/dom/inflight_locks";

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("InFlightLocks", () => {
  let applied: string[];
  let locks: InFlightLocks;

  beforeEach(() => {
    document.body.innerHTML = `<form id="form"><input id="q"></form><div id="other"></div>`;
    applied = [];
    locks = new InFlightLocks((update) => applied.push(update.target ?? "(none)"));
  });

  const offer = (target: string, extra: Partial<Update> = {}) =>
    locks.offer({ target, ...extra }, () => document.querySelector(target));

  it("applies at once while nothing is in flight", () => {
    offer("#form");
    expect(applied).toEqual(["#form"]);
  });

  it("holds an update that contains a locked element until all of its calls are acked", async () => {
    const q = document.querySelector("#q")!;
    const first = deferred();
    const second = deferred();
    locks.track(q, first.promise);
    locks.track(q, second.promise);
    offer("#form");
    first.resolve();
    await settle();
    expect(applied).toEqual([]);
    second.resolve();
    await settle();
    expect(applied).toEqual(["#form"]);
  });

  it("holds an update inside a locked element, and lets updates elsewhere through", async () => {
    const form = document.querySelector("#form")!;
    const call = deferred();
    locks.track(form, call.promise);
    offer("#q");
    offer("#other");
    expect(applied).toEqual(["#other"]);
    call.resolve();
    await settle();
    expect(applied).toEqual(["#other", "#q"]);
  });

  it("keeps the order of updates to overlapping targets: a later one waits behind a held one", async () => {
    const q = document.querySelector("#q")!;
    const call = deferred();
    locks.track(q, call.promise);
    offer("#form", { html: "1" });
    offer("#q", { html: "2" }); // blocked by the lock too
    document.querySelector("#q")!.remove();
    offer("#form", { html: "3" }); // no longer contains the locked input, but overlaps the held #form
    expect(applied).toEqual([]);
    call.resolve();
    await settle();
    expect(applied).toEqual(["#form", "#q", "#form"]);
  });

  it("releases the lock when the call fails", async () => {
    const q = document.querySelector("#q")!;
    const call = deferred();
    locks.track(q, call.promise.then(() => Promise.reject(new Error("gone")))).catch(() => {});
    offer("#form");
    call.resolve();
    await settle();
    expect(applied).toEqual(["#form"]);
    expect(locks.size).toBe(0);
  });
});
