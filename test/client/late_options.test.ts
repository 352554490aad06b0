import { Application } from "@hotwired/stimulus";
import { connectLiveView, getLiveViewClient, resetLiveView } from "../../controllers/connect_live_view";
import { PageController } from "../../controllers/page_controller";
import type { ConnectionFactory } from "../../controllers/live_view_client";
import type { ResolvedConfig } from "../../controllers/transport/connection_config";
import { FakeConnection } from "../support/fake_connection";

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Every connection made, with the config it was made with. */
let made: Array<{ config: ResolvedConfig; connection: FakeConnection }>;
const factory: ConnectionFactory = (config, _room, events) => {
  const connection = new FakeConnection(events);
  made.push({ config, connection });
  return connection;
};

let application: Application | null;

beforeEach(() => {
  made = [];
  application = null;
  delete window.webSocketConfig;
});

afterEach(async () => {
  document.body.removeAttribute("data-controller");
  document.body.innerHTML = "";
  await settle();
  application?.stop();
  resetLiveView();
  delete window.webSocketConfig;
});

/** A page controller connects first, and so the client, with window.webSocketConfig alone. */
async function controllerConnectsFirst(): Promise<void> {
  resetLiveView(factory);
  window.webSocketConfig = { path: "/ws/app/" };
  document.body.setAttribute("data-controller", "page");
  application = Application.start();
  application.register("page", PageController);
  await settle();
}

it("throws a clear error naming the fix when options come after a page controller connected", async () => {
  await controllerConnectsFirst();
  // The controller's client exists (made with webSocketConfig alone) before the app's late call.
  expect(made.map(({ config }) => config.path)).toEqual(["/ws/app/"]);
  const client = getLiveViewClient();
  expect(() => connectLiveView({ debug: true, reconnect: { attempts: 9 } })).toThrow(
    /already connected \(a "page" controller or a this\.call\(\) connected it first, with window\.webSocketConfig alone\), so its options "debug", "reconnect" would be lost\. Call connectLiveView\(options\) before Stimulus connects a page controller \(before application\.register\("page", PageController\)\), or set window\.webSocketConfig/,
  );
  expect(window.LiveView).toBe(client);
});

it("returns the same object for a late call with no options, or with the options already in use", async () => {
  window.webSocketConfig = { debug: false, reconnect: { attempts: 3, delay: 100 } };
  const first = connectLiveView({ morph: true }, factory);
  expect(connectLiveView()).toBe(first);
  expect(connectLiveView({ morph: true, debug: false, reconnect: { delay: 100, attempts: 3 } })).toBe(first);
  expect(connectLiveView({ debug: undefined })).toBe(first);
  expect(made).toHaveLength(1);
});

it("throws when connectLiveView is called again with other options", () => {
  connectLiveView({ path: "/ws/one/" }, factory);
  expect(() => connectLiveView({ path: "/ws/two/" })).toThrow(/connectLiveView was already called with other options\), so its options "path" would be lost/);
  expect(made).toHaveLength(1);
});

it("uses the options of a connectLiveView made before the page controller connects", async () => {
  connectLiveView({ path: "/ws/early/", morph: true }, factory);
  document.body.setAttribute("data-controller", "page");
  application = Application.start();
  application.register("page", PageController);
  await settle();
  expect(made).toHaveLength(1);
  expect(made[0].config).toMatchObject({ path: "/ws/early/", morph: true });
});
