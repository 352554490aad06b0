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
} from "../../protocol/index.js";
import { ledgerScope, type CallLedger, type Claim } from "./call_ledger.js";
import { tabIdOf } from "./tab_id.js";
import type { UploadStore } from "../uploads/upload_store.js";
import { CallQueue } from "./call_queue.js";
import { splitArgs, type Ack as AckOf } from "./event_args.js";
import { describeError, errorUpdate, handlerErrorUpdate, unknownFunctionUpdate } from "./errors.js";
import { getLogger } from "../logger.js";
import { NO_AFTER_CALLS, runAfterCall, runMiddleware } from "../handlers/middleware.js";
import type { LiveViewRegistry } from "../handlers/registry.js";
import { send } from "../handlers/send.js";
import { isThenable } from "./thenable.js";
import type { ShutdownTracker } from "./shutdown.js";
import type { OversizedDetail } from "../wire/size_limited_parser.js";
import type { AfterCall, Consumer, HandlerContent } from "../types.js";

type Ack = AckOf<CallAck>;

export interface DispatchOptions {
  registry: LiveViewRegistry;
  /** Calls one socket may have waiting; past it, calls are refused with a clear error. */
  maxQueuedCalls: number;
  /** Recent call ids of each tab, so a resent call runs once. */
  ledger: CallLedger;
  /** Completed uploads, taken by the call that names them. */
  uploads: UploadStore;
  /** Counts calls in flight for a graceful shutdown, and holds calls back while draining. */
  shutdown: ShutdownTracker;
}

/**
 * Wires one socket: validates each call, runs middleware and the handler in arrival order, sends error
 * updates to that client only, and acks every call exactly once. Nothing thrown here escapes to socket.io.
 *
 * Calls are taken in a socket.io packet middleware, as each packet is decoded: socket.io's own dispatch
 * (a tick deferred per packet, then an event emitter) is only used for the internal events (uploads).
 */
export function attachDispatcher(socket: Socket, consumer: Consumer, options: DispatchOptions): void {
  const queue = new CallQueue(options.maxQueuedCalls);
  // Made once per socket: the ledger keys each call by this string, so a call makes no new one.
  const scope = ledgerScope(consumer.room, tabIdOf(socket));
  const { shutdown } = options;
  let overflowLogged = false;

  const reply = (update: Update): void => send(consumer, update);
  const refuse = (ack: Ack | undefined, code: ErrorCode, message: string, update?: Update): void => {
    send(consumer, update ?? errorUpdate(code, message));
    ack?.({ ok: false, error: message });
  };

  const onCall = (payload: unknown, socketAck: Ack | undefined): void => {
    const ack = socketAck ? shutdown.begin(socket, socketAck) : undefined;
    if (ack === null || (!socketAck && shutdown.draining)) return;
    const accepted = queue.push(() => {
      // processCall catches handler errors; this catch is for the rest (a throwing logger) so the queue never stalls.
      let result: CallAck | Promise<CallAck>;
      try {
        result = processCall(consumer, scope, payload, options, reply);
      } catch {
        result = internalError();
      }
      if (!(result instanceof Promise)) return ack?.(result);
      return result.catch(internalError).then((value) => ack?.(value));
    });
    if (accepted) {
      overflowLogged = false;
      return;
    }
    if (!overflowLogged) getLogger().warn(`[liveview] socket ${socket.id} has too many calls waiting; refusing more`);
    overflowLogged = true;
    refuse(ack, ERROR_CODES.overloaded, "Too many calls waiting: slow down");
  };

  const onOversized = (payload: unknown, ack: Ack | undefined): void => {
    const detail = payload as Partial<OversizedDetail> | undefined;
    const message = `Message too large: ${Number(detail?.bytes) || "?"} bytes, the limit is ${Number(detail?.limit) || "?"}`;
    getLogger().warn(`[liveview] socket ${socket.id}: ${message}`);
    refuse(ack, ERROR_CODES.tooLarge, message);
  };

  socket.use((packet, next) => {
    const event: unknown = packet[0];
    if (event === LIVEVIEW_EVENT || event === OVERSIZED_EVENT) {
      // [event, payload?, ack?]: socket.io appends the ack when the client asked for one.
      const { payload, ack } = splitArgs<CallAck>(packet, 1);
      return event === LIVEVIEW_EVENT ? onCall(payload, ack) : onOversized(payload, ack);
    }
    if (typeof event === "string" && event.startsWith(INTERNAL_EVENT_PREFIX)) return next();
    const { ack } = splitArgs<CallAck>(packet, 1);
    const message = `Unknown event: ${String(event).slice(0, 100)}`;
    getLogger().warn(`[liveview] socket ${socket.id}: ${message}`);
    refuse(ack, ERROR_CODES.unknownEvent, message);
  });
}

