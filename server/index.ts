export { createLiveView, DEFAULT_MAX_PAYLOAD_BYTES } from "./create_liveview.js";
export type { LiveView, LiveViewOptions } from "./create_liveview.js";
export { liveviewHandler, liveviewRegistry, LiveViewRegistry } from "./registry.js";
export { send } from "./send.js";
export type { SendOptions } from "./send.js";
export { renderToString, configureViews } from "./rendering.js";
export type {
  Consumer,
  ConsumerScope,
  Handler,
  Middleware,
  ServerLogger,
  LiveViewRequest,
  SessionMiddleware,
  ExpressAppLike,
} from "./types.js";
export type { CallContent, Update, CallAck, JsonValue } from "../protocol/index.js";
