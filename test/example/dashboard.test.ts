import { testPage } from "express-liveview/testing";
import { startExample, type Example } from "./support";

let ex: Example;

beforeAll(() => {
  ex = startExample();
});
afterAll(() => ex.cleanup());

describe("the dashboard's chart", () => {
  it("gets its points as a dashboard:update event on #dashboard-stats, with the numbers as HTML and no script", async () => {
    const page = await testPage.render(ex.app, "/dashboard");
    try {
      // data-liveview-init calls dashboard_init when the page connects; a test page calls it directly.
      expect(await page.call("dashboard_init")).toEqual({ ok: true });
      expect(page.dispatches).toHaveLength(1);
      const [event] = page.dispatches;
      const detail = event.detail as { labels: string[]; values: number[] };
      expect(event).toMatchObject({ name: "dashboard:update", target: page.find("#dashboard-stats") });
      expect(detail.labels).toHaveLength(detail.values.length);
      expect(page.text("#stat-latest")).toBe(String(detail.values[detail.values.length - 1]));
      expect(page.scripts).toEqual([]);
    } finally {
      page.close();
    }
  });
});
