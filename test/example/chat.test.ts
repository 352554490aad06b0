import { testPage, type TestPage, type TestPageOptions } from "express-liveview/testing";
import { login, startExample, storedSession, type Example } from "./support";

let ex: Example;
let detach: () => void;
const cookies: Record<string, string> = {};
let pages: TestPage[] = [];

const MESSAGE = "#chat-form input[name=message]";

/** A tab of a chat room: logged in as `name` (with that user's cookie), or a visitor with null. */
async function openRoom(room: string, name: string | null, options: TestPageOptions = {}): Promise<TestPage> {
  const login = name === null ? {} : { user: { name }, headers: { cookie: cookies[name] } };
  const page = await testPage.render(ex.app, `/chat/${room}`, { ...login, ...options });
  pages.push(page);
  return page;
}

/** Types a message and sends it with the chat form. */
async function say(page: TestPage, text: string): Promise<void> {
  await page.input(MESSAGE, text);
  const [ack] = await page.submit("#chat-form form");
  expect(ack.ok).toBe(true);
}

const messages = (page: TestPage): string[] => [...page.document.querySelectorAll("#messages .message")].map((p) => p.textContent ?? "");
const online = (page: TestPage): string[] => [...page.document.querySelectorAll("#presence li")].map((li) => li.textContent ?? "");

beforeAll(async () => {
  ex = startExample();
  await ex.liveview.ready;
  // The chat handlers push to other tabs with the app's own liveview.sendToRoom: let that reach the test pages.
  detach = testPage.hub.attach(ex.liveview);
  for (const name of ["ada", "bob", "carol"]) cookies[name] = await login(ex.app, name);
});
afterAll(async () => {
  detach();
  await ex.cleanup();
});
afterEach(() => {
  for (const page of pages) page.close();
  pages = [];
});

describe("the chat page", () => {
  it("joins the signed room of its name: the room is the token's part before the dot", async () => {
    const page = await openRoom("general", "ada");
    expect(page.document.documentElement.getAttribute("data-room")).toMatch(/^chat-general\../);
    expect(page.room).toBe("chat-general");
  });

  it("shows the general room for a room that does not exist", async () => {
    const page = await openRoom("nowhere", "ada");
    expect(page.url).toBe("http://localhost/chat/general");
    expect(page.room).toBe("chat-general");
  });
});

