/** Internal events of binary uploads (they never carry updates). */
export const UPLOAD_EVENTS = {
  /** client -> server: announce a file; ack UploadAck. */
  start: "liveview:upload:start",
  /** client -> server: one chunk of bytes; ack UploadAck. */
  chunk: "liveview:upload:chunk",
} as const;

/**
 * Bytes per chunk unless the server's message limit asks for smaller ones. Small chunks and a small
 * window keep any other call on the socket from waiting behind more than about 1 MB of file.
 */
export const DEFAULT_CHUNK_BYTES = 256 * 1024;

/** Chunks a client keeps in flight (sent, not yet acknowledged) per file. */
export const CHUNKS_IN_FLIGHT = 4;

/** Announces one file of a call's form. */
export interface UploadStart {
  uploadId: string;
  /** The handler the file is for (the calling element's `data-liveview-function`): it must declare uploads. */
  function: string;
  /** The file input's name: the key of `content.files`. */
  field: string;
  name: string;
  /** The type the browser claims; the server checks the file's first bytes. */
  type: string;
  size: number;
  /** Files the call uploads in all, so "too many" is refused before any byte is sent. */
  count: number;
}

/** One chunk: `data` travels as a socket.io binary attachment. */
export interface UploadChunk {
  uploadId: string;
  offset: number;
  data: ArrayBuffer | Uint8Array;
}

export type UploadAck = { ok: true; received: number } | { ok: false; error: string };

/** The DOM event dispatched on a file input while its files go up. */
export const UPLOAD_PROGRESS_EVENT = "liveview:upload-progress";

export interface UploadProgressDetail {
  name: string;
  loaded: number;
  total: number;
}
