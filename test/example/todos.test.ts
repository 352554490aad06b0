import { testPage, type TestPage } from "express-liveview/testing";
import { login, startExample, type Example } from "./support";

let ex: Example;
let cookie: string;
let page: TestPage;

const NEW_TITLE = "#todo-new input[name=title]";

/** Adds a todo through the new-todo form and returns its row's selector. */
async function addTodo(title: string): Promise<string> {
  await page.input(NEW_TITLE, title);
  await page.submit("#todo-new form");
  const rows = page.document.querySelectorAll("#todo-list > li");
  return `#${rows[rows.length - 1].id}`;
}

beforeAll(async () => {
  ex = startExample();
  cookie = await login(ex.app, "ada");
});
afterAll(() => ex.cleanup());

beforeEach(async () => {
  page = await testPage.render(ex.app, "/todos", { headers: { cookie }, user: { name: "ada" } });
});
afterEach(() => page.close());

describe("the todo list for a logged-in user", () => {
  it("shows who is logged in, from the session cookie", () => {
    expect(page.text(".nav .user")).toBe("ada");
  });

  it("adds a todo, removes the empty note and gives back a fresh, focused form", async () => {
    expect(page.exists("#todo-empty")).toBe(true);
    const row = await addTodo("Write the tests");
    expect(page.text(`${row} .todo-title`)).toBe("Write the tests");
    expect(page.text(`${row} small`)).toBe("by ada");
    expect(page.exists("#todo-empty")).toBe(false);
    expect((page.find(NEW_TITLE) as HTMLInputElement).value).toBe("");
    expect(page.find(NEW_TITLE).getAttribute("data-liveview-focus")).toBe("true");
    expect(page.errors).toEqual([]);
  });

  it("refuses an empty title, keeping the form with the error next to the field", async () => {
    const before = page.document.querySelectorAll("#todo-list > li").length;
    await page.input(NEW_TITLE, "   ");
    // Clicking Add moves the focus to the button, so the morph may mark the field (a focused field is never patched).
    await page.click("#todo-new form button[type=submit]");
    expect(page.text("#todo-title-error")).toBe("Write something to do.");
    expect(page.find(NEW_TITLE).getAttribute("aria-invalid")).toBe("true");
    expect(page.document.querySelectorAll("#todo-list > li")).toHaveLength(before);
  });

  it("refuses a title over 100 characters and keeps what was typed", async () => {
    const long = "x".repeat(101);
    await page.input(NEW_TITLE, long);
    await page.submit("#todo-new form");
    expect(page.text("#todo-title-error")).toBe("Keep it under 100 characters (this is 101).");
    expect((page.find(NEW_TITLE) as HTMLInputElement).value).toBe(long);
  });

  it("brings back a fresh, focused new-todo form on the keyboard's n", async () => {
    await page.input(NEW_TITLE, "half typed");
    await page.submit("#todo-new form"); // a valid todo: the field is emptied
    await page.input(NEW_TITLE, "");
    // The body's data-liveview-keyboard-map ({"n":"todo_new"}) is not run by a test page: call what "n" calls.
    await page.call("todo_new");
    expect(page.find(NEW_TITLE).getAttribute("data-liveview-focus")).toBe("true");
    expect(page.exists("#todo-title-error")).toBe(false);
  });

  it("edits a todo in place and saves the new title", async () => {
    const row = await addTodo("Proofread");
    await page.click(`${row} button[data-liveview-function=todo_edit]`);
    expect(page.exists(`${row} form.todo-edit`)).toBe(true);
    expect((page.find(`${row} input[name=title]`) as HTMLInputElement).value).toBe("Proofread");
    await page.input(`${row} input[name=title]`, "Proofread twice");
    await page.submit(`${row} form.todo-edit`);
    expect(page.exists(`${row} form.todo-edit`)).toBe(false);
    expect(page.text(`${row} .todo-title`)).toBe("Proofread twice");
    const reloaded = await testPage.render(ex.app, "/todos", { headers: { cookie } });
    expect(reloaded.text(`${row} .todo-title`)).toBe("Proofread twice");
    reloaded.close();
  });

  it("keeps editing with an error when the new title is empty", async () => {
    const row = await addTodo("Keep me");
    await page.click(`${row} button[data-liveview-function=todo_edit]`);
    await page.input(`${row} input[name=title]`, "");
    await page.click(`${row} form.todo-edit button[type=submit]`);
    expect(page.text(`${row} .field-error`)).toBe("Write something to do.");
    expect(page.find(`${row} input[name=title]`).getAttribute("aria-invalid")).toBe("true");
  });

  it("leaves editing without saving on the keyboard's esc", async () => {
    const row = await addTodo("Unchanged");
    await page.click(`${row} button[data-liveview-function=todo_edit]`);
    await page.input(`${row} input[name=title]`, "Changed");
    // The edit form's data-liveview-keyboard-map ({"esc":"todo_cancel"}) is not run by a test page: call it with the
    // row's id, as the keyboard map would (it sends the form's data-data-id).
    const id = page.find(`${row} form.todo-edit`).getAttribute("data-data-id") ?? "";
    await page.call("todo_cancel", { data: { id } });
    expect(page.exists(`${row} form.todo-edit`)).toBe(false);
    expect(page.text(`${row} .todo-title`)).toBe("Unchanged");
  });

  it("ticks a todo done and unticks it, and the list remembers", async () => {
    const row = await addTodo("Tick me");
    await page.input(`${row} input[type=checkbox]`, true);
    expect(page.find(`${row} label`).classList.contains("done")).toBe(true);
    const reloaded = await testPage.render(ex.app, "/todos", { headers: { cookie } });
    expect((reloaded.find(`${row} input[type=checkbox]`) as HTMLInputElement).checked).toBe(true);
    reloaded.close();
    await page.click(`${row} input[type=checkbox]`);
    expect(page.find(`${row} label`).classList.contains("done")).toBe(false);
    expect((page.find(`${row} input[type=checkbox]`) as HTMLInputElement).checked).toBe(false);
  });

  it("deletes a todo", async () => {
    const row = await addTodo("Delete me");
    await page.click(`${row} button[data-liveview-function=todo_delete]`);
    expect(page.exists(row)).toBe(false);
    const reloaded = await testPage.render(ex.app, "/todos", { headers: { cookie } });
    expect(reloaded.exists(row)).toBe(false);
    reloaded.close();
  });
});

