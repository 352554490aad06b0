import type * as FileType from "file-type";
import { ERROR_CODES, type UploadStart } from "../../protocol/index.js";
import { formatBytes, typeAllowed, type UploadCaps, type UploadLimits } from "./upload_limits.js";

/** A file as a handler receives it in `content.files`. */
export interface UploadedFile {
  name: string;
  /** The type read from the file's first bytes; the browser's claim when they say nothing. */
  type: string;
  size: number;
  data: Buffer;
}

/** Bytes file-type needs to recognise a format. */
const SNIFF_BYTES = 4100;
/** Loaded with the first upload to check: an app without uploads never loads it. */
const fileType = () => require("file-type") as typeof FileType;

/** An upload announced and not yet taken by a call: unfinished, then finished. */
interface Pending {
  start: UploadStart;
  owner: string;
  limits: UploadLimits;
  /** False until the handler's middleware let it through: no chunk is stored before. */
  admitted: boolean;
  chunks: Buffer[];
  received: number;
  type: string | null;
  file: UploadedFile | null;
  /** Chunks of one upload are handled one after another (the type check is asynchronous). */
  tail: Promise<unknown>;
  /** Fires pendingTtlMs after the last chunk (or the announcement): the entry goes, with or without a call. */
  timer: NodeJS.Timeout;
}

export type UploadCode = typeof ERROR_CODES.uploadLimit | typeof ERROR_CODES.uploadRejected;
export type Result<T> = { ok: true; value: T } | { ok: false; error: string; code: UploadCode };

/** What the store holds now: `reservedBytes` counts announced sizes, `storedBytes` the bytes really in memory. */
export interface UploadStats {
  uploads: number;
  completed: number;
  reservedBytes: number;
  storedBytes: number;
}

/**
 * Holds uploads in memory from their announcement until the call that names them takes them. Each is owned by
 * one socket and goes with it (disconnect), or on its own after `pendingTtlMs`; a declared size is reserved at the
 * announcement, so the caps per tab and per server hold however fast announcements come. Limits are enforced as
 * bytes arrive: the declared size, the real size, the count and the type.
 */
export class UploadStore {
  private readonly pending = new Map<string, Pending>();
  /** Per socket: its pending upload ids and their reserved bytes, so the caps and a disconnect cost one lookup. */
  private readonly owners = new Map<string, { ids: Set<string>; bytes: number }>();
  private reservedBytes = 0;
  private storedBytes = 0;

  constructor(private readonly caps: UploadCaps) {}

  /** Checks an announcement against its handler's limits and the caps, and reserves its size. Stores nothing yet. */
  reserve(owner: string, start: UploadStart, limits: UploadLimits): Result<void> {
    const { maxFileBytes, maxFiles } = limits;
    const caps = this.caps;
    if (start.count > maxFiles) return limit(`Too many files: ${start.count}, the limit is ${maxFiles}`);
    if (start.size > maxFileBytes) {
      return limit(`File too large: ${start.name} is ${formatBytes(start.size)}, the limit is ${formatBytes(maxFileBytes)}`);
    }
    if (limits.allowedTypes?.length === 0) return rejected(`File type not allowed: no type is allowed here`);
    if (start.size === 0 && limits.allowedTypes) return rejected(`File type not allowed: ${start.name} is empty`);
    if (this.pending.has(start.uploadId)) return rejected("Upload id already used");
    const mine = this.owners.get(owner) ?? { ids: new Set<string>(), bytes: 0 };
    if (this.countFor(mine.ids, start.function) >= maxFiles) return limit(`Too many files: the limit is ${maxFiles}`);
    if (mine.ids.size >= caps.maxPendingUploads) {
      return limit(`Too many uploads waiting on this tab: the limit is ${caps.maxPendingUploads}`);
    }
    if (mine.bytes + start.size > caps.maxPendingBytes) {
      return limit(`Too much upload data waiting on this tab: the limit is ${formatBytes(caps.maxPendingBytes)}`);
    }
    const serverFull = this.reservedBytes + start.size > caps.maxProcessPendingBytes;
    if (serverFull || this.pending.size >= caps.maxProcessPendingUploads) {
      return limit("The server is receiving too many uploads: please try again in a moment");
    }
    mine.ids.add(start.uploadId);
    mine.bytes += start.size;
    this.owners.set(owner, mine);
    this.reservedBytes += start.size;
    const timer = setTimeout(() => this.remove(start.uploadId), caps.pendingTtlMs);
    timer.unref();
    this.pending.set(start.uploadId, {
      start,
      owner,
      limits,
      admitted: false,
      chunks: [],
      received: 0,
      type: null,
      file: null,
      tail: Promise.resolve(),
      timer,
    });
    return { ok: true, value: undefined };
  }

  /** Lets a reserved upload's chunks in (its middleware passed); an empty file is complete at once. */
  admit(owner: string, uploadId: string): Result<number> {
    const upload = this.pending.get(uploadId);
    if (!upload || upload.owner !== owner) return rejected("Unknown upload");
    upload.admitted = true;
    if (upload.start.size === 0) this.finish(upload);
    return { ok: true, value: 0 };
  }

  /** Adds a chunk at its offset; checks the type once enough bytes are in; completes the upload at its size. */
  add(owner: string, uploadId: string, offset: number, data: Buffer): Promise<Result<number>> {
    const upload = this.pending.get(uploadId);
    if (!upload || upload.owner !== owner || !upload.admitted || upload.file) {
      return Promise.resolve(rejected("Unknown upload"));
    }
    const result = upload.tail.then(() => this.addInOrder(upload, offset, data));
    upload.tail = result;
    return result;
  }

