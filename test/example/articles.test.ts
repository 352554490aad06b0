import { testPage, type TestPage } from "express-liveview/testing";
import { startExample, type Example } from "./support";

let ex: Example;
let page: TestPage;

const SEARCH = "input[name=search]";
const RESULT_LINKS = "#search-results a.result";

const resultTitles = (): string[] => [...page.document.querySelectorAll(RESULT_LINKS)].map((a) => a.textContent ?? "");
/** The updates the search sent into the results: one for each search the server ran. */
const searches = (): number => page.updates.filter((update) => update.target === "#search-results").length;

beforeAll(async () => {
  ex = startExample();
  await ex.liveview.ready;
});
afterAll(() => ex.cleanup());

beforeEach(async () => {
  page = await testPage.render(ex.app, "/articles");
});
afterEach(() => page.close());

describe("searching the articles", () => {
  it("shows the articles matching the search, with the words found marked", async () => {
    await page.input(SEARCH, "sqlite");
    await page.advance(300); // the field's data-liveview-debounce
    const results = [...page.document.querySelectorAll("#search-results li")];
    expect(results.length).toBeGreaterThan(0);
    for (const li of results) {
      const marks = [...li.querySelectorAll("mark")].map((mark) => mark.textContent?.toLowerCase());
      expect(marks).toContain("sqlite");
    }
    expect(page.errors).toEqual([]);
  });

  it("searches once, for what was typed last, when the typing pauses", async () => {
    await page.input(SEARCH, "py");
    await page.advance(100);
    await page.input(SEARCH, "handlebars");
    await page.advance(299);
    expect(searches()).toBe(0);
    await page.advance(1);
    expect(searches()).toBe(1);
    expect(resultTitles().every((title) => title.includes("Handlebars"))).toBe(true);
  });

  it("searches after the pause under jest's fake timers too", async () => {
    jest.useFakeTimers();
    try {
      await page.input(SEARCH, "redis");
      jest.advanceTimersByTime(299);
      expect(searches()).toBe(0);
      jest.advanceTimersByTime(1);
      await page.settle();
      expect(searches()).toBe(1);
      expect(resultTitles().every((title) => title.includes("Redis"))).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });

  it("matches the start of a word, so results come while a word is still being typed", async () => {
    await page.input(SEARCH, "websock");
    await page.advance(300);
    expect(resultTitles().length).toBeGreaterThan(0);
    expect(resultTitles().every((title) => title.includes("WebSockets"))).toBe(true);
  });

  it("says nothing matches, showing the search as text and never as HTML", async () => {
    await page.input(SEARCH, "<b>zebra</b>");
    await page.advance(300);
    expect(page.text("#search-results")).toBe("No article matches “<b>zebra</b>”.");
    expect(page.exists("#search-results b")).toBe(false);
  });

  it("shows the latest articles for a search of punctuation only, which the search index is never given", async () => {
    const latest = resultTitles();
    await page.input(SEARCH, "\"*)( - ^");
    await page.advance(300);
    expect(page.errors).toEqual([]);
    expect(resultTitles()).toEqual(latest);
  });

  it("shows the latest articles again when the search is emptied", async () => {
    const latest = resultTitles();
    expect(latest).toHaveLength(20);
    await page.input(SEARCH, "django");
    await page.advance(300);
    expect(resultTitles()).not.toEqual(latest);
    await page.input(SEARCH, "");
    await page.advance(300);
    expect(resultTitles()).toEqual(latest);
  });
});

describe("opening an article", () => {
  it("shows the article in place, with its own URL and title", async () => {
    const link = page.find(RESULT_LINKS);
    const id = link.getAttribute("data-data-id");
    const title = link.textContent ?? "";
    await page.click(RESULT_LINKS);
    expect(page.text("#articles h2")).toBe(title);
    expect(page.text("#articles article")).toContain(`This is article number`);
    expect(page.exists(SEARCH)).toBe(false);
    expect(page.url).toBe(`http://localhost/articles/${id}`);
    expect(page.title).toBe(title);
  });

  it("opens an article found by a search, without its search marks", async () => {
    await page.input(SEARCH, "stimulus");
    await page.advance(300);
    const first = page.find(RESULT_LINKS);
    expect(first.querySelector("mark")).not.toBeNull();
    await page.click(RESULT_LINKS);
    expect(page.exists("#articles mark")).toBe(false);
    expect(page.text("#articles h2")).toContain("Stimulus");
  });

  it("says an unknown article does not exist and leaves the page as it was", async () => {
    const before = page.html("#articles");
    const ack = await page.call("open_article", { data: { id: "99999" } });
    expect(ack.ok).toBe(true);
    expect(page.text("#error")).toBe("That article does not exist.");
    expect(page.html("#articles")).toBe(before);
    expect(page.url).toBe("http://localhost/articles");
  });

  it("says an id that is not a number names no article", async () => {
    await page.call("open_article", { data: { id: "first" } });
    expect(page.text("#error")).toBe("That article does not exist.");
    expect(page.errors).toEqual([]);
  });
});
