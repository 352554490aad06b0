import express from "express";
import { LiveViewRegistry, send, type Consumer, type HandlerContent, type LiveView } from "express-liveview";
import { testPage, TestHub } from "express-liveview/testing";

/** A registry whose one handler records each call's content and answers in #out. */
function recording(name = "record") {
  const calls: HandlerContent[] = [];
  const registry = new LiveViewRegistry();
  registry.register(name)((consumer, content) => {
    calls.push(content);
    send(consumer, { target: "#out", html: `call ${calls.length}` });
  });
  return { registry, calls };
}

describe("testPage events", () => {
  it("fires input and change actions of a text field with its value", async () => {
    const { registry, calls } = recording();
    const page = await testPage({
      registry,
      html: `<input name="q" data-liveview-function="record" data-action="input->page#run"><p id="out"></p>`,
    });
    await page.input("[name=q]", "tea");
    expect(calls.map((c) => c.form)).toEqual([{ q: "tea" }]);
    page.close();
  });

  it("toggles a checkbox as a click does and sends its boolean", async () => {
    const { registry, calls } = recording();
    const page = await testPage({
      registry,
      html: `<form><input type="checkbox" name="done" data-liveview-function="record" data-action="change->page#run"></form><p id="out"></p>`,
    });
    await page.input("[name=done]", true);
    await page.input("[name=done]", true); // already checked: nothing happens
    await page.input("[name=done]", false);
    expect(calls.map((c) => c.form)).toEqual([{ done: true }, { done: false }]);
    page.close();
  });

  it("submits a form through its submit action, and a submit button with no action submits it too", async () => {
    const { registry, calls } = recording();
    const page = await testPage({
      registry,
      html: `<form data-liveview-function="record" data-action="submit->page#run"><input name="t" value="x"><button id="go">Go</button></form><p id="out"></p>`,
    });
    await page.submit("form");
    await page.click("#go");
    expect(calls.map((c) => c.form)).toEqual([{ t: "x" }, { t: "x" }]);
    expect(page.domErrors).toEqual([]);
    page.close();
  });

  it("uses the default event of an action written without one, and page#stop stops outer actions", async () => {
    const { registry, calls } = recording();
    const page = await testPage({
      registry,
      html: `<div data-liveview-function="record" data-data-from="outer" data-action="click->page#run">
        <button id="inner" data-liveview-function="record" data-data-from="inner" data-action="page#run page#stop">In</button>
        <button id="plain">Plain</button></div><p id="out"></p>`,
    });
    await page.click("#inner");
    await page.click("#plain");
    expect(calls.map((c) => c.data.from)).toEqual(["inner", "outer"]);
    page.close();
  });

  it("debounces on the page's clock: page.advance fires the call", async () => {
    const { registry, calls } = recording();
    const page = await testPage({
      registry,
      html: `<input name="q" data-liveview-function="record" data-liveview-debounce="300" data-action="input->page#run"><p id="out"></p>`,
    });
    await page.input("[name=q]", "t");
    await page.input("[name=q]", "te");
    await page.advance(299);
    expect(calls).toHaveLength(0);
    const acks = await page.advance(1);
    expect(acks).toEqual([{ ok: true }]);
    expect(calls.map((c) => c.form)).toEqual([{ q: "te" }]);
    expect(page.text("#out")).toBe("call 1");
    page.close();
  });

  it("throttles: the first call at once, the latest of the rest when the window closes", async () => {
    const { registry, calls } = recording();
    const page = await testPage({
      registry,
      html: `<input name="q" data-liveview-function="record" data-liveview-throttle="100" data-action="input->page#run"><p id="out"></p>`,
    });
    await page.input("[name=q]", "a");
    await page.input("[name=q]", "ab");
    await page.input("[name=q]", "abc");
    await page.advance(100);
    expect(calls.map((c) => c.form.q)).toEqual(["a", "abc"]);
    page.close();
  });

  it("works under jest's fake timers: their clock fires the debounce, and page.advance moves it", async () => {
    jest.useFakeTimers();
    try {
      const { registry, calls } = recording();
      const page = await testPage({
        registry,
        html: `<input name="q" data-liveview-function="record" data-liveview-debounce="200" data-action="input->page#run"><p id="out"></p>`,
      });
      await page.input("[name=q]", "x");
      jest.advanceTimersByTime(200);
      await page.settle();
      expect(calls.map((c) => c.form.q)).toEqual(["x"]);
      await page.input("[name=q]", "y");
      await page.advance(200);
      expect(calls.map((c) => c.form.q)).toEqual(["x", "y"]);
      page.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it("undoes optimistic commands when the call fails", async () => {
    const registry = new LiveViewRegistry();
    registry.register("fails")(() => {
      throw new Error("no");
    });
    const page = await testPage({
      registry,
      html: `<button data-liveview-function="fails" data-liveview-optimistic="add-class:done" data-action="click->page#run">x</button>`,
    });
    const [ack] = await page.click("button");
    expect(ack.ok).toBe(false);
    expect(page.find("button").classList.contains("done")).toBe(false);
    expect(page.errors.map((e) => e.code)).toEqual(["handler_error"]);
    page.close();
  });

  it("gives handlers the page's user, session, headers and room, and runs its middleware before the registry's", async () => {
    const seen: unknown[] = [];
    const registry = new LiveViewRegistry();
    registry.addMiddleware((_consumer, _content, name) => void seen.push(`registry:${name}`));
    registry.register("who")((consumer: Consumer) => void seen.push([consumer.scope.user, consumer.scope.session, consumer.scope.headers["x-test"], consumer.room]));
    const page = await testPage({
      registry,
      user: { id: 1, name: "Ada" },
      session: { cart: 2 },
      headers: { "x-test": "yes" },
      room: "shop",
      middleware: [(_consumer, _content, name) => void seen.push(`page:${name}`)],
    });
    await page.call("who");
    expect(seen).toEqual(["page:who", "registry:who", [{ id: 1, name: "Ada" }, { cart: 2 }, "yes", "shop"]]);
    page.close();
  });
});

describe("testPage rooms", () => {
  it("delivers broadcasts to every page and room sends to that room's pages only", async () => {
    const hub = new TestHub();
    const registry = new LiveViewRegistry();
    registry.register("shout")((consumer) => send(consumer, { target: "#log", html: "<li>all</li>", append: true }, { broadcast: true }));
    registry.register("say")((consumer) => hub.sendToRoom(consumer.room, { target: "#log", html: "<li>room</li>", append: true }));
    registry.register("others")((consumer) => void consumer.socket.to(consumer.room).emit("liveview", { target: "#log", html: "<li>others</li>", append: true }));
    const html = `<ul id="log"></ul>`;
    const [a, b, c] = await Promise.all([
      testPage({ registry, hub, html, room: "one" }),
      testPage({ registry, hub, html, room: "one" }),
      testPage({ registry, hub, html, room: "two" }),
    ]);
    await a.call("say");
    await a.call("shout");
    await a.call("others");
    expect([a, b, c].map((page) => page.text("#log"))).toEqual(["roomall", "roomallothers", "all"]);
    expect(c.broadcasts).toEqual([{ target: "#log", html: "<li>all</li>", append: true }]);
    c.close();
    await a.call("shout");
    expect(hub.size).toBe(2);
    expect(c.updates).toHaveLength(1);
    a.close();
    b.close();
  });

  it("runs a handler's disconnect listener when the page closes", async () => {
    const registry = new LiveViewRegistry();
    const left: string[] = [];
    registry.register("join")((consumer) => void consumer.socket.once("disconnect", () => left.push(consumer.room)));
    const page = await testPage({ registry, room: "lobby" });
    await page.call("join");
    page.close();
    expect(left).toEqual(["lobby"]);
  });
});

describe("testPage.render", () => {
  it("GETs a route of an Express app and makes a page of its HTML at that URL, in its data-room", async () => {
    const app = express();
    app.get("/start", (_req, res) => res.redirect("/hello?x=1"));
    app.get("/hello", (req, res) => res.type("html").send(`<html data-room="lobby.sig"><head><title>Hi</title></head><body><p id="who">${String(req.headers["x-user"])}</p></body></html>`));
    const page = await testPage.render(app, "/start", { headers: { "x-user": "ada" } });
    expect(page.text("#who")).toBe("ada");
    expect(page.url).toBe("http://localhost/hello?x=1");
    expect(page.title).toBe("Hi");
    expect(page.room).toBe("lobby");
    page.close();
  });

  it("names the status when the route fails", async () => {
    const app = express();
    app.get("/", (_req, res) => res.status(500).send("nope"));
    await expect(testPage.render(app, "/")).rejects.toThrow("GET / answered 500");
  });
});

describe("TestHub.attach", () => {
  it("lets a real LiveView's broadcast and sendToRoom reach the test pages, until detached", async () => {
    const sent: string[] = [];
    const liveview: Pick<LiveView, "broadcast" | "sendToRoom"> = {
      broadcast: () => void sent.push("broadcast"),
      sendToRoom: (room) => void sent.push(`room ${room}`),
    };
    const hub = new TestHub();
    const detach = hub.attach(liveview);
    const page = await testPage({ hub, room: "r", html: `<p id="x"></p>` });
    liveview.sendToRoom("r", { target: "#x", html: "to room" });
    expect(page.text("#x")).toBe("to room");
    liveview.broadcast({ target: "#x", html: "to all" });
    expect(page.text("#x")).toBe("to all");
    detach();
    liveview.broadcast({ target: "#x", html: "after" });
    expect(page.text("#x")).toBe("to all");
    expect(sent).toEqual(["room r", "broadcast", "broadcast"]);
    page.close();
  });
});
