import { LiveViewRegistry, send, type Update } from "express-liveview";
import { testPage } from "express-liveview/testing";

const GREETER = `<!doctype html><html lang="en"><body>
  <form>
    <input name="name" value="">
    <button data-liveview-function="say_hello" data-data-greeting="Hello" data-action="click->page#run">Greet</button>
  </form>
  <p id="greeting"></p>
</body></html>`;

function greeterRegistry(): LiveViewRegistry {
  const registry = new LiveViewRegistry();
  registry.register("say_hello")((consumer, content) => {
    send(consumer, { target: "#greeting", html: `${String(content.data.greeting)}, <b>${String(content.form.name)}</b>!` });
  });
  return registry;
}

describe("testPage", () => {
  it("runs a click's handler and applies its update to the page", async () => {
    const page = await testPage({ registry: greeterRegistry(), html: GREETER });
    await page.input("[name=name]", "Ada");
    const acks = await page.click("button");
    expect(acks).toEqual([{ ok: true }]);
    expect(page.text("#greeting")).toBe("Hello, Ada!");
    expect(page.html("#greeting")).toBe("Hello, <b>Ada</b>!");
    expect(page.updates).toHaveLength(1);
    page.close();
  });

  it("answers an unknown function with an error update and a failed ack", async () => {
    const page = await testPage({ registry: new LiveViewRegistry() });
    const ack = await page.call("nope");
    expect(ack.ok).toBe(false);
    expect(page.errors.map((e: Update) => e.code)).toEqual(["unknown_function"]);
    page.close();
  });

  it("morphs, appends, removes, sets url and title, and records scripts", async () => {
    const registry = new LiveViewRegistry();
    registry.register("many")((consumer) => {
      send(consumer, { target: "#list", html: "<li>b</li>", append: true });
      send(consumer, { target: "#gone", remove: true });
      send(consumer, { target: "#box", html: "<p id='kept'>new</p><script>el.dataset.x = 1</script>", morph: true });
      send(consumer, { url: "/next", title: "Next" });
    });
    const page = await testPage({ registry, html: "<ul id=list><li>a</li></ul><p id=gone></p><div id=box><p id='kept'>old</p></div>" });
    await page.call("many");
    expect(page.text("#list")).toBe("ab");
    expect(page.exists("#gone")).toBe(false);
    expect(page.text("#kept")).toBe("new");
    expect(page.url).toBe("http://localhost/next");
    expect(page.title).toBe("Next");
    expect(page.scripts.map((s) => s.code)).toEqual(["el.dataset.x = 1"]);
    page.close();
  });
});
