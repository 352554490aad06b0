import { Application } from "@hotwired/stimulus";
import { connectLiveView, resetLiveView } from "../../controllers/connect_live_view";
import { collectData } from "../../controllers/dom/collect_payload";
import { collectPlainData } from "../../controllers/dom/collect_plain_data";
import { PageController } from "../../controllers/page_controller";
import { fakeFactory, type FakeConnection } from "../support/fake_connection";

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function element(html: string, selector = "#el"): Element {
  document.body.innerHTML = html;
  return document.querySelector(selector)!;
}

describe("collectPlainData", () => {
  it("takes plain data-* attributes, camelCased as dataset does (Django LiveView's data-page)", () => {
    expect(collectPlainData(element(`<button id="el" data-page="2" data-modal-id="7" data-a-b-c="x" data-flag></button>`))).toEqual({
      page: "2",
      modalId: "7",
      aBC: "x",
      flag: "",
    });
  });

  it("leaves out what is ours or Stimulus's", () => {
    const el = element(`<div data-controller="chart"><button id="el" data-action="click->page#run" data-controller="x"
      data-liveview-function="f" data-liveview-debounce="3" data-data-id="1" data-chart-target="bar" data-page-id-param="3"
      data-chart-url-value="/u" data-chart-active-class="on" data-chart-list-outlet="#l" data-x-n-value="1" data-kept="k"></button></div>`);
    expect(collectPlainData(el)).toEqual({ kept: "k" });
  });

  it("keeps -value, -class and -outlet attributes of names that are no controller around the element", () => {
    const el = element(`<div data-controller="chart"><input id="el" data-default-value="5" data-css-class="wide" data-target="#modal"></div>`);
    expect(collectPlainData(el)).toEqual({ defaultValue: "5", cssClass: "wide", target: "#modal" });
  });
});

describe("collectData with plain data", () => {
  it("sends only data-data-* by default", () => {
    expect(collectData(element(`<button id="el" data-page="2" data-data-id="1"></button>`))).toEqual({ id: "1" });
  });

  it("lets data-data-* win over a plain attribute of the same name", () => {
    expect(collectData(element(`<button id="el" data-page="plain" data-data-page="ours" data-other="o"></button>`), true)).toEqual({
      page: "ours",
      other: "o",
    });
  });
});

describe("a call with plain data turned on", () => {
  let application: Application;
  let connection: FakeConnection;

  async function start(html: string, options: { plainData?: boolean } = {}): Promise<void> {
    document.body.setAttribute("data-controller", "page");
    const fake = fakeFactory();
    connectLiveView(options, fake.factory);
    connection = fake.get();
    application = Application.start();
    application.register("page", PageController);
    document.body.innerHTML = html;
    await settle();
  }

  afterEach(async () => {
    document.body.removeAttribute("data-controller");
    document.documentElement.removeAttribute("data-liveview-plain-data");
    document.body.innerHTML = "";
    await settle();
    application.stop();
    resetLiveView();
  });

  const BUTTON = `<button id="b" data-page="2" data-data-id="1" data-liveview-function="more" data-action="click->page#run">More</button>`;

  it("sends plain data-* in content.data with connectLiveView({ plainData: true })", async () => {
    await start(BUTTON, { plainData: true });
    document.getElementById("b")!.click();
    expect(connection.calls[0].data).toEqual({ page: "2", id: "1" });
  });

  it("sends plain data-* in content.data with <html data-liveview-plain-data>", async () => {
    document.documentElement.setAttribute("data-liveview-plain-data", "");
    await start(BUTTON);
    document.getElementById("b")!.click();
    expect(connection.calls[0].data).toEqual({ page: "2", id: "1" });
  });

  it("sends data-data-* alone without either", async () => {
    await start(BUTTON);
    document.getElementById("b")!.click();
    expect(connection.calls[0].data).toEqual({ id: "1" });
  });
});
