export { createLiveView, DEFAULT_MAX_PAYLOAD_BYTES, DEFAULT_RECOVERY_WINDOW_MS } from "./create_liveview.js";
export { MemoryCallLedger } from "./calls/call_ledger.js";
export type { CallLedger, Claim, MemoryLedgerOptions } from "./calls/call_ledger.js";
export { RedisCallLedger } from "./redis/redis_call_ledger.js";
export type { RedisEvalClient, RedisLedgerOptions } from "./redis/redis_call_ledger.js";
export type { RedisClientLike } from "./redis/redis_scale_out.js";
export type { ShutdownOptions } from "./calls/shutdown.js";
export type { LiveView, LiveViewOptions } from "./create_liveview.js";
export { liveviewHandler, liveviewRegistry, LiveViewRegistry } from "./handlers/registry.js";
export type { HandlerOptions, HandlerEntry, RegistrationListener } from "./handlers/registry.js";
export { defineHandler, isHandlerDefinition } from "./handlers/define_handler.js";
export type { DefineHandlerOptions, HandlerDefinition, TypedContent, TypedHandler } from "./handlers/define_handler.js";
export type { StandardSchemaV1, StandardSchemaProps, StandardResult, StandardIssue, InferOutput } from "./handlers/standard_schema.js";
export type { InvalidFields } from "./handlers/check_input.js";
export { send } from "./handlers/send.js";
export type { SendOptions } from "./handlers/send.js";
export { renderToString, configureViews, TemplateRenderer } from "./views/rendering.js";
export { NunjucksRenderer } from "./views/engines/nunjucks_renderer.js";
export { EjsRenderer } from "./views/engines/ejs_renderer.js";
export { TemplateError } from "./views/engines/template_error.js";
export { ENGINE_NAMES } from "./views/engines/engine_names.js";
export type { EngineName } from "./views/engines/engine_names.js";
export type { ViewRenderer, RoomSigner } from "./views/engines/view_renderer.js";
export type { NunjucksEnvironment } from "./views/engines/nunjucks_types.js";
export { configureDjangoKit } from "./views/django/kit_settings.js";
export type { DjangoKitOptions } from "./views/django/kit_settings.js";
export { namedRoute, reverse } from "./views/django/named_routes.js";
export type { RouteArgs } from "./views/django/named_routes.js";
export { cspMiddleware, STRICT_CSP_DIRECTIVES } from "./security/csp.js";
export type { CspOption } from "./security/csp.js";
export type { UploadedFile } from "./uploads/upload_store.js";
export type { HandlerUploadOptions, HandlerUploads, UploadOptions } from "./uploads/upload_limits.js";
export type {
  HandlerContent,
  Consumer,
  ConsumerScope,
  Handler,
  Middleware,
  AfterCall,
  ErrorHook,
  ServerLogger,
  LiveViewRequest,
  SessionMiddleware,
  ExpressAppLike,
} from "./types.js";
export type { CallContent, Update, CallAck, JsonValue, LiveViewCommand } from "../protocol/index.js";
