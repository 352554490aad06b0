import { testPage, type TestPage } from "express-liveview/testing";
import { startExample, type Example } from "./support";

let ex: Example;
let page: TestPage;

beforeAll(() => {
  ex = startExample();
});
afterAll(() => ex.cleanup());

beforeEach(async () => {
  page = await testPage.render(ex.app, "/");
});
afterEach(() => page.close());

describe("the home page's counter", () => {
  it("counts up by the step of the button clicked", async () => {
    await page.click("button[data-data-step='1']");
    await page.click("button[data-data-step='10']");
    expect(page.text("#counter")).toBe("11");
  });

  it("counts down by one", async () => {
    await page.click("button[data-liveview-function='counter_decrement']");
    await page.click("button[data-liveview-function='counter_decrement']");
    expect(page.text("#counter")).toBe("-2");
  });

  it("counts for its own tab only: another tab of the page starts at zero", async () => {
    await page.click("button[data-data-step='10']");
    const other = await testPage.render(ex.app, "/");
    await other.click("button[data-data-step='1']");
    expect(other.text("#counter")).toBe("1");
    expect(page.text("#counter")).toBe("10");
    other.close();
  });
});

describe("saying hello", () => {
  it("greets the name typed", async () => {
    await page.input("input[name=name]", "Ada");
    await page.click("button[data-liveview-function='say_hello']");
    expect(page.text("#greeting")).toBe("Hello, Ada! Welcome to express-liveview.");
  });

  it("greets a stranger when no name is typed", async () => {
    await page.click("button[data-liveview-function='say_hello']");
    expect(page.text("#greeting")).toBe("Hello, stranger! Welcome to express-liveview.");
  });
});

describe("the greet form", () => {
  it("adds a greeting in the chosen words for each submit", async () => {
    await page.input("form[data-liveview-function='greet'] [name=name]", "Ada");
    await page.input("[name=greeting]", "Bonjour");
    await page.submit("form[data-liveview-function='greet']");
    await page.input("form[data-liveview-function='greet'] [name=name]", "Bob");
    await page.input("[name=greeting]", "Hola");
    await page.submit("form[data-liveview-function='greet']");
    expect([...page.document.querySelectorAll("#greetings li")].map((li) => li.textContent)).toEqual(["Bonjour, Ada.", "Hola, Bob."]);
  });

  it("shouts when the box is ticked", async () => {
    await page.input("form[data-liveview-function='greet'] [name=name]", "Ada");
    await page.input("[name=shout]", true);
    await page.click("form[data-liveview-function='greet'] button[type=submit]");
    expect(page.text("#greetings")).toBe("Hello, Ada!!!");
  });
});
