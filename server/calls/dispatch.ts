import type { Socket } from "socket.io";
import {
  ERROR_CODES,
  LIVEVIEW_EVENT,
  OVERSIZED_EVENT,
  UPLOAD_EVENTS,
  validateCall,
  type CallAck,
  type PayloadLimits,
  type CallMessage,
  type ErrorCode,
  type Update,
} from "../../protocol/index.js";
import { ledgerScope, type CallLedger, type Claim } from "./call_ledger.js";
import { tabIdOf } from "./tab_id.js";
import type { UploadStore } from "../uploads/upload_store.js";
import { CallQueue, type TaskResult } from "./call_queue.js";
import { splitArgs, type Ack as AckOf } from "./event_args.js";
import { describeError, errorUpdate, handlerErrorUpdate, unknownFunctionUpdate } from "./errors.js";
import { getLogger } from "../logger.js";
import { NO_AFTER_CALLS, runAfterCall, runMiddleware } from "../handlers/middleware.js";
import type { LiveViewRegistry } from "../handlers/registry.js";
import { send } from "../handlers/send.js";
import { isThenable } from "./thenable.js";
import type { ShutdownTracker } from "./shutdown.js";
import { receivedSize, type OversizedDetail } from "../wire/size_limited_parser.js";
import type { CallRateLimiter } from "../security/call_rate_limiter.js";
import { logText } from "../security/log_text.js";
import { RefusalLog } from "../security/refusal_log.js";
import type { AfterCall, Consumer, ErrorHook, HandlerContent, Middleware } from "../types.js";
import { checkInput, invalidInputMessage, type InputCheck } from "../handlers/check_input.js";

type Ack = AckOf<CallAck>;

export interface DispatchOptions {
  registry: LiveViewRegistry;
  /** Calls one socket may have waiting; past it, calls are refused with a clear error. */
  maxQueuedCalls: number;
  /** Bytes (as received) of the calls one socket may have waiting; past it, calls are refused with `overloaded`. */
  maxQueuedBytes: number;
  /** Size charged for a waiting call whose packet size is unknown (not decoded by our parser): the largest there is. */
  maxPayloadBytes: number;
  /** Calls per socket and window; null when `rateLimit: false`. */
  rateLimiter: CallRateLimiter | null;
  /** Depth and key-count limits of a call's data and form. */
  payloadLimits: PayloadLimits;
  /** A socket's refusals are logged once per burst; a burst ends after this long without one. */
  refusalQuietMs: number;
  /** Recent call ids of each tab, so a resent call runs once. */
  ledger: CallLedger;
  /** Finished uploads, taken by the call (of this socket, for the same function) that names them. */
  uploads: UploadStore;
  /** Counts calls in flight for a graceful shutdown, and holds calls back while draining. */
  shutdown: ShutdownTracker;
  /** Told of every handler or middleware error (`createLiveView({ onError })`). */
  onError?: ErrorHook;
  /** Middleware run before the registry's for this tab only (a test page's `middleware` option). */
  tabMiddleware?: readonly Middleware[];
  /** While the `handlers` folder loads, calls wait for it (in order); `pending` is null once it has. */
  handlersLoading?: HandlersLoading;
}

/** What a call checks before it runs: the `handlers` folder's first load, while it lasts. */
export interface HandlersLoading {
  readonly pending: Promise<void> | null;
}

/** Takes one tab's calls: what a socket's packets feed in production and a test page feeds in-process. */
export interface CallReceiver {
  /** A call as received (`bytes`: its size on the wire); `ack` is answered exactly once, if given. */
  onCall(payload: unknown, ack: Ack | undefined, bytes: number): void;
  /** A message the parser found over the size limit. */
  onOversized(payload: unknown, ack: Ack | undefined): void;
  /** Answers a message that will not run: one error update, the ack, and a log line once per burst. */
  refuse(ack: Ack | undefined, code: ErrorCode, message: string): void;
}

/**
 * Builds the call path of one tab: validates each call, runs middleware and the handler in arrival order,
 * sends error updates to that client only, and acks every call exactly once. Nothing thrown here escapes.
 */
