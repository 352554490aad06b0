import type * as FileType from "file-type";
import type { UploadStart } from "../../protocol/index.js";
import { formatBytes, typeAllowed, type UploadLimits } from "./upload_limits.js";

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

interface InProgress {
  start: UploadStart;
  owner: string;
  room: string;
  chunks: Buffer[];
  received: number;
  type: string | null;
  /** Chunks of one upload are handled one after another (the type check is asynchronous). */
  tail: Promise<unknown>;
}

interface Completed {
  field: string;
  room: string;
  file: UploadedFile;
  expires: number;
}

type Result<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Holds uploads in memory: those in progress (owned by one socket, dropped when it disconnects)
 * and those complete, until the call that names them takes them (or they expire). Limits are
 * enforced as bytes arrive: the declared size, the real size, the count and the type.
 */
export class UploadStore {
  private readonly inProgress = new Map<string, InProgress>();
  private readonly completed = new Map<string, Completed>();

  constructor(private readonly limits: UploadLimits, private readonly ttlMs = 10 * 60_000) {}

  begin(owner: string, room: string, start: UploadStart): Result<number> {
    const { maxFileBytes, maxFiles } = this.limits;
    if (start.count > maxFiles) return fail(`Too many files: ${start.count}, the limit is ${maxFiles}`);
    if (start.size > maxFileBytes) {
      return fail(`File too large: ${start.name} is ${formatBytes(start.size)}, the limit is ${formatBytes(maxFileBytes)}`);
    }
    const mine = [...this.inProgress.values()].filter((upload) => upload.owner === owner).length;
    if (mine >= maxFiles) return fail(`Too many files: the limit is ${maxFiles}`);
    if (this.inProgress.has(start.uploadId) || this.completed.has(start.uploadId)) return fail("Upload id already used");
    if (start.size === 0 && this.limits.allowedTypes) return fail(`File type not allowed: ${start.name} is empty`);
    this.inProgress.set(start.uploadId, { start, owner, room, chunks: [], received: 0, type: null, tail: Promise.resolve() });
    if (start.size === 0) return this.finish(start.uploadId);
    return { ok: true, value: 0 };
  }

  /** Adds a chunk at its offset; checks the type once enough bytes are in; completes the upload at its size. */
  add(owner: string, uploadId: string, offset: number, data: Buffer): Promise<Result<number>> {
    const upload = this.inProgress.get(uploadId);
    if (!upload || upload.owner !== owner) return Promise.resolve(fail("Unknown upload"));
    const result = upload.tail.then(() => this.addInOrder(upload, uploadId, offset, data));
    upload.tail = result;
    return result;
  }

  private async addInOrder(upload: InProgress, uploadId: string, offset: number, data: Buffer): Promise<Result<number>> {
    if (this.inProgress.get(uploadId) !== upload) return fail("Unknown upload");
    if (offset !== upload.received) return this.abort(uploadId, `Chunk out of order for ${upload.start.name}`);
    if (upload.received + data.length > upload.start.size) {
      return this.abort(uploadId, `File larger than announced: ${upload.start.name}`);
    }
    upload.chunks.push(data);
    upload.received += data.length;
    if (upload.type === null && (upload.received >= SNIFF_BYTES || upload.received === upload.start.size)) {
      const problem = await this.checkType(upload);
      if (problem) return this.abort(uploadId, problem);
    }
    if (upload.received === upload.start.size) return this.finish(uploadId);
    return { ok: true, value: upload.received };
  }

  /** Takes the completed files a call names, checking they belong to its room; each can be taken once. */
  take(room: string, uploads: Record<string, string[]>): Result<Record<string, UploadedFile | UploadedFile[]>> {
    const ids = Object.values(uploads).flat();
    if (ids.length > this.limits.maxFiles) return fail(`Too many files: ${ids.length}, the limit is ${this.limits.maxFiles}`);
    this.expire();
    const files: Record<string, UploadedFile | UploadedFile[]> = {};
    for (const [field, fieldIds] of Object.entries(uploads)) {
      const found = fieldIds.map((id) => this.completed.get(id));
      if (found.some((entry) => !entry || entry.room !== room || entry.field !== field)) {
        return fail("Upload not found: it was interrupted or has expired; please try again");
      }
      const list = (found as Completed[]).map((entry) => entry.file);
      files[field] = list.length === 1 ? list[0] : list;
    }
    for (const id of ids) this.completed.delete(id);
    return { ok: true, value: files };
  }

  /** Drops the unfinished uploads of a socket that went away: no partial file ever reaches a handler. */
  discard(owner: string): void {
    for (const [id, upload] of this.inProgress) if (upload.owner === owner) this.inProgress.delete(id);
  }

  get sizes(): { inProgress: number; completed: number } {
    return { inProgress: this.inProgress.size, completed: this.completed.size };
  }

  private async checkType(upload: InProgress): Promise<string | null> {
    const head = Buffer.concat(upload.chunks).subarray(0, SNIFF_BYTES);
    const detected = (await fileType().fromBuffer(head))?.mime;
    upload.type = detected ?? upload.start.type ?? "application/octet-stream";
    const allowed = this.limits.allowedTypes;
    if (!allowed) return null;
    if (!detected) return `File type not allowed: the content of ${upload.start.name} is not one of ${allowed.join(", ")}`;
    return typeAllowed(detected, allowed) ? null : `File type not allowed: ${upload.start.name} is ${detected}`;
  }

  private finish(uploadId: string): Result<number> {
    const upload = this.inProgress.get(uploadId)!;
    this.inProgress.delete(uploadId);
    const { start } = upload;
    const data = Buffer.concat(upload.chunks, upload.received);
    const file: UploadedFile = { name: start.name, type: upload.type ?? start.type, size: data.length, data };
    this.completed.set(uploadId, { field: start.field, room: upload.room, file, expires: Date.now() + this.ttlMs });
    return { ok: true, value: upload.received };
  }

  private abort(uploadId: string, error: string): Result<number> {
    this.inProgress.delete(uploadId);
    return fail(error);
  }

  private expire(): void {
    const now = Date.now();
    for (const [id, entry] of this.completed) if (entry.expires <= now) this.completed.delete(id);
  }
}

const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });
