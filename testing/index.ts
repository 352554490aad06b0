/// <reference lib="dom" />
export { testPage, TestPage } from "./test_page.js";
export type { TestPageOptions, TestPageFactory, RecordedScript } from "./test_page.js";
export { TestHub } from "./test_hub.js";
export type { LiveViewSends } from "./test_hub.js";
export type { RenderedRoute, RouteSource } from "./render_route.js";