describe("sending a message", () => {
  it("a message sent in one room reaches the other tab of that room only", async () => {
    const ada = await openRoom("general", "ada");
    const bob = await openRoom("general", "bob");
    const carol = await openRoom("random", "carol");
    await say(ada, "Hello, general");
    expect(messages(bob)).toContain("ada Hello, general");
    expect(messages(ada)).toContain("ada Hello, general");
    expect(bob.broadcasts.some((update) => update.target === "#messages" && update.append === true)).toBe(true);
    expect(messages(carol)).not.toContain("ada Hello, general");
    expect(carol.broadcasts.filter((update) => update.target === "#messages")).toEqual([]);
  });

  it("scrolls the messages to the newest, with a script recorded for every tab of the room", async () => {
    const ada = await openRoom("general", "ada");
    const bob = await openRoom("general", "bob");
    await say(ada, "Scroll down");
    expect(bob.scripts.map((script) => [script.code, script.target?.id])).toContainEqual(["el.scrollTop = el.scrollHeight;", "messages"]);
  });

  it("gives the sender a fresh, focused message box", async () => {
    const ada = await openRoom("general", "ada");
    await say(ada, "First");
    expect((ada.find(MESSAGE) as HTMLInputElement).value).toBe("");
    expect(ada.find(MESSAGE).getAttribute("data-liveview-focus")).toBe("true");
  });

  it("keeps the messages for whoever opens the room later, and for that room only", async () => {
    const ada = await openRoom("help", "ada");
    await say(ada, "  Anyone here?  ");
    expect(messages(await openRoom("help", "bob"))).toContain("ada Anyone here?");
    expect(messages(await openRoom("random", "bob"))).not.toContain("ada Anyone here?");
  });

  it("shows a message as text, never as HTML", async () => {
    const ada = await openRoom("general", "ada");
    const bob = await openRoom("general", "bob");
    await say(ada, `<img src=x onerror="alert(1)">`);
    expect(bob.exists("#messages img")).toBe(false);
    expect(messages(bob)).toContain(`ada <img src=x onerror="alert(1)">`);
  });

  it("sends nothing for a blank message", async () => {
    const ada = await openRoom("general", "ada");
    const bob = await openRoom("general", "bob");
    const before = messages(ada);
    await say(ada, "   ");
    expect(bob.updates).toEqual([]);
    expect(messages(ada)).toEqual(before);
    expect(ada.errors).toEqual([]);
  });

  it("refuses a message over 500 characters, keeping it in the box with the reason, and sends it to nobody", async () => {
    const ada = await openRoom("general", "ada");
    const bob = await openRoom("general", "bob");
    const long = "x".repeat(501);
    await say(ada, long);
    expect(ada.text("#chat-form .field-error")).toBe("Keep messages under 500 characters.");
    expect((ada.find(MESSAGE) as HTMLInputElement).value).toBe(long);
    expect(bob.updates).toEqual([]);
    expect(messages(await openRoom("general", "carol"))).not.toContain(`ada ${long}`);
  });

  it("takes a message of exactly 500 characters", async () => {
    const ada = await openRoom("general", "ada");
    await say(ada, "y".repeat(500));
    expect(ada.exists("#chat-form .field-error")).toBe(false);
    expect(messages(ada)).toContain(`ada ${"y".repeat(500)}`);
  });

  it("tells a visitor to log in, and sends their message to nobody", async () => {
    const visitor = await openRoom("general", null);
    const bob = await openRoom("general", "bob");
    await visitor.input(MESSAGE, "Let me in");
    const [ack] = await visitor.submit("#chat-form form");
    expect(ack.ok).toBe(false);
    expect(visitor.text("#error")).toBe("You must be logged in to do that. Log in");
    expect(bob.updates).toEqual([]);
    expect(messages(await openRoom("general", "carol"))).not.toContain("Let me in");
  });

  it("sends nothing from a page outside the chat rooms", async () => {
    const home = await testPage.render(ex.app, "/", { user: { name: "ada" }, headers: { cookie: cookies.ada } });
    pages.push(home);
    const bob = await openRoom("general", "bob");
    const ack = await home.call("chat_send", { form: { message: "From the home page" } });
    expect(ack.ok).toBe(true);
    expect(home.updates).toEqual([]);
    expect(bob.updates).toEqual([]);
  });
});

describe("who is online", () => {
  it("lists the people and the guests on a room's page, for everyone in that room", async () => {
    const ada = await openRoom("general", "ada");
    await ada.call("chat_join"); // the page's data-liveview-init, which a test page does not run
    expect(online(ada)).toEqual(["ada"]);
    const bob = await openRoom("general", "bob");
    await bob.call("chat_join");
    const visitor = await openRoom("general", null);
    await visitor.call("chat_join");
    expect(online(ada)).toEqual(["ada", "bob", "1 guest"]);
    expect(online(visitor)).toEqual(["ada", "bob", "1 guest"]);
  });

  it("lists the rooms apart", async () => {
    const ada = await openRoom("general", "ada");
    await ada.call("chat_join");
    const carol = await openRoom("random", "carol");
    await carol.call("chat_join");
    expect(online(ada)).toEqual(["ada"]);
    expect(online(carol)).toEqual(["carol"]);
  });

  it("lists a person once for two tabs, and counts each guest", async () => {
    const first = await openRoom("general", "ada");
    await first.call("chat_join");
    await (await openRoom("general", "ada")).call("chat_join");
    await (await openRoom("general", null)).call("chat_join");
    await (await openRoom("general", null)).call("chat_join");
    expect(online(first)).toEqual(["ada", "2 guests"]);
  });

  it("takes a closed tab off the list for the others", async () => {
    const ada = await openRoom("general", "ada");
    await ada.call("chat_join");
    const bob = await openRoom("general", "bob");
    await bob.call("chat_join");
    expect(online(ada)).toEqual(["ada", "bob"]);
    bob.close();
    expect(online(ada)).toEqual(["ada"]);
  });

  it("lists nobody for a page outside the chat rooms", async () => {
    const home = await testPage.render(ex.app, "/", { user: { name: "ada" } });
    pages.push(home);
    const bob = await openRoom("general", "bob");
    const ack = await home.call("chat_join");
    expect(ack.ok).toBe(true);
    expect(home.updates).toEqual([]);
    expect(bob.updates).toEqual([]);
  });
});

