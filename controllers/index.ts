export { PageController } from "./page_controller.js";
export { connectLiveView } from "./connect_live_view.js";
export { LiveViewMixin } from "./live_view_mixin.js";
export type { LiveViewCallOptions } from "./live_view_mixin.js";
export type { CallDetail, CallCallbacks } from "./calls/call_lifecycle.js";
export type { LiveViewApi } from "./live_view_client.js";
export type { LiveViewConfig } from "./transport/connection_config.js";
export type { ConnectionStatus } from "./transport/connection.js";
export type { CallAck, CallMessage, Update, JsonValue, LiveViewCommand } from "../protocol/index.js";
