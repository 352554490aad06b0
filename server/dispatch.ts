import type { Socket } from "socket.io";
import {
  ERROR_CODES,
  INTERNAL_EVENT_PREFIX,
  LIVEVIEW_EVENT,
  OVERSIZED_EVENT,
  validateCall,
  type CallAck,
  type CallMessage,
  type ErrorCode,
  type Update,
} from "../protocol/index.js";
import type { CallLedger } from "./call_ledger.js";
import type { UploadStore } from "./uploads/upload_store.js";
import { CallQueue } from "./call_queue.js";
import { splitArgs, type Ack as AckOf } from "./event_args.js";
import { describeError, errorUpdate, handlerErrorUpdate, unknownFunctionUpdate } from "./errors.js";
import { getLogger } from "./logger.js";
import { runAfterCall, runMiddleware } from "./middleware.js";
import type { LiveViewRegistry } from "./registry.js";
import { send } from "./send.js";
import type { OversizedDetail } from "./size_limited_parser.js";
import type { AfterCall, Consumer, HandlerContent } from "./types.js";

type Ack = AckOf<CallAck>;

export interface DispatchOptions {
  registry: LiveViewRegistry;
  /** Calls one socket may have waiting; past it, calls are refused with a clear error. */
  maxQueuedCalls: number;
  /** Recent call ids, so a resent call runs once. */
  ledger: CallLedger;
  /** Completed uploads, taken by the call that names them. */
  uploads: UploadStore;
}


/**
 * Wires one socket: validates each call, runs middleware and the handler in arrival order, sends error
 * updates to that client only, and acks every call exactly once. Nothing thrown here escapes to socket.io.
 */
export function attachDispatcher(socket: Socket, consumer: Consumer, options: DispatchOptions): void {
  const queue = new CallQueue(options.maxQueuedCalls);
  let overflowLogged = false;

  const reply = (update: Update): void => send(consumer, update);
  const refuse = (ack: Ack | undefined, code: ErrorCode, message: string, update?: Update): void => {
    send(consumer, update ?? errorUpdate(code, message));
    ack?.({ ok: false, error: message });
  };

  socket.on(LIVEVIEW_EVENT, (...args: unknown[]) => {
    const { payload, ack } = splitArgs<CallAck>(args);
    // processCall catches handler errors; this catch is for the rest (a throwing logger) so the queue never stalls.
    const accepted = queue.push(() =>
      processCall(consumer, payload, options, reply)
        .catch((): CallAck => ({ ok: false, error: "Internal error" }))
        .then((value) => ack?.(value)),
    );
    if (accepted) {
      overflowLogged = false;
      return;
    }
    if (!overflowLogged) getLogger().warn(`[liveview] socket ${socket.id} has too many calls waiting; refusing more`);
    overflowLogged = true;
    refuse(ack, ERROR_CODES.overloaded, "Too many calls waiting: slow down");
  });

  socket.on(OVERSIZED_EVENT, (...args: unknown[]) => {
    const { payload, ack } = splitArgs<CallAck>(args);
    const detail = payload as Partial<OversizedDetail> | undefined;
    const message = `Message too large: ${Number(detail?.bytes) || "?"} bytes, the limit is ${Number(detail?.limit) || "?"}`;
    getLogger().warn(`[liveview] socket ${socket.id}: ${message}`);
    refuse(ack, ERROR_CODES.tooLarge, message);
  });

  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (event === LIVEVIEW_EVENT || event === OVERSIZED_EVENT) return;
    if (typeof event === "string" && event.startsWith(INTERNAL_EVENT_PREFIX)) return;
    const { ack } = splitArgs<CallAck>(args);
    const message = `Unknown event: ${String(event).slice(0, 100)}`;
    getLogger().warn(`[liveview] socket ${socket.id}: ${message}`);
    refuse(ack, ERROR_CODES.unknownEvent, message);
  });
}

/** Validates, de-duplicates by call id, runs the call and returns its ack. */
async function processCall(
  consumer: Consumer,
  payload: unknown,
  options: DispatchOptions,
  reply: (update: Update) => void,
): Promise<CallAck> {
  const checked = validateCall(payload);
  if (!checked.ok) {
    getLogger().warn(`[liveview] socket ${consumer.id}: ${checked.error}`);
    reply(errorUpdate(ERROR_CODES.invalidMessage, checked.error));
    return { ok: false, error: checked.error };
  }
  const { call } = checked;
  if (!call.id) return executeCall(consumer, call, options, reply);
  const claimed = options.ledger.claim(consumer.room, call.id);
  const claim = claimed instanceof Promise ? await claimed : claimed;
  if (!claim.first) return claim.ack;
  let ack: CallAck = { ok: false, error: "Internal error" };
  try {
    ack = await executeCall(consumer, call, options, reply);
  } finally {
    options.ledger.settle(consumer.room, call.id, ack);
  }
  return ack;
}

/** Looks the handler up, runs middleware and the handler, and sends error updates to this client only. */
async function executeCall(
  consumer: Consumer,
  call: CallMessage,
  options: DispatchOptions,
  reply: (update: Update) => void,
): Promise<CallAck> {
  const { registry } = options;
  const logger = getLogger();
  const name = call.function;
  const handler = registry.getHandler(name);
  if (!handler) {
    const update = unknownFunctionUpdate(name, () => registry.listFunctions());
    logger.warn(`[liveview] socket ${consumer.id}: ${update.error}`);
    reply(update);
    return { ok: false, error: update.error ?? name };
  }
  const files = call.uploads ? options.uploads.take(consumer.room, call.uploads) : { ok: true as const, value: {} };
  if (!files.ok) {
    logger.warn(`[liveview] socket ${consumer.id}: ${files.error}`);
    reply(errorUpdate(ERROR_CODES.uploadRejected, files.error));
    return { ok: false, error: files.error };
  }
  consumer.scope.lang = call.lang;
  const content: HandlerContent = {
    function: name,
    data: call.data,
    form: call.form,
    lang: call.lang,
    room: consumer.room,
    files: files.value,
  };
  let after: readonly AfterCall[] = [];
  let ack: CallAck;
  try {
    const proceed = await runMiddleware(registry.getMiddlewares(), consumer, content, name);
    if (proceed === false) return { ok: false, error: `Cancelled: ${name}` };
    after = proceed;
    await handler(consumer, content);
    ack = { ok: true };
  } catch (error) {
    logger.error(`[liveview] handler "${name}" failed: ${describeError(error)}`, error);
    const update = handlerErrorUpdate(name, error);
    reply(update);
    ack = { ok: false, error: update.error ?? name };
  }
  if (after.length > 0) runAfterCall(after, ack, (error) => logger.error(`[liveview] after-call of "${name}" failed`, error));
  return ack;
}
