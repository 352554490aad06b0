import { LiveViewClient } from "../../controllers/live_view_client";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

const html = document.documentElement;
let client: LiveViewClient;
let connection: FakeConnection;

beforeEach(() => {
  const fake = fakeFactory();
  client = new LiveViewClient(document, {}, fake.factory);
  connection = fake.get();
});

afterEach(() => {
  client.disconnect();
  document.body.innerHTML = "";
});

describe("<html data-liveview-connected>", () => {
  it("is present, empty, while the socket is connected and gone once it disconnects", () => {
    expect(html.hasAttribute("data-liveview-connected")).toBe(false);
    client.connect();
    expect(html.getAttribute("data-liveview-connected")).toBe("");
    connection.disconnect();
    expect(html.hasAttribute("data-liveview-connected")).toBe(false);
  });

  it("comes back on a reconnection, once the server's ready has come", () => {
    client.connect();
    connection.events.disconnected("transport close");
    expect(html.hasAttribute("data-liveview-connected")).toBe(false);
    connection.connectedState = "connected";
    connection.events.reconnected(false);
    connection.events.connected();
    // Connected but not yet primed: a test waiting on the attribute must not run before the ready's version and room.
    expect(html.hasAttribute("data-liveview-connected")).toBe(false);
    connection.events.ready({ version: "v2" });
    expect(html.hasAttribute("data-liveview-connected")).toBe(true);
  });

  it("is not set by a ready that arrives after the socket dropped again", () => {
    client.connect();
    connection.disconnect();
    connection.events.ready({});
    expect(html.hasAttribute("data-liveview-connected")).toBe(false);
  });

  it("follows the socket, not the browser's offline event", () => {
    client.connect();
    window.dispatchEvent(new Event("offline"));
    expect(html.hasAttribute("data-liveview-connected")).toBe(true);
  });
});
