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

  it("comes back on a reconnection", () => {
    client.connect();
    connection.events.disconnected("transport close");
    expect(html.hasAttribute("data-liveview-connected")).toBe(false);
    connection.events.reconnected(false);
    connection.events.connected();
    expect(html.hasAttribute("data-liveview-connected")).toBe(true);
  });

  it("follows the socket, not the browser's offline event", () => {
    client.connect();
    window.dispatchEvent(new Event("offline"));
    expect(html.hasAttribute("data-liveview-connected")).toBe(true);
  });
});
