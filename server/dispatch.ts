import type { Socket } from "socket.io";
import {
  ERROR_CODES,
  INTERNAL_EVENT_PREFIX,
  LIVEVIEW_EVENT,
  OVERSIZED_EVENT,
  validateCall,
  type CallAck,
  type CallContent,
  type ErrorCode,
  type Update,
} from "../protocol/index.js";
import { CallQueue } from "./call_queue.js";
import { describeError, errorUpdate, handlerErrorUpdate, unknownFunctionUpdate } from "./errors.js";
import { getLogger } from "./logger.js";
import { runMiddleware } from "./middleware.js";
import type { LiveViewRegistry } from "./registry.js";
import { send } from "./send.js";
import type { OversizedDetail } from "./size_limited_parser.js";
import type { Consumer } from "./types.js";

type Ack = (ack: CallAck) => void;

export interface DispatchOptions {
  registry: LiveViewRegistry;
  /** Calls one socket may have waiting; past it, calls are refused with a clear error. */
  maxQueuedCalls: number;
}

/** Splits socket.io event arguments into the payload and the ack callback, calling the ack at most once. */
function splitArgs(args: unknown[]): { payload: unknown; ack: Ack | undefined } {
  const last = args[args.length - 1];
  if (typeof last !== "function") return { payload: args[0], ack: undefined };
  let acked = false;
  const ack: Ack = (value) => {
    if (acked) return;
    acked = true;
    (last as Ack)(value);
  };
  return { payload: args.length > 1 ? args[0] : undefined, ack };
}

/**
 * Wires one socket: validates each call, runs middleware and the handler in arrival order, sends error
 * updates to that client only, and acks every call exactly once. Nothing thrown here escapes to socket.io.
 */
export function attachDispatcher(socket: Socket, consumer: Consumer, options: DispatchOptions): void {
  const queue = new CallQueue(options.maxQueuedCalls);
  let overflowLogged = false;

  const refuse = (ack: Ack | undefined, code: ErrorCode, message: string, update?: Update): void => {
    send(consumer, update ?? errorUpdate(code, message));
    ack?.({ ok: false, error: message });
  };

  socket.on(LIVEVIEW_EVENT, (...args: unknown[]) => {
    const { payload, ack } = splitArgs(args);
    // runCall catches handler errors; this catch is for the rest (a throwing logger) so the queue never stalls.
    const accepted = queue.push(() =>
      runCall(consumer, payload, ack, options.registry, refuse).catch(() =>
        ack?.({ ok: false, error: "Internal error" }),
      ),
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
    const { payload, ack } = splitArgs(args);
    const detail = payload as Partial<OversizedDetail> | undefined;
    const message = `Message too large: ${Number(detail?.bytes) || "?"} bytes, the limit is ${Number(detail?.limit) || "?"}`;
    getLogger().warn(`[liveview] socket ${socket.id}: ${message}`);
    refuse(ack, ERROR_CODES.tooLarge, message);
  });

  socket.onAny((event: unknown, ...args: unknown[]) => {
    if (event === LIVEVIEW_EVENT || event === OVERSIZED_EVENT) return;
    if (typeof event === "string" && event.startsWith(INTERNAL_EVENT_PREFIX)) return;
    const { ack } = splitArgs(args);
    const message = `Unknown event: ${String(event).slice(0, 100)}`;
    getLogger().warn(`[liveview] socket ${socket.id}: ${message}`);
    refuse(ack, ERROR_CODES.unknownEvent, message);
  });
}

type Refuse = (ack: Ack | undefined, code: ErrorCode, message: string, update?: Update) => void;

async function runCall(
  consumer: Consumer,
  payload: unknown,
  ack: Ack | undefined,
  registry: LiveViewRegistry,
  refuse: Refuse,
): Promise<void> {
  const logger = getLogger();
  const checked = validateCall(payload);
  if (!checked.ok) {
    logger.warn(`[liveview] socket ${consumer.id}: ${checked.error}`);
    return refuse(ack, ERROR_CODES.invalidMessage, checked.error);
  }
  const { call } = checked;
  const name = call.function;
  const handler = registry.getHandler(name);
  if (!handler) {
    const update = unknownFunctionUpdate(name, () => registry.listFunctions());
    logger.warn(`[liveview] socket ${consumer.id}: ${update.error}`);
    return refuse(ack, ERROR_CODES.unknownFunction, update.error ?? name, update);
  }
  consumer.scope.lang = call.lang;
  const content: CallContent = { function: name, data: call.data, form: call.form, lang: call.lang, room: consumer.room };
  try {
    if (!(await runMiddleware(registry.getMiddlewares(), consumer, content, name))) {
      ack?.({ ok: false, error: `Cancelled: ${name}` });
      return;
    }
    await handler(consumer, content);
    ack?.({ ok: true });
  } catch (error) {
    logger.error(`[liveview] handler "${name}" failed: ${describeError(error)}`, error);
    const update = handlerErrorUpdate(name, error);
    refuse(ack, ERROR_CODES.handlerError, update.error ?? name, update);
  }
}
