import type { Socket } from "socket.io";
import {
  ERROR_CODES,
  UPLOAD_EVENTS,
  unknownFunctionMessage,
  validateUploadStart,
  type UploadAck,
  type UploadStart,
  type Update,
} from "../../protocol/index.js";
import { describeError, errorUpdate, handlerErrorUpdate } from "../calls/errors.js";
import { splitArgs, type Ack } from "../calls/event_args.js";
import { runAfterCall, runMiddleware } from "../handlers/middleware.js";
import type { LiveViewRegistry } from "../handlers/registry.js";
import { getLogger, isProduction } from "../logger.js";
import { logText } from "../security/log_text.js";
import type { RefusalLog } from "../security/refusal_log.js";
import type { Consumer, HandlerContent } from "../types.js";
import { handlerLimits, type UploadLimits } from "./upload_limits.js";
import type { Result, UploadCode, UploadStore } from "./upload_store.js";

export interface UploadContext {
  store: UploadStore;
  registry: LiveViewRegistry;
  /** The createLiveView `uploads` limits: the defaults of `uploads: true` and the ceiling of every handler's own. */
  ceiling: UploadLimits;
  /** The tab's refusal log: one line per burst of refused uploads, as for refused calls. */
  refusals: RefusalLog;
}

type Refusal = { error: string; code: UploadCode };

const isChunk = (value: unknown): value is { uploadId: string; offset: number; data: Buffer } => {
  if (typeof value !== "object" || value === null) return false;
  const chunk = value as Record<string, unknown>;
  return typeof chunk.uploadId === "string" && Number.isSafeInteger(chunk.offset) && Buffer.isBuffer(chunk.data);
};

/**
 * Receives a socket's file uploads: announcements and binary chunks, each acknowledged, outside the call queue so
 * other calls are answered while a large file goes up. An announcement names its handler: it is admitted only if
 * that handler declares uploads, the file fits its limits and the caps, and the registry's middleware lets it
 * through; before that no byte is stored. A refused upload gets an error update and an `{ ok: false }` ack; what
 * the socket had not handed to a call goes when it disconnects.
 */
export function attachUploads(
  socket: Socket,
  consumer: Consumer,
  context: UploadContext,
  reply: (update: Update) => void,
): void {
  const { store, registry } = context;
  /** Uploads already refused: the chunks still in flight for them are answered without a new error update. */
  const refused = new Set<string>();
  const warn = (code: string, text: string): void => context.refusals.warn(`upload:${code}`, `upload refused: ${logText(text)}`);
  const remember = (uploadId: string | undefined): boolean => {
    if (uploadId === undefined) return true;
    if (refused.has(uploadId)) return false;
    if (refused.size >= 100) refused.clear();
    refused.add(uploadId);
    return true;
  };
  const refuse = (ack: Ack<UploadAck> | undefined, refusal: Refusal, uploadId?: string, update?: Update): void => {
    if (remember(uploadId)) {
      warn(refusal.code, refusal.error);
      reply(update ?? errorUpdate(refusal.code, refusal.error));
    }
    ack?.({ ok: false, error: refusal.error });
  };
  const rejected = (error: string): Refusal => ({ error, code: ERROR_CODES.uploadRejected });

  /** After the reservation: the middleware, then the chunks are let in. */
  const admit = (start: UploadStart, ack: Ack<UploadAck> | undefined): void => {
    const name = start.function;
    const accepted = (): UploadAck => {
      const admitted = store.admit(socket.id, start.uploadId);
      if (!admitted.ok) return { ok: false, error: admitted.error };
      return { ok: true, received: admitted.value };
    };
    const middlewares = registry.getMiddlewares();
    if (middlewares.length === 0) return ack?.(accepted());
    const { room, scope } = consumer;
    const content: HandlerContent = { function: name, data: {}, form: {}, params: {}, lang: scope.lang, room, files: {} };
    runMiddleware(middlewares, consumer, content, name).then(
      (proceed) => {
        if (proceed === false) {
          // As for a cancelled call, the middleware tells the page why (e.g. "log in first"); nothing else is sent.
          store.release(start.uploadId);
          remember(start.uploadId);
          warn("cancelled", `cancelled by middleware: ${name}`);
          return ack?.({ ok: false, error: `Cancelled: ${name}` });
        }
        const uploadAck = accepted();
        ack?.(uploadAck);
        const onError = (error: unknown) => getLogger().error(`[liveview] after-call of "${logText(name)}" failed`, error);
        runAfterCall(proceed, uploadAck, onError);
      },
      (error: unknown) => {
        store.release(start.uploadId);
        getLogger().error(`[liveview] middleware failed on an upload for "${logText(name)}": ${describeError(error)}`, error);
        const update = handlerErrorUpdate(name, error);
        refuse(ack, rejected(update.error ?? name), start.uploadId, update);
      },
    );
  };

  socket.on(UPLOAD_EVENTS.start, (...args: unknown[]) => {
    const { payload, ack } = splitArgs<UploadAck>(args);
    const checked = validateUploadStart(payload);
    if (!checked.ok) return refuse(ack, rejected(checked.error));
    const { start } = checked;
    const name = start.function;
    if (!registry.getHandler(name)) {
      return refuse(ack, rejected(`Upload refused: ${unknownFunctionMessage(name)}`), start.uploadId);
    }
    const declared = registry.getUploads(name);
    if (!declared) return refuse(ack, rejected(`Upload refused: ${name} does not accept files`), start.uploadId);
    const reserved = store.reserve(socket.id, start, handlerLimits(context.ceiling, declared));
    if (!reserved.ok) return refuse(ack, reserved, start.uploadId);
    admit(start, ack);
  });

  socket.on(UPLOAD_EVENTS.chunk, (...args: unknown[]) => {
    const { payload, ack } = splitArgs<UploadAck>(args);
    if (!isChunk(payload)) return refuse(ack, rejected("Invalid upload chunk"));
    store
      .add(socket.id, payload.uploadId, payload.offset, payload.data)
      .then((result: Result<number>) =>
        result.ok ? ack?.({ ok: true, received: result.value }) : refuse(ack, result, payload.uploadId),
      )
      .catch((error: unknown) => {
        getLogger().error(`[liveview] socket ${socket.id}: storing an upload chunk failed: ${describeError(error)}`, error);
        // As for handler errors: the detail reaches the page only outside production.
        const detail = isProduction() ? "the server could not store this file" : describeError(error);
        refuse(ack, rejected(`Upload failed: ${detail}`), payload.uploadId);
      });
  });

  socket.on("disconnect", () => store.discard(socket.id));
}
