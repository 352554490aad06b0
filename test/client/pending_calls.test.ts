import { LiveViewClient } from "../../controllers/live_view_client";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

let client: LiveViewClient;
let connection: FakeConnection;

beforeEach(() => {
  const fake = fakeFactory();
  client = new LiveViewClient(document, {}, fake.factory);
  connection = fake.get();
  connection.holdAcks = true;
});

afterEach(() => {
  client.disconnect();
  document.body.innerHTML = "";
});

describe("getPendingCalls", () => {
  it("counts each call from the time it is made until its ack, once", async () => {
    client.connect();
    document.body.innerHTML = `<button data-data-id="1">Save</button>`;
    expect(client.getPendingCalls()).toBe(0);
    const fromPage = client.sendData("ping");
    const fromElement = client.callFrom(document.querySelector("button")!, "save");
    expect(client.getPendingCalls()).toBe(2);
    connection.release();
    await Promise.all([fromPage, fromElement]);
    expect(client.getPendingCalls()).toBe(0);
  });

  it("counts a call made while disconnected, and a failed one no longer", async () => {
    connection.ack = { ok: false, error: "boom" };
    const call = client.sendData("ping");
    expect(client.getPendingCalls()).toBe(1);
    connection.release();
    await expect(call).resolves.toEqual({ ok: false, error: "boom" });
    expect(client.getPendingCalls()).toBe(0);
  });
});