const internalError = (): CallAck => ({ ok: false, error: "Internal error" });


/**
 * Validates, de-duplicates by call id, runs the call and returns its ack: at once when the ledger, the
 * middleware and the handler all finish at once (the common case, with no promise made), else a promise.
 */
function processCall(
  consumer: Consumer,
  scope: string,
  payload: unknown,
  options: DispatchOptions,
  reply: (update: Update) => void,
): CallAck | Promise<CallAck> {
  const checked = validateCall(payload);
  if (!checked.ok) {
    getLogger().warn(`[liveview] socket ${consumer.id}: ${checked.error}`);
    reply(errorUpdate(ERROR_CODES.invalidMessage, checked.error));
    return { ok: false, error: checked.error };
  }
  const { call } = checked;
  if (!call.id) return executeCall(consumer, call, options, reply);
  const claimed = options.ledger.claim(scope, call.id);
  if (isThenable(claimed)) {
    return Promise.resolve(claimed).then((claim) => runClaimed(claim, consumer, scope, call, options, reply));
  }
  return runClaimed(claimed, consumer, scope, call, options, reply);
}

/** Runs a call the ledger let through once, and records its ack for duplicates; a duplicate gets the first run's ack. */
function runClaimed(
  claim: Claim,
  consumer: Consumer,
  scope: string,
  call: CallMessage,
  options: DispatchOptions,
  reply: (update: Update) => void,
): CallAck | Promise<CallAck> {
  if (!claim.first) return Promise.resolve(claim.ack);
  const settle = (ack: CallAck): CallAck => {
    options.ledger.settle(scope, call.id, ack);
    return ack;
  };
  const failed = (error: unknown): never => {
    settle(internalError());
    throw error;
  };
  let result: CallAck | Promise<CallAck>;
  try {
    result = executeCall(consumer, call, options, reply);
  } catch (error) {
    return failed(error);
  }
  return result instanceof Promise ? result.then(settle, failed) : settle(result);
}

/** Looks the handler up, runs middleware and the handler, and sends error updates to this client only. */
function executeCall(
  consumer: Consumer,
  call: CallMessage,
  options: DispatchOptions,
  reply: (update: Update) => void,
): CallAck | Promise<CallAck> {
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
  const failed = (error: unknown): CallAck => {
    logger.error(`[liveview] handler "${name}" failed: ${describeError(error)}`, error);
    const update = handlerErrorUpdate(name, error);
    reply(update);
    return { ok: false, error: update.error ?? name };
  };
  const finish = (after: readonly AfterCall[], ack: CallAck): CallAck => {
    if (after.length > 0) runAfterCall(after, ack, (error) => logger.error(`[liveview] after-call of "${name}" failed`, error));
    return ack;
  };
  const runHandler = (after: readonly AfterCall[]): CallAck | Promise<CallAck> => {
    let result: unknown;
    try {
      result = handler(consumer, content);
    } catch (error) {
      return finish(after, failed(error));
    }
    if (!isThenable(result)) return finish(after, { ok: true });
    return Promise.resolve(result).then(
      () => finish(after, { ok: true }),
      (error: unknown) => finish(after, failed(error)),
    );
  };
  const middlewares = registry.getMiddlewares();
  if (middlewares.length === 0) return runHandler(NO_AFTER_CALLS);
  return runMiddleware(middlewares, consumer, content, name).then(
    (proceed) => (proceed === false ? { ok: false, error: `Cancelled: ${name}` } : runHandler(proceed)),
    failed,
  );
}