export function createCallReceiver(consumer: Consumer, options: DispatchOptions): CallReceiver {
  const { socket } = consumer;
  const queue = new CallQueue(options.maxQueuedCalls, options.maxQueuedBytes);
  const { shutdown, rateLimiter, handlersLoading: loading } = options;
  const refusals = new RefusalLog(getLogger, options.refusalQuietMs, `socket ${socket.id}`);
  // Made once per socket: the ledger keys each call by this string, so a call makes no new one.
  const scope = ledgerScope(consumer.room, tabIdOf(socket));

  const reply = (update: Update): void => send(consumer, update);
  /** Answers a call that will not run: one error update, the ack, and a log line once per burst. */
  const refuse = (ack: Ack | undefined, code: ErrorCode, message: string, logLine = message): void => {
    refusals.warn(code, logText(logLine));
    send(consumer, errorUpdate(code, message));
    ack?.({ ok: false, error: message });
  };

  const onCall = (payload: unknown, socketAck: Ack | undefined, bytes: number): void => {
    const ack = socketAck ? shutdown.begin(socket, socketAck) : undefined;
    if (ack === null || (!socketAck && shutdown.draining)) return;
    if (rateLimiter && !rateLimiter.take(socket.id)) {
      return refuse(ack, ERROR_CODES.rateLimited, "Too many calls: slow down", "too many calls per second; refusing them");
    }
    const run = (): TaskResult => {
      // processCall catches handler errors; this catch is for the rest (a throwing logger) so the queue never stalls.
      let result: CallAck | Promise<CallAck>;
      try {
        result = processCall(consumer, scope, payload, options, reply, refusals);
      } catch {
        result = internalError();
      }
      if (!(result instanceof Promise)) return ack?.(result);
      return result.catch(internalError).then((value) => ack?.(value));
    };
    // Holding the queue keeps the calls in order; once the folder has loaded this is one null check.
    const refused = queue.push(() => (loading?.pending ? loading.pending.then(run) : run()), bytes);
    if (refused === null) return;
    if (refused === "too_many_calls") {
      return refuse(ack, ERROR_CODES.overloaded, "Too many calls waiting: slow down", "too many calls waiting; refusing more");
    }
    refuse(ack, ERROR_CODES.overloaded, "Too many bytes of calls waiting: slow down", "too many bytes of calls waiting; refusing more");
  };

  const onOversized = (payload: unknown, ack: Ack | undefined): void => {
    const detail = payload as Partial<OversizedDetail> | undefined;
    const message = `Message too large: ${Number(detail?.bytes) || "?"} bytes, the limit is ${Number(detail?.limit) || "?"}`;
    refuse(ack, ERROR_CODES.tooLarge, message);
  };

  return { onCall, onOversized, refuse };
}

/**
 * Wires one socket to its call receiver. Calls are taken in a socket.io packet middleware, as each packet is
 * decoded: socket.io's own dispatch (a tick deferred per packet, then an event emitter) is only used for the
 * internal events (uploads).
 */
