import type { Handler, Middleware } from "../types.js";
import type { HandlerOptions, HandlerUploads } from "../uploads/upload_limits.js";
import { getLogger } from "../logger.js";

/**
 * Holds the handlers and middleware. One registry lives for the whole process, so a LiveView
 * server created again (a restart on a new HTTP server) finds the same handlers.
 *
 * ```ts
 * liveviewRegistry.register("dynamic_action")((consumer) => send(consumer, { target: "#result", html: "Done" }));
 * liveviewRegistry.register("upload_avatar", { uploads: { maxFiles: 1 } })((consumer, content) => store(content.files));
 * ```
 */
export class LiveViewRegistry {
  private readonly handlers = new Map<string, Handler>();
  /** The handlers that accept files, with their declaration; every other handler's uploads are refused. */
  private readonly uploads = new Map<string, HandlerUploads>();
  /** Replaced, never changed in place: a call already running keeps the list it started with, for free. */
  private middlewares: readonly Middleware[] = [];

  /**
   * Returns a registrar: `register(name)(fn)` stores fn under name and returns it. `options.uploads` lets the
   * handler receive files, with its own limits or (`true`) the createLiveView defaults.
   */
  register(name: string, options: HandlerOptions = {}): <H extends Handler>(fn: H) => H {
    if (typeof name !== "string" || name.length === 0) throw new TypeError("A handler name must be a non-empty string");
    const uploads = options.uploads;
    if (uploads !== undefined && uploads !== true && (typeof uploads !== "object" || uploads === null)) {
      throw new TypeError(`Handler "${name}": "uploads" must be true or { maxFileBytes, maxFiles, allowedTypes }`);
    }
    return (fn) => {
      if (typeof fn !== "function") throw new TypeError(`Handler "${name}" must be a function`);
      if (this.handlers.has(name)) getLogger().warn(`[liveview] handler "${name}" registered again; the new one replaces it`);
      this.handlers.set(name, fn);
      if (uploads) this.uploads.set(name, uploads);
      else this.uploads.delete(name);
      return fn;
    };
  }

  /** What a handler declared about files: undefined when it accepts none. */
  getUploads(name: string): HandlerUploads | undefined {
    return this.uploads.get(name);
  }

  getHandler(name: string): Handler | undefined {
    return this.handlers.get(name);
  }

  listFunctions(): string[] {
    return [...this.handlers.keys()];
  }

  /** A copy: changing it does not change the registry. */
  getAllHandlers(): Record<string, Handler> {
    return Object.fromEntries(this.handlers);
  }

  unregister(name: string): boolean {
    this.uploads.delete(name);
    return this.handlers.delete(name);
  }

  /** Removes every handler; middleware stays. */
  clear(): void {
    this.handlers.clear();
    this.uploads.clear();
  }

  addMiddleware(fn: Middleware): void {
    if (typeof fn !== "function") throw new TypeError("Middleware must be a function");
    this.middlewares = [...this.middlewares, fn];
  }

  /** Removes one middleware, or all when called without an argument. */
  removeMiddleware(fn?: Middleware): void {
    if (!fn) {
      this.middlewares = [];
      return;
    }
    const index = this.middlewares.indexOf(fn);
    if (index >= 0) this.middlewares = [...this.middlewares.slice(0, index), ...this.middlewares.slice(index + 1)];
  }

  /** The middleware list, in the order added; a later add or remove makes a new list, never changes this one. */
  getMiddlewares(): readonly Middleware[] {
    return this.middlewares;
  }
}

/** The process-wide registry. */
export const liveviewRegistry = new LiveViewRegistry();

/**
 * Registers a handler in the process-wide registry; `options.uploads` lets it receive files.
 *
 * ```ts
 * liveviewHandler("say_hello", (consumer, content) => {
 *   send(consumer, { target: "#greeting", html: renderToString("greeting", { name: content.form.name }) });
 * });
 * liveviewHandler("upload_avatar", saveAvatar, { uploads: { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1 } });
 * ```
 */
export function liveviewHandler<H extends Handler>(name: string, fn: H, options?: HandlerOptions): H {
  return liveviewRegistry.register(name, options)(fn);
}
