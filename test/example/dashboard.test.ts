import { testPage, type TestPage } from "express-liveview/testing";
import { exampleContext } from "../../example/context";
import { startDashboard } from "../../example/handlers/dashboard";
import { login, startExample, type Example } from "./support";

let ex: Example;
let detach: () => void;
let pages: TestPage[] = [];

async function open(path: string, name: string | null = null): Promise<TestPage> {
  const as = name === null ? {} : { user: { name }, headers: { cookie: await login(ex.app, name) } };
  const page = await testPage.render(ex.app, path, as);
  pages.push(page);
  return page;
}

beforeAll(async () => {
  ex = startExample();
  await ex.liveview.ready;
  // The push goes out with the app's own liveview.broadcast: let it reach the test pages.
  detach = testPage.hub.attach(ex.liveview);
});
afterAll(async () => {
  detach();
  await ex.cleanup();
});
afterEach(() => {
  for (const page of pages) page.close();
  pages = [];
});

describe("the dashboard's chart", () => {
  it("shows the latest figures on first show, and hands the chart its points as a dashboard:update event, no script", async () => {
    const page = await open("/dashboard");
    await page.call("dashboard_init"); // the stats block's data-liveview-init, which a test page does not run
    const view = exampleContext().sales.view();
    expect(page.text("#stat-latest")).toBe(String(view.latest));
    expect(page.text("#dashboard-stats")).toContain(`Total: ${view.total}`);
    expect(page.dispatches).toEqual([{ name: "dashboard:update", detail: { labels: view.labels, values: view.values }, target: page.find("#dashboard-stats") }]);
    expect(page.scripts).toEqual([]);
  });

  it("pushes new figures to every open dashboard at each interval, which other pages ignore", async () => {
    const first = await open("/dashboard");
    const second = await open("/dashboard", "ada");
    const home = await open("/");
    const homeBefore = home.html("main");
    jest.useFakeTimers();
    const stop = startDashboard();
    try {
      const tick = exampleContext().sales.view().tick;
      jest.advanceTimersByTime(exampleContext().dashboardIntervalMs);
      for (const page of [first, second]) {
        expect(page.text("#dashboard-stats .muted")).toBe(`update #${tick + 1}`);
        expect(page.text("#stat-latest")).toBe(String(exampleContext().sales.view().latest));
      }
      expect(home.broadcasts.map((update) => update.target)).toEqual(["#dashboard-stats"]);
      expect(home.html("main")).toBe(homeBefore);
      jest.advanceTimersByTime(exampleContext().dashboardIntervalMs);
      expect(first.text("#dashboard-stats .muted")).toBe(`update #${tick + 2}`);
    } finally {
      stop();
      jest.useRealTimers();
    }
    expect(first.errors).toEqual([]);
  });
});

describe("the dashboard's own panel", () => {
  it("shows a logged-in user their own open and done todos", async () => {
    const todos = await open("/todos", "dora");
    for (const title of ["One", "Two", "Three"]) await todos.call("todo_create", { form: { title } });
    const first = todos.find("#todo-list > li").id.replace("todo-", "");
    await todos.call("todo_toggle", { data: { id: first }, form: { [`done-${first}`]: true } });
    const page = await open("/dashboard", "dora");
    await page.call("dashboard_mine"); // data-liveview-init and -poll, which a test page does not run
    expect(page.text("#dashboard-mine")).toContain("Your open todos, dora:");
    expect(page.text("#mine-open")).toBe("2");
    expect(page.text("#mine-done")).toBe("1");
  });

  it("reads the figures again at each poll", async () => {
    const page = await open("/dashboard", "eve");
    await page.call("dashboard_mine");
    expect(page.text("#mine-open")).toBe("0");
    const todos = await open("/todos", "eve");
    await todos.call("todo_create", { form: { title: "New one" } });
    await page.call("dashboard_mine");
    expect(page.text("#mine-open")).toBe("1");
  });

  it("shows each user their own figures only", async () => {
    const todos = await open("/todos", "finn");
    await todos.call("todo_create", { form: { title: "Finn's" } });
    const gus = await open("/dashboard", "gus");
    await gus.call("dashboard_mine");
    expect(gus.text("#dashboard-mine")).toContain("Your open todos, gus:");
    expect(gus.text("#mine-open")).toBe("0");
  });

  it("asks a visitor to log in", async () => {
    const page = await open("/dashboard");
    const ack = await page.call("dashboard_mine");
    expect(ack.ok).toBe(true);
    expect(page.exists("#mine-open")).toBe(false);
    expect(page.text("#dashboard-mine")).toContain("Log in to see your own todos here.");
    expect(page.find("#dashboard-mine a").getAttribute("href")).toBe("/login");
  });
});
