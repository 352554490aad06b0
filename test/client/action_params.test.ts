import { Application, Controller, type ActionEvent } from "@hotwired/stimulus";
import { connectLiveView, resetLiveView } from "../../controllers/connect_live_view";
import { collectParams } from "../../controllers/dom/collect_params";
import { PageController } from "../../controllers/page_controller";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

let application: Application;
let connection: FakeConnection;

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Records the params Stimulus itself hands an action. */
let stimulusParams: unknown = null;
class ProbeController extends Controller {
  probe(event: ActionEvent) {
    stimulusParams = event.params;
  }
}

async function mount(html: string): Promise<void> {
  document.body.innerHTML = html;
  await settle();
}

beforeEach(() => {
  stimulusParams = null;
  document.body.setAttribute("data-controller", "page");
  const fake = fakeFactory();
  connectLiveView({}, fake.factory);
  connection = fake.get();
  application = Application.start();
  application.register("page", PageController);
  application.register("probe", ProbeController);
});

afterEach(async () => {
  document.body.removeAttribute("data-controller");
  document.body.innerHTML = "";
  await settle();
  application.stop();
  resetLiveView();
});

/** Attribute values that cover Stimulus's typecasting: numbers, booleans, null, JSON objects and arrays, strings. */
const VALUES: Record<string, string> = {
  id: "3",
  price: "-2.5e3",
  done: "true",
  off: "false",
  nothing: "null",
  filter: '{"tag":"a","n":[1,2]}',
  list: '["x","y"]',
  label: "Save now",
  quoted: '"3"',
  empty: "",
  broken: "{not json",
};

const paramAttributes = (identifier: string) =>
  Object.entries(VALUES)
    .map(([name, value]) => `data-${identifier}-${name}-param='${value.replace(/'/g, "&#39;")}'`)
    .join(" ") + ` data-${identifier}-user-id-param="7" data-${identifier}-snake_case-param="s"`;

it("reads an element's params exactly as Stimulus hands them to an action", async () => {
  await mount(`<div data-controller="probe"><button id="b" data-action="click->probe#probe" ${paramAttributes("probe")}></button></div>`);
  const button = document.getElementById("b")!;
  button.click();
  expect(stimulusParams).toEqual(expect.objectContaining({ id: 3, done: true, userId: 7 }));
  expect(collectParams(button, "probe")).toEqual(stimulusParams);
});

it("sends page#run's action params as content.params, typecast (data-page-id-param=\"3\" -> 3)", async () => {
  await mount(`<button id="b" data-liveview-function="show" data-action="click->page#run" ${paramAttributes("page")} data-other-x-param="1"></button>`);
  document.getElementById("b")!.click();
  expect(connection.calls[0].params).toEqual(collectParams(document.getElementById("b")!, "page"));
  expect(connection.calls[0].params).toMatchObject({ id: 3, price: -2500, done: true, off: false, nothing: null, label: "Save now", quoted: "3", empty: "" });
  expect(connection.calls[0].params).toMatchObject({ filter: { tag: "a", n: [1, 2] }, list: ["x", "y"], broken: "{not json", userId: 7, snakeCase: "s" });
  expect(connection.calls[0].params).not.toHaveProperty("x");
});

it("reads the params of the identifier the page controller is registered under", async () => {
  application.register("liveview", PageController);
  await mount(`<div data-controller="liveview">
    <button id="b" data-liveview-function="show" data-action="click->liveview#run" data-liveview-id-param="9" data-page-id-param="1"></button></div>`);
  document.getElementById("b")!.click();
  expect(connection.calls[0].params).toEqual({ id: 9 });
});

it("sends the params of an element whose call comes from an interaction attribute (data-liveview-init)", async () => {
  await mount(`<div data-liveview-init="load" data-page-page-param="2" data-page-size-param="10"></div>`);
  await settle();
  expect(connection.calls[0]).toMatchObject({ function: "load", params: { page: 2, size: 10 } });
});

it("leaves params out of the message when the element has none", async () => {
  await mount(`<button id="b" data-liveview-function="show" data-action="click->page#run"></button>`);
  document.getElementById("b")!.click();
  expect(connection.calls[0]).not.toHaveProperty("params");
});
