import {
  CHUNKS_IN_FLIGHT,
  DEFAULT_CHUNK_BYTES,
  UPLOAD_EVENTS,
  type UploadAck,
  type UploadChunk,
  type UploadStart,
} from "../../protocol/index.js";
import { reportProgress } from "./progress.js";

/** What uploading needs of the connection. */
export interface UploadTransport {
  request<T>(event: string, payload: unknown): Promise<T>;
  maxPayloadBytes(): number | null;
}

/** An upload the server refused or the connection cut off. */
export class UploadError extends Error {}

/** Room left in each message for the chunk's own fields. */
const ENVELOPE_BYTES = 1024;

function chunkSize(transport: UploadTransport): number {
  const limit = transport.maxPayloadBytes();
  return limit ? Math.max(1024, Math.min(DEFAULT_CHUNK_BYTES, limit - ENVELOPE_BYTES)) : DEFAULT_CHUNK_BYTES;
}

function check(ack: UploadAck): number {
  if (!ack || ack.ok !== true) throw new UploadError(ack?.error ?? "Upload refused");
  return ack.received;
}

/**
 * Uploads the files of these inputs for the handler `functionName` (the server admits them only if it
 * declares uploads and its middleware lets them through) as binary chunks, each acknowledged, a few in
 * flight at a time, reporting progress on each input. Resolves with the upload ids by input name, for the call.
 *
 * ```ts
 * const uploads = await uploadInputs([avatarInput], connection, randomId, "upload_avatar");
 * connection.call({ ...message, uploads });
 * ```
 */
export async function uploadInputs(
  inputs: HTMLInputElement[],
  transport: UploadTransport,
  newId: () => string,
  functionName: string,
): Promise<Record<string, string[]>> {
  const files = inputs.flatMap((input) => Array.from(input.files ?? [], (file) => ({ input, file })));
  const totals = new Map<HTMLInputElement, { loaded: number; total: number }>();
  for (const { input, file } of files) {
    const entry = totals.get(input) ?? { loaded: 0, total: 0 };
    entry.total += file.size;
    totals.set(input, entry);
  }
  for (const [input, { total }] of totals) reportProgress(input, 0, total);
  const size = chunkSize(transport);
  const uploads: Record<string, string[]> = {};
  for (const { input, file } of files) {
    const uploadId = newId().replace(/[^A-Za-z0-9_-]/g, "");
    const { name, type, size: bytes } = file;
    const start: UploadStart = { uploadId, function: functionName, field: input.name, name, type, size: bytes, count: files.length };
    check(await transport.request<UploadAck>(UPLOAD_EVENTS.start, start));
    const progress = totals.get(input)!;
    await sendChunks(file, uploadId, size, transport, (bytes) => {
      progress.loaded += bytes;
      reportProgress(input, progress.loaded, progress.total);
    });
    (uploads[input.name] ??= []).push(uploadId);
  }
  return uploads;
}

/** Sends a file's chunks in order with up to CHUNKS_IN_FLIGHT waiting for their acks. */
async function sendChunks(
  file: File,
  uploadId: string,
  size: number,
  transport: UploadTransport,
  acknowledged: (bytes: number) => void,
): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  for (let offset = 0; offset < file.size; offset += size) {
    const data = new Uint8Array(await file.slice(offset, offset + size).arrayBuffer());
    const chunk: UploadChunk = { uploadId, offset, data };
    const sent = transport.request<UploadAck>(UPLOAD_EVENTS.chunk, chunk).then((ack) => {
      check(ack);
      acknowledged(data.byteLength);
    });
    const tracked = sent.finally(() => inFlight.delete(tracked));
    tracked.catch(() => undefined); // the failure is seen through race/all below; never an unhandled rejection
    inFlight.add(tracked);
    if (inFlight.size >= CHUNKS_IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}
