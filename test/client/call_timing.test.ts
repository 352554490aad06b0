import { CallTiming, readMs } from "../../controllers/behaviours/timing";

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe("debounce", () => {
  it("sends one call after the user stopped for the delay, not one per keystroke", () => {
    const timing = new CallTiming();
    const el = document.createElement("input");
    const sent: string[] = [];
    for (const value of ["p", "py", "pyt", "pyth", "pytho", "python"]) {
      el.value = value;
      timing.debounce(el, 500, () => sent.push(el.value));
      jest.advanceTimersByTime(100);
    }
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(500);
    expect(sent).toEqual(["python"]);
    expect(timing.size).toBe(0);
  });

  it("keeps a timer per element", () => {
    const timing = new CallTiming();
    const a = document.createElement("input");
    const b = document.createElement("input");
    const sent: string[] = [];
    timing.debounce(a, 300, () => sent.push("a"));
    timing.debounce(b, 300, () => sent.push("b"));
    jest.advanceTimersByTime(300);
    expect(sent.sort()).toEqual(["a", "b"]);
  });

  it("drops the pending call when the element is cancelled (it left the page)", () => {
    const timing = new CallTiming();
    const el = document.createElement("input");
    const fire = jest.fn();
    timing.debounce(el, 500, fire);
    timing.cancel(el);
    jest.advanceTimersByTime(1000);
    expect(fire).not.toHaveBeenCalled();
    expect(timing.size).toBe(0);
  });
});

describe("throttle", () => {
  it("sends at once, then at most one call per interval with the latest values", () => {
    const timing = new CallTiming();
    const el = document.createElement("input");
    const sent: number[] = [];
    for (let i = 1; i <= 5; i++) {
      timing.throttle(el, 1000, () => sent.push(i));
      jest.advanceTimersByTime(100);
    }
    expect(sent).toEqual([1]);
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 5]);
    jest.advanceTimersByTime(5000);
    expect(sent).toEqual([1, 5]);
    expect(timing.size).toBe(0);
  });
});

describe("readMs", () => {
  it("reads a non-negative number of milliseconds and rejects anything else", () => {
    const el = document.createElement("div");
    expect(readMs(el, "data-x")).toBeNull();
    el.setAttribute("data-x", "250");
    expect(readMs(el, "data-x")).toBe(250);
    el.setAttribute("data-x", "soon");
    expect(readMs(el, "data-x")).toBeNull();
    el.setAttribute("data-x", "-1");
    expect(readMs(el, "data-x")).toBeNull();
  });
});
