/// <reference lib="dom" />
export { testPage, TestPage } from "./test_page.js";
export type { TestPageOptions, TestPageFactory, RecordedScript, RecordedDispatch } from "./test_page.js";
export { TestHub } from "./test_hub.js";
export type { LiveViewSends } from "./test_hub.js";
export type { RenderedRoute, RouteSource } from "./render_route.js";
export { waitForLiveView } from "./wait_for_live_view.js";
export type { WaitablePage, WaitForLiveViewOptions } from "./wait_for_live_view.js";
