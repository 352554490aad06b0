import { randomUUID } from "node:crypto";
import vm from "node:vm";
import v8 from "node:v8";
import type { Socket } from "socket.io-client";
import { UPLOAD_EVENTS, type UploadAck } from "../../protocol/index";
import type { LiveView } from "../../server/index";
import { uploadStores, type UploadStats } from "../../server/uploads/upload_store";

/** A PNG signature and header followed by `size` bytes in all: file-type reads it as image/png. */
export function pngOf(size: number): Buffer {
  const head = Buffer.from("89504e470d0a1a0a0000000d494844520000000100000001080600000000000000000000000049444154", "hex");
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 7)]);
}

export interface UploadRequest {
  function: string;
  data: Buffer;
  field?: string;
  name?: string;
  uploadId?: string;
  count?: number;
  /** Send every chunk at once, without waiting for the announcement's ack (what a hostile script does). */
  hostile?: boolean;
  chunkBytes?: number;
}

export interface UploadResult {
  uploadId: string;
  start: UploadAck;
  chunks: UploadAck[];
}

export const emitWithAck = <T>(socket: Socket, event: string, payload: unknown): Promise<T> =>
  new Promise((resolve) => socket.emit(event, payload, (ack: T) => resolve(ack)));

/** Announces a file over the upload events and sends its chunks (an honest client stops at a refusal). */
export async function uploadFile(socket: Socket, request: UploadRequest): Promise<UploadResult> {
  const uploadId = request.uploadId ?? randomUUID().replace(/-/g, "");
  const { data, chunkBytes = 256 * 1024 } = request;
  const announced = emitWithAck<UploadAck>(socket, UPLOAD_EVENTS.start, {
    uploadId,
    function: request.function,
    field: request.field ?? "avatar",
    name: request.name ?? "a.png",
    type: "image/png",
    size: data.length,
    count: request.count ?? 1,
  });
  const sendChunks = (): Array<Promise<UploadAck>> => {
    const sent: Array<Promise<UploadAck>> = [];
    for (let offset = 0; offset < data.length; offset += chunkBytes) {
      sent.push(emitWithAck(socket, UPLOAD_EVENTS.chunk, { uploadId, offset, data: data.subarray(offset, offset + chunkBytes) }));
    }
    return sent;
  };
  if (request.hostile) {
    const chunks = sendChunks();
    return { uploadId, start: await announced, chunks: await Promise.all(chunks) };
  }
  const start = await announced;
  return { uploadId, start, chunks: start.ok ? await Promise.all(sendChunks()) : [] };
}

/** What the server's upload store holds now. */
export function uploadStats(liveview: LiveView): UploadStats {
  const store = uploadStores.get(liveview.io);
  if (!store) throw new Error("no upload store for this server");
  return store.stats;
}

/** The process's heap and Buffer memory after a full garbage collection, in bytes. */
/**
 * The heap and Buffers in use once garbage is gone. V8 frees ArrayBuffer backing stores on a later task than the
 * collection that found them dead, so this collects, lets a few tasks run, and takes the least of several looks.
 */
export async function memoryAfterGc(): Promise<number> {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  let least = Infinity;
  for (let look = 0; look < 4; look++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const { heapUsed, arrayBuffers } = process.memoryUsage();
    least = Math.min(least, heapUsed + arrayBuffers);
  }
  return least;
}
