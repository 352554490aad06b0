import type { Socket } from "socket.io";
import { ERROR_CODES, UPLOAD_EVENTS, validateUploadStart, type UploadAck, type Update } from "../../protocol/index.js";
import { errorUpdate } from "../calls/errors.js";
import { splitArgs } from "../calls/event_args.js";
import { getLogger } from "../logger.js";
import { logText } from "../security/log_text.js";
import type { UploadStore } from "./upload_store.js";

const isChunk = (value: unknown): value is { uploadId: string; offset: number; data: Buffer } => {
  if (typeof value !== "object" || value === null) return false;
  const chunk = value as Record<string, unknown>;
  return typeof chunk.uploadId === "string" && Number.isSafeInteger(chunk.offset) && Buffer.isBuffer(chunk.data);
};

/**
 * Receives a socket's file uploads: announcements and binary chunks, each acknowledged, outside the
 * call queue so other calls are answered while a large file goes up. A refused upload gets an
 * error update and an `{ ok: false }` ack; the socket's unfinished uploads are dropped when it goes.
 */
export function attachUploads(socket: Socket, room: string, store: UploadStore, reply: (update: Update) => void): void {
  /** Uploads already refused: the chunks still in flight for them are answered without a new error update. */
  const refused = new Set<string>();
  const refuse = (ack: ((value: UploadAck) => void) | undefined, error: string, uploadId?: string): void => {
    if (uploadId !== undefined) {
      if (refused.has(uploadId)) return ack?.({ ok: false, error });
      if (refused.size >= 100) refused.clear();
      refused.add(uploadId);
    }
    getLogger().warn(`[liveview] socket ${socket.id}: upload refused: ${logText(error)}`);
    reply(errorUpdate(ERROR_CODES.uploadRejected, error));
    ack?.({ ok: false, error });
  };

  socket.on(UPLOAD_EVENTS.start, (...args: unknown[]) => {
    const { payload, ack } = splitArgs<UploadAck>(args);
    const checked = validateUploadStart(payload);
    if (!checked.ok) return refuse(ack, checked.error);
    const result = store.begin(socket.id, room, checked.start);
    if (!result.ok) return refuse(ack, result.error, checked.start.uploadId);
    ack?.({ ok: true, received: result.value });
  });

  socket.on(UPLOAD_EVENTS.chunk, (...args: unknown[]) => {
    const { payload, ack } = splitArgs<UploadAck>(args);
    if (!isChunk(payload)) return refuse(ack, "Invalid upload chunk");
    store
      .add(socket.id, payload.uploadId, payload.offset, payload.data)
      .then((result) => (result.ok ? ack?.({ ok: true, received: result.value }) : refuse(ack, result.error, payload.uploadId)))
      .catch((error: unknown) => refuse(ack, `Upload failed: ${String(error)}`, payload.uploadId));
  });

  socket.on("disconnect", () => store.discard(socket.id));
}