describe("a todo that is not there (deleted in another tab, or an id made up)", () => {
  it("changes nothing and reports no error, whichever handler is asked", async () => {
    const row = await addTodo("Still here");
    const before = page.html("#todo-list");
    for (const name of ["todo_edit", "todo_cancel", "todo_delete"]) {
      expect((await page.call(name, { data: { id: "99999" } })).ok).toBe(true);
    }
    expect((await page.call("todo_save", { data: { id: "99999" }, form: { title: "Ghost" } })).ok).toBe(true);
    expect((await page.call("todo_toggle", { data: { id: "not-a-number" }, form: { "done-99999": true } })).ok).toBe(true);
    expect(page.html("#todo-list")).toBe(before);
    expect(page.text(`${row} .todo-title`)).toBe("Still here");
    expect(page.errors).toEqual([]);
    expect(ex.db.prepare("SELECT COUNT(*) AS n FROM todos WHERE title = 'Ghost'").get()).toEqual({ n: 0 });
  });
});

describe("the todo list for a visitor", () => {
  let visitor: TestPage;
  beforeEach(async () => {
    visitor = await testPage.render(ex.app, "/todos");
  });
  afterEach(() => visitor.close());

  it("offers to log in instead of showing a user", () => {
    expect(visitor.exists(".nav a[href='/login']")).toBe(true);
    expect(visitor.text("main .muted")).toContain("Log in to change the list.");
  });

  it("says a visitor must be logged in to add a todo, and adds nothing", async () => {
    await visitor.input(NEW_TITLE, "Sneaky");
    const [ack] = await visitor.submit("#todo-new form");
    expect(visitor.text("#error")).toBe("You must be logged in to do that. Log in");
    expect(visitor.find("#error a").getAttribute("href")).toBe("/login");
    expect(ack.ok).toBe(false);
    expect(visitor.text("#todo-list")).not.toContain("Sneaky");
  });

  it("says a visitor must be logged in to delete, and the todo stays", async () => {
    const row = await addTodo("Mine");
    const reloaded = await testPage.render(ex.app, "/todos");
    await reloaded.click(`${row} button[data-liveview-function=todo_delete]`);
    expect(reloaded.text("#error")).toContain("You must be logged in to do that.");
    expect(reloaded.exists(row)).toBe(true);
    reloaded.close();
  });

  it("may still open the new-todo form, which writes nothing", async () => {
    const [ack] = await Promise.all([visitor.call("todo_new")]);
    expect(ack.ok).toBe(true);
    expect(visitor.text("#error")).toBe("");
  });
});