  private async addInOrder(upload: Pending, offset: number, data: Buffer): Promise<Result<number>> {
    const { start } = upload;
    if (!this.holds(upload)) return rejected("Unknown upload");
    if (offset !== upload.received) return this.abort(upload, `Chunk out of order for ${start.name}`);
    if (upload.received + data.length > start.size) return this.abort(upload, `File larger than announced: ${start.name}`);
    upload.chunks.push(data);
    upload.received += data.length;
    this.storedBytes += data.length;
    upload.timer.refresh();
    if (upload.type === null && (upload.received >= SNIFF_BYTES || upload.received === start.size)) {
      const problem = await this.checkType(upload);
      // It may have expired or gone with its socket while the type was read.
      if (!this.holds(upload)) return rejected("Unknown upload");
      if (problem) return this.abort(upload, problem);
    }
    if (upload.received === start.size) this.finish(upload);
    return { ok: true, value: upload.received };
  }

  /**
   * Takes the finished files a call of `functionName` names: each must be this socket's, announced for this
   * function and this input; each can be taken once. Taken files no longer count against any cap.
   */
  take(
    owner: string,
    functionName: string,
    uploads: Record<string, string[]>,
  ): Result<Record<string, UploadedFile | UploadedFile[]>> {
    const ids = Object.values(uploads).flat();
    const found: Pending[] = [];
    for (const [field, fieldIds] of Object.entries(uploads)) {
      for (const id of fieldIds) {
        const entry = this.pending.get(id);
        if (!entry || entry.owner !== owner || entry.start.field !== field || !entry.file) {
          return rejected("Upload not found: it was interrupted or has expired; please try again");
        }
        if (entry.start.function !== functionName) {
          return rejected(`Upload refused: the files were announced for ${entry.start.function}, not ${functionName}`);
        }
        found.push(entry);
      }
    }
    const maxFiles = found[0]?.limits.maxFiles ?? 0;
    if (new Set(ids).size !== ids.length || ids.length > maxFiles) {
      return limit(`Too many files: ${ids.length}, the limit is ${maxFiles}`);
    }
    const files: Record<string, UploadedFile | UploadedFile[]> = {};
    for (const [field, fieldIds] of Object.entries(uploads)) {
      const list = fieldIds.map((id) => this.pending.get(id)!.file!);
      files[field] = list.length === 1 ? list[0] : list;
    }
    for (const id of ids) this.remove(id);
    return { ok: true, value: files };
  }

  /** Gives back a reservation its middleware refused. */
  release(uploadId: string): void {
    this.remove(uploadId);
  }

  /** Drops everything a socket that went away had not handed to a call, finished or not. */
  discard(owner: string): void {
    for (const id of this.owners.get(owner)?.ids ?? []) this.remove(id);
  }

  /** Drops everything and clears every timer (the server closes). */
  close(): void {
    for (const id of [...this.pending.keys()]) this.remove(id);
  }

  get stats(): UploadStats {
    let completed = 0;
    for (const upload of this.pending.values()) if (upload.file) completed++;
    return { uploads: this.pending.size, completed, reservedBytes: this.reservedBytes, storedBytes: this.storedBytes };
  }

  private countFor(ids: Set<string>, functionName: string): number {
    let count = 0;
    for (const id of ids) if (this.pending.get(id)!.start.function === functionName) count++;
    return count;
  }

  private holds(upload: Pending): boolean {
    return this.pending.get(upload.start.uploadId) === upload;
  }

  private async checkType(upload: Pending): Promise<string | null> {
    const head = Buffer.concat(upload.chunks).subarray(0, SNIFF_BYTES);
    const detected = (await fileType().fromBuffer(head))?.mime;
    upload.type = detected ?? upload.start.type ?? "application/octet-stream";
    const allowed = upload.limits.allowedTypes;
    if (!allowed) return null;
    if (!detected) return `File type not allowed: the content of ${upload.start.name} is not one of ${allowed.join(", ")}`;
    return typeAllowed(detected, allowed) ? null : `File type not allowed: ${upload.start.name} is ${detected}`;
  }

  private finish(upload: Pending): void {
    const { start } = upload;
    const data = Buffer.concat(upload.chunks, upload.received);
    upload.chunks = [];
    upload.file = { name: start.name, type: upload.type ?? start.type, size: data.length, data };
    upload.timer.refresh();
  }

  private abort(upload: Pending, error: string): Result<number> {
    this.remove(upload.start.uploadId);
    return rejected(error);
  }

  private remove(uploadId: string): void {
    const upload = this.pending.get(uploadId);
    if (!upload) return;
    clearTimeout(upload.timer);
    this.pending.delete(uploadId);
    this.reservedBytes -= upload.start.size;
    this.storedBytes -= upload.received;
    const mine = this.owners.get(upload.owner)!;
    mine.ids.delete(uploadId);
    mine.bytes -= upload.start.size;
    if (mine.ids.size === 0) this.owners.delete(upload.owner);
  }
}

/** Each server's store, by its socket.io server: for tests and diagnostics that need to see what is held. */
export const uploadStores = new WeakMap<object, UploadStore>();

type Refused = { ok: false; error: string; code: UploadCode };
const limit = (error: string): Refused => ({ ok: false, error, code: ERROR_CODES.uploadLimit });
const rejected = (error: string): Refused => ({ ok: false, error, code: ERROR_CODES.uploadRejected });