describe("coming back after a restart (the form's data-liveview-recover)", () => {
  it("lists the tab again and gives what it had typed back on its next page load, once", async () => {
    const session = await storedSession(ex, cookies.ada);
    const ada = await openRoom("random", "ada", { session });
    const bob = await openRoom("random", "bob");
    await ada.input(MESSAGE, "half a thought");
    // What the browser sends when it reconnects to a server that never saw the page: the form's values.
    await ada.call("chat_recover", { form: { message: "half a thought" } });
    expect(online(bob)).toEqual(["ada"]);
    const reloaded = await openRoom("random", "ada");
    expect((reloaded.find(MESSAGE) as HTMLInputElement).value).toBe("half a thought");
    const again = await openRoom("random", "ada");
    expect((again.find(MESSAGE) as HTMLInputElement).value).toBe("");
  });

  it("keeps each room's draft apart", async () => {
    const session = await storedSession(ex, cookies.ada);
    const ada = await openRoom("help", "ada", { session });
    await ada.call("chat_recover", { form: { message: "for help only" } });
    expect((((await openRoom("general", "ada")).find(MESSAGE)) as HTMLInputElement).value).toBe("");
    expect((((await openRoom("help", "ada")).find(MESSAGE)) as HTMLInputElement).value).toBe("for help only");
  });

  it("forgets the draft once the message is sent", async () => {
    const session = await storedSession(ex, cookies.bob);
    const bob = await openRoom("general", "bob", { session });
    await bob.call("chat_recover", { form: { message: "sent soon" } });
    expect(session.chatDrafts).toEqual({ "chat-general": "sent soon" });
    await say(bob, "sent soon");
    expect(session.chatDrafts).toEqual({});
    expect((((await openRoom("general", "bob")).find(MESSAGE)) as HTMLInputElement).value).toBe("");
  });

  it("keeps at most 500 characters of a draft", async () => {
    const session = await storedSession(ex, cookies.carol);
    const carol = await openRoom("general", "carol", { session });
    await carol.call("chat_recover", { form: { message: "z".repeat(600) } });
    expect(session.chatDrafts?.["chat-general"]).toBe("z".repeat(500));
  });

  it("keeps nothing for a visitor, whose browser has no stored session, but lists them again", async () => {
    const save = jest.fn();
    const visitor = await openRoom("general", null, { session: { save } });
    const ack = await visitor.call("chat_recover", { form: { message: "a guest's words" } });
    expect(ack.ok).toBe(true);
    expect(save).not.toHaveBeenCalled();
    expect(online(visitor)).toEqual(["1 guest"]);
  });

  it("does nothing for a page outside the chat rooms", async () => {
    const save = jest.fn();
    const home = await testPage.render(ex.app, "/", { user: { name: "ada" }, session: { save } });
    pages.push(home);
    await home.call("chat_recover", { form: { message: "not a chat" } });
    expect(save).not.toHaveBeenCalled();
    expect(home.updates).toEqual([]);
  });
});
