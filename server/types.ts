import type { IncomingHttpHeaders } from "node:http";
import type { Socket } from "socket.io";
import type { CallAck, CallContent } from "../protocol/index.js";
import type { UploadedFile } from "./uploads/upload_store.js";

/** What the server knows of the browser tab that made a call. */
export interface ConsumerScope {
  /** What `getUser(req)` returned for the handshake request (null when no getUser or no user). */
  user: unknown;
  /** The express-session session of the handshake request, when a session middleware was given. */
  session: unknown;
  headers: IncomingHttpHeaders;
  /** `<html lang>` of the page at the time of the latest call. */
  lang: string | null;
}

/** One connected browser tab. */
export interface Consumer {
  /** The socket.io socket id. */
  id: string;
  room: string;
  scope: ConsumerScope;
  socket: Socket;
}

/** What a handler receives: the call's data and form, and the files its form uploaded. */
export interface HandlerContent extends CallContent {
  /** Uploaded files by input name: one file, or a list for `<input type="file" multiple>`. */
  files: Record<string, UploadedFile | UploadedFile[]>;
}

/** A handler: `fn(consumer, content)`, sync or async. */
export type Handler = (consumer: Consumer, content: HandlerContent) => unknown;

/** Called with the call's ack once the handler has finished (see Middleware). */
export type AfterCall = (ack: CallAck) => void;

/**
 * Runs before every handler; returning `false` (or a promise of it) cancels the call. Returning a
 * function lets the middleware see the outcome: it is called with the ack after the handler.
 */
export type Middleware = (
  consumer: Consumer,
  content: HandlerContent,
  functionName: string,
) => boolean | void | undefined | AfterCall | Promise<boolean | void | undefined | AfterCall>;

/**
 * `createLiveView({ onError })`: told of every error a handler, its middleware or its validator threw, with the
 * tab and the call's content, for an error reporting service. The tab still gets its error update.
 */
export type ErrorHook = (error: unknown, consumer: Consumer, content: HandlerContent) => void;

/** Where the server writes its log lines; `console` by default. */
export interface ServerLogger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

type NextFunction = (error?: unknown) => void;

/** The handshake request as `getUser` sees it: with `session` when a session middleware was given. */
export type LiveViewRequest = import("node:http").IncomingMessage & { session?: Record<string, unknown> };

/** A connect-style middleware such as express-session's (method syntax keeps Express's own types assignable). */
export type SessionMiddleware = {
  handle(req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse, next: NextFunction): void;
}["handle"];

/** The parts of an Express application createLiveView uses, so the package needs no Express types. */
export interface ExpressAppLike {
  get(path: string, handler: (req: import("node:http").IncomingMessage, res: import("node:http").ServerResponse) => void): unknown;
  engine(ext: string, fn: (path: string, options: object, callback: (e: Error | null, rendered?: string) => void) => void): unknown;
  set(setting: string, value: unknown): unknown;
}
