import { testPage, type TestPage } from "express-liveview/testing";
import { startExample, type Example } from "./support";

let ex: Example;
let page: TestPage;

const TRIGGER = "#load-more-trigger [data-liveview-intersect-appear=load_more]";
const items = (): string[] => [...page.document.querySelectorAll("#items-list li")].map((li) => li.textContent ?? "");

/**
 * What the browser does when the trigger scrolls into view. A test page has no layout, so no intersection
 * observer: call what the trigger's data-liveview-intersect-appear names, with its data-data-page.
 */
async function scrollToTrigger(): Promise<void> {
  const trigger = page.find(TRIGGER);
  const ack = await page.call(trigger.getAttribute("data-liveview-intersect-appear") ?? "", {
    data: { page: trigger.getAttribute("data-data-page") ?? "" },
  });
  expect(ack.ok).toBe(true);
}

beforeAll(async () => {
  ex = startExample();
  await ex.liveview.ready;
});
afterAll(() => ex.cleanup());

beforeEach(async () => {
  page = await testPage.render(ex.app, "/items");
});
afterEach(() => page.close());

describe("the infinite list of items", () => {
  it("starts empty, with the trigger asking for the first page", () => {
    expect(items()).toEqual([]);
    expect(page.find(TRIGGER).getAttribute("data-data-page")).toBe("1");
  });

  it("adds the next ten items each time the trigger comes into view, and moves the trigger on", async () => {
    await scrollToTrigger();
    expect(items()).toEqual(Array.from({ length: 10 }, (_, i) => `Item ${i + 1}`));
    expect(page.find(TRIGGER).getAttribute("data-data-page")).toBe("2");
    await scrollToTrigger();
    expect(items()).toHaveLength(20);
    expect(items()[10]).toBe("Item 11");
    expect(page.find(TRIGGER).getAttribute("data-data-page")).toBe("3");
  });

  it("removes the trigger with the last page, so nothing more is asked for", async () => {
    for (let i = 0; i < 10; i++) await scrollToTrigger();
    expect(items()).toHaveLength(100);
    expect(items()[99]).toBe("Item 100");
    expect(page.exists(TRIGGER)).toBe(false);
    expect(page.html("#load-more-trigger")).toBe("");
  });

  it("loads the first page for a page that is not a whole positive number", async () => {
    for (const bad of ["abc", "-3", "0", "", "1.5", "1e400", "99999999999999999999"]) {
      const other = await testPage.render(ex.app, "/items");
      await other.call("load_more", { data: { page: bad } });
      expect(other.document.querySelector("#items-list li")?.textContent).toBe("Item 1");
      expect(other.find(TRIGGER).getAttribute("data-data-page")).toBe("2");
      other.close();
    }
  });

  it("adds nothing and drops the trigger for a page past the end, however far", async () => {
    for (const past of ["11", String(Number.MAX_SAFE_INTEGER)]) {
      const ack = await page.call("load_more", { data: { page: past } });
      expect(ack.ok).toBe(true);
      expect(items()).toEqual([]);
      expect(page.exists(TRIGGER)).toBe(false);
    }
    expect(page.errors).toEqual([]);
  });
});
