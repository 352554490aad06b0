import { CallTimeouts } from "../../controllers/transport/call_timeouts.js";
import { resolveConfig } from "../../controllers/transport/connection_config.js";

// Fake timers: what is measured here is which connected time counts, not how long anything takes.
beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

const make = (ms = 1000) => {
  const fired: string[] = [];
  return { timeouts: new CallTimeouts(ms, (id) => fired.push(id)), fired };
};

describe("CallTimeouts", () => {
  it("fails a call that waits callTimeoutMs while connected", () => {
    const { timeouts, fired } = make();
    timeouts.resume();
    timeouts.add("a");
    jest.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a"]);
    expect(timeouts.size()).toBe(0);
  });

  it("does not time out a call made while offline, however long the page stays offline", () => {
    const { timeouts, fired } = make();
    timeouts.add("queued");
    jest.advanceTimersByTime(60_000);
    expect(fired).toEqual([]);
    timeouts.resume();
    jest.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["queued"]);
  });

  it("does not count the time spent disconnected", () => {
    const { timeouts, fired } = make();
    timeouts.resume();
    timeouts.add("a");
    jest.advanceTimersByTime(600);
    timeouts.pause();
    jest.advanceTimersByTime(10_000);
    expect(fired).toEqual([]);
    timeouts.resume();
    jest.advanceTimersByTime(399);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a"]);
  });

  it("forgets an answered call", () => {
    const { timeouts, fired } = make();
    timeouts.resume();
    timeouts.add("a");
    timeouts.delete("a");
    jest.advanceTimersByTime(5000);
    expect(fired).toEqual([]);
  });

  it("never fires with a budget of 0", () => {
    const { timeouts, fired } = make(0);
    timeouts.resume();
    timeouts.add("a");
    jest.advanceTimersByTime(1e9);
    expect(fired).toEqual([]);
    expect(timeouts.size()).toBe(0);
  });
});

describe("callTimeoutMs in the config", () => {
  const here = { host: "example.test", protocol: "https:" };
  it("defaults to 30 s", () => expect(resolveConfig({}, here).callTimeoutMs).toBe(30_000));
  it("takes the page's value", () => expect(resolveConfig({ callTimeoutMs: 250 }, here).callTimeoutMs).toBe(250));
  it("ignores a value that is not a number of ms", () =>
    expect(resolveConfig({ callTimeoutMs: -1 as number }, here).callTimeoutMs).toBe(30_000));
});
