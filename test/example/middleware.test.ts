import { testPage, type TestPage } from "express-liveview/testing";
import { startExample, type Example } from "./support";

let ex: Example;
let page: TestPage;
const logLines: string[] = [];

beforeAll(async () => {
  ex = startExample({ log: (line) => logLines.push(line) });
  await ex.liveview.ready;
});
afterAll(() => ex.cleanup());

beforeEach(async () => {
  logLines.length = 0;
  page = await testPage.render(ex.app, "/");
});
afterEach(() => page.close());

describe("the example's middleware, in front of every handler", () => {
  it("logs each call with its user and how long it took", async () => {
    const ada = await testPage.render(ex.app, "/", { user: { name: "ada" } });
    await ada.call("counter_increment", { data: { step: "1" } });
    await page.call("counter_decrement");
    ada.close();
    expect(logLines).toHaveLength(2);
    expect(logLines[0]).toMatch(/^\[example\] counter_increment by ada: ok in \d+\.\d ms$/);
    expect(logLines[1]).toMatch(/^\[example\] counter_decrement by anonymous: ok in \d+\.\d ms$/);
  });

  it("logs no call the login check refused: it runs after that check", async () => {
    await page.call("todo_delete", { data: { id: "1" } });
    expect(page.text("#error")).toContain("You must be logged in to do that.");
    expect(logLines).toEqual([]);
  });

  it("slows down a tab that makes more than 20 calls in a second, and lets it go on in the next", async () => {
    // The limiter counts in windows of Date.now(): fake timers hold the clock still, so all 21 calls fall in one.
    jest.useFakeTimers();
    try {
      const acks = [];
      for (let i = 0; i < 21; i++) acks.push(await page.call("counter_increment", { data: { step: "1" } }));
      expect(acks.slice(0, 20).every((ack) => ack.ok)).toBe(true);
      expect(acks[20].ok).toBe(false);
      expect(page.text("#error")).toBe("Too many actions at once: please slow down.");
      expect(page.text("#counter")).toBe("20");
      const other = await testPage({ html: '<div id="counter"></div>' });
      expect((await other.call("counter_increment", { data: { step: "1" } })).ok).toBe(true); // another tab is not slowed
      other.close();
      jest.advanceTimersByTime(1000);
      expect((await page.call("counter_increment", { data: { step: "1" } })).ok).toBe(true);
      expect(page.text("#counter")).toBe("21");
    } finally {
      jest.useRealTimers();
    }
  });
});
