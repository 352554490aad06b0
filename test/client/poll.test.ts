import { PollBehaviour } from "../../controllers/behaviours/poll";

let calls: Array<{ el: Element; name: string; done: () => void }>;
let poll: PollBehaviour;
let visibility: DocumentVisibilityState;

/** Lets the acks' promise callbacks run (fake timers do not touch promises). */
const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

function setVisibility(state: DocumentVisibilityState): void {
  visibility = state;
  document.dispatchEvent(new Event("visibilitychange"));
}

function element(attributes: string): Element {
  document.body.innerHTML = `<div id="p" ${attributes}></div>`;
  return document.getElementById("p")!;
}

/** Acks every call made so far. */
async function ackAll(): Promise<void> {
  calls.forEach((call) => call.done());
  await flush();
}

beforeAll(() => {
  Object.defineProperty(document, "visibilityState", { configurable: true, get: () => visibility });
});

beforeEach(() => {
  jest.useFakeTimers();
  visibility = "visible";
  calls = [];
  poll = new PollBehaviour(
    (el, name) => new Promise<void>((resolve) => calls.push({ el, name, done: resolve })),
    document,
  );
});

afterEach(() => {
  poll.stop();
  jest.useRealTimers();
});

it("calls the handler every interval, the first time one interval after the element appears", async () => {
  const el = element(`data-liveview-poll="refresh" data-liveview-poll-interval="500"`);
  poll.connect(el);
  jest.advanceTimersByTime(499);
  expect(calls).toHaveLength(0);
  jest.advanceTimersByTime(1);
  expect(calls.map((c) => [c.el, c.name])).toEqual([[el, "refresh"]]);
  await ackAll();
  jest.advanceTimersByTime(500);
  expect(calls).toHaveLength(2);
});

it("polls every 2000 ms without an interval or with an invalid one", () => {
  for (const attrs of [``, `data-liveview-poll-interval="soon"`, `data-liveview-poll-interval="0"`]) {
    calls = [];
    const el = element(`data-liveview-poll="refresh" ${attrs}`);
    poll.connect(el);
    jest.advanceTimersByTime(1999);
    expect(calls).toHaveLength(0);
    jest.advanceTimersByTime(1);
    expect(calls).toHaveLength(1);
    poll.disconnect(el);
  }
});

it("never overlaps: the next interval starts when the previous call's ack arrives", async () => {
  poll.connect(element(`data-liveview-poll="slow" data-liveview-poll-interval="100"`));
  jest.advanceTimersByTime(100);
  expect(calls).toHaveLength(1);
  jest.advanceTimersByTime(10_000);
  expect(calls).toHaveLength(1);
  await ackAll();
  jest.advanceTimersByTime(99);
  expect(calls).toHaveLength(1);
  jest.advanceTimersByTime(1);
  expect(calls).toHaveLength(2);
});

it("a failed call still schedules the next one", async () => {
  poll = new PollBehaviour((el, name) => (calls.push({ el, name, done: () => {} }), Promise.reject(new Error("x"))), document);
  poll.connect(element(`data-liveview-poll="f" data-liveview-poll-interval="100"`));
  jest.advanceTimersByTime(100);
  await flush();
  jest.advanceTimersByTime(100);
  expect(calls).toHaveLength(2);
});

it("polls 20 times less often while the tab is hidden", async () => {
  poll.connect(element(`data-liveview-poll="refresh" data-liveview-poll-interval="100"`));
  setVisibility("hidden");
  jest.advanceTimersByTime(1999);
  expect(calls).toHaveLength(0);
  jest.advanceTimersByTime(1);
  expect(calls).toHaveLength(1);
  await ackAll();
  jest.advanceTimersByTime(1999);
  expect(calls).toHaveLength(1);
  jest.advanceTimersByTime(1);
  expect(calls).toHaveLength(2);
});

it("calls at once on becoming visible when a call was due, then at the normal interval", async () => {
  poll.connect(element(`data-liveview-poll="refresh" data-liveview-poll-interval="100"`));
  setVisibility("hidden");
  jest.advanceTimersByTime(150);
  expect(calls).toHaveLength(0);
  setVisibility("visible");
  jest.advanceTimersByTime(0);
  expect(calls).toHaveLength(1);
  await ackAll();
  jest.advanceTimersByTime(100);
  expect(calls).toHaveLength(2);
});

it("on becoming visible before a call was due, waits only for the rest of the interval", () => {
  poll.connect(element(`data-liveview-poll="refresh" data-liveview-poll-interval="100"`));
  jest.advanceTimersByTime(40);
  setVisibility("hidden");
  setVisibility("visible");
  jest.advanceTimersByTime(59);
  expect(calls).toHaveLength(0);
  jest.advanceTimersByTime(1);
  expect(calls).toHaveLength(1);
});

it("stops when the element leaves, even with its call in flight, and lets go of the visibility listener", async () => {
  const remove = jest.spyOn(document, "removeEventListener");
  const el = element(`data-liveview-poll="refresh" data-liveview-poll-interval="100"`);
  poll.connect(el);
  expect(poll.size).toBe(1);
  jest.advanceTimersByTime(100);
  poll.disconnect(el);
  expect(poll.size).toBe(0);
  expect(remove).toHaveBeenCalledWith("visibilitychange", expect.any(Function));
  await ackAll();
  jest.advanceTimersByTime(10_000);
  expect(calls).toHaveLength(1);
  expect(jest.getTimerCount()).toBe(0);
  remove.mockRestore();
});

it("an element wired again while its call is in flight waits for that call", async () => {
  const el = element(`data-liveview-poll="refresh" data-liveview-poll-interval="100"`);
  poll.connect(el);
  jest.advanceTimersByTime(100);
  poll.disconnect(el);
  el.setAttribute("data-liveview-poll-interval", "50");
  poll.connect(el);
  jest.advanceTimersByTime(1000);
  expect(calls).toHaveLength(1);
  await ackAll();
  jest.advanceTimersByTime(50);
  expect(calls).toHaveLength(2);
});

it("stop clears every timer", () => {
  document.body.innerHTML = `<i data-liveview-poll="a"></i><i data-liveview-poll="b"></i>`;
  document.querySelectorAll("i").forEach((el) => poll.connect(el));
  expect(jest.getTimerCount()).toBe(2);
  poll.stop();
  expect(poll.size).toBe(0);
  expect(jest.getTimerCount()).toBe(0);
});