export function attachDispatcher(socket: Socket, consumer: Consumer, options: DispatchOptions): void {
  const receiver = createCallReceiver(consumer, options);
  socket.use((packet, next) => {
    const event: unknown = packet[0];
    if (event === LIVEVIEW_EVENT || event === OVERSIZED_EVENT) {
      // [event, payload?, ack?]: socket.io appends the ack when the client asked for one.
      const { payload, ack } = splitArgs<CallAck>(packet, 1);
      if (event === OVERSIZED_EVENT) return receiver.onOversized(payload, ack);
      // What the parser measured as it decoded the packet; without it, the most a packet may be.
      return receiver.onCall(payload, ack, receivedSize(packet) ?? options.maxPayloadBytes);
    }
    // Only the internal events a listener takes (uploads): any other would reach none and its ack would never come.
    if (event === UPLOAD_EVENTS.start || event === UPLOAD_EVENTS.chunk) return next();
    const { ack } = splitArgs<CallAck>(packet, 1);
    receiver.refuse(ack, ERROR_CODES.unknownEvent, `Unknown event: ${logText(event, 100)}`);
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
  refusals: RefusalLog,
): CallAck | Promise<CallAck> {
  const checked = validateCall(payload, options.payloadLimits);
  if (!checked.ok) {
    refusals.warn(checked.code, logText(checked.error));
    reply(errorUpdate(checked.code, checked.error));
    return { ok: false, error: checked.error };
  }
  const { call } = checked;
  if (!call.id) return executeCall(consumer, call, options, reply, refusals);
  const claimed = options.ledger.claim(scope, call.id);
  if (isThenable(claimed)) {
    return Promise.resolve(claimed).then((claim) => runClaimed(claim, consumer, scope, call, options, reply, refusals));
  }
  return runClaimed(claimed, consumer, scope, call, options, reply, refusals);
}

/** Runs a call the ledger let through once, and records its ack for duplicates; a duplicate gets the first run's ack. */
function runClaimed(
  claim: Claim,
  consumer: Consumer,
  scope: string,
  call: CallMessage,
  options: DispatchOptions,
  reply: (update: Update) => void,
  refusals: RefusalLog,
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
    result = executeCall(consumer, call, options, reply, refusals);
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
  refusals: RefusalLog,
): CallAck | Promise<CallAck> {
  const { registry } = options;
  const logger = getLogger();
  const name = call.function;
  const entry = registry.getEntry(name);
  if (!entry) {
    const update = unknownFunctionUpdate(name, () => registry.listFunctions());
    refusals.warn(ERROR_CODES.unknownFunction, logText(update.error));
    reply(update);
    return { ok: false, error: update.error ?? name };
  }
  // Taken now, before the middleware's await: a call that is running keeps its files if the socket then goes.
  const files = call.uploads ? options.uploads.take(consumer.id, name, call.uploads) : { ok: true as const, value: {} };
  if (!files.ok) {
    refusals.warn(files.code, logText(files.error));
    reply(errorUpdate(files.code, files.error));
    return { ok: false, error: files.error };
  }
  consumer.scope.lang = call.lang;
  const content: HandlerContent = {
    function: name,
    data: call.data,
    form: call.form,
    params: call.params ?? {},
    lang: call.lang,
    room: consumer.room,
    files: files.value,
  };
  const failed = (error: unknown): CallAck => {
    logger.error(`[liveview] handler "${logText(name)}" failed: ${logText(describeError(error))}`, error);
    reportError(options, error, consumer, content);
    const update = handlerErrorUpdate(name, error);
    reply(update);
    return { ok: false, error: update.error ?? name };
  };
  const finish = (after: readonly AfterCall[], ack: CallAck): CallAck => {
    if (after.length > 0) runAfterCall(after, ack, (error) => logger.error(`[liveview] after-call of "${logText(name)}" failed`, error));
    return ack;
  };
  const callHandler = (after: readonly AfterCall[]): CallAck | Promise<CallAck> => {
    let result: unknown;
    try {
      result = entry.fn(consumer, content);
    } catch (error) {
      return finish(after, failed(error));
    }
    if (!isThenable(result)) return finish(after, { ok: true });
    return Promise.resolve(result).then(
      () => finish(after, { ok: true }),
      (error: unknown) => finish(after, failed(error)),
    );
  };
  /** The handler's own middleware, after validation: it sees the values the schemas returned. */
  const runOwnMiddleware = (after: readonly AfterCall[]): CallAck | Promise<CallAck> => {
    if (entry.middleware.length === 0) return callHandler(after);
    return runMiddleware(entry.middleware, consumer, content, name).then(
      (proceed) => (proceed === false ? finish(after, cancelled(name)) : callHandler(proceed.length ? [...after, ...proceed] : after)),
      (error: unknown) => finish(after, failed(error)),
    );
  };
  const checked = (after: readonly AfterCall[], check: InputCheck): CallAck | Promise<CallAck> => {
    if (check.ok) {
      content.data = check.data as HandlerContent["data"];
      content.form = check.form as HandlerContent["form"];
      content.params = check.params as HandlerContent["params"];
      return runOwnMiddleware(after);
    }
    const message = invalidInputMessage(check.fields);
    refusals.warn(ERROR_CODES.invalidInput, logText(`"${name}": ${message}`));
    reply({ error: message, code: ERROR_CODES.invalidInput, function: name, fields: check.fields });
    return finish(after, { ok: false, error: message, code: ERROR_CODES.invalidInput });
  };
  const runHandler = (after: readonly AfterCall[]): CallAck | Promise<CallAck> => {
    if (!entry.input) return runOwnMiddleware(after);
    let check: InputCheck | Promise<InputCheck>;
    try {
      check = checkInput(entry.input, content);
    } catch (error) {
      return finish(after, failed(error));
    }
    if (!(check instanceof Promise)) return checked(after, check);
    return check.then(
      (result) => checked(after, result),
      (error: unknown) => finish(after, failed(error)),
    );
  };
  const middlewares = options.tabMiddleware ? [...options.tabMiddleware, ...registry.getMiddlewares()] : registry.getMiddlewares();
  if (middlewares.length === 0) return runHandler(NO_AFTER_CALLS);
  return runMiddleware(middlewares, consumer, content, name).then(
    (proceed) => (proceed === false ? cancelled(name) : runHandler(proceed)),
    failed,
  );
}

const cancelled = (name: string): CallAck => ({ ok: false, error: `Cancelled: ${name}` });

/** Hands a handler's error to the app's `onError` (an error reporting service); one that throws is logged. */
function reportError(options: DispatchOptions, error: unknown, consumer: Consumer, content: HandlerContent): void {
  if (!options.onError) return;
  try {
    options.onError(error, consumer, content);
  } catch (hookError) {
    getLogger().error(`[liveview] onError failed: ${logText(describeError(hookError))}`, hookError);
  }
}
