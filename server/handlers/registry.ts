import type { Handler, Middleware } from "../types.js";
import type { HandlerUploads } from "../uploads/upload_limits.js";
import { getLogger } from "../logger.js";
import type { HandlerInput } from "./check_input.js";

/** The options of `liveviewHandler(name, fn, options)` and `liveviewRegistry.register(name, options)`. */
export interface HandlerOptions {
  /** Lets the handler receive files (`content.files`); without it every upload for it is refused before any byte. */
  uploads?: HandlerUploads;
  /** Run for this handler only, after the registry's middleware (and after `defineHandler`'s validation), in order. */
  middleware?: readonly Middleware[];
}

/** What the registry keeps of one handler. */
export interface HandlerEntry {
  readonly fn: Handler;
  readonly uploads: HandlerUploads | undefined;
  /** The schemas of a handler made with `defineHandler`; undefined for a plain one. */
  readonly input: HandlerInput | undefined;
  readonly middleware: readonly Middleware[];
}

/** Told of each registration: the folder loader learns which names a module registered. */
export type RegistrationListener = (name: string, entry: HandlerEntry) => void;

/** Says whether replacing the entry under a name is expected (a reload), so not worth a warning. */
export type ExpectedReplacement = (name: string) => boolean;

/** Per registry, the replacements the handlers folder expects while it loads a file (kept off the public class). */
const expectedReplacements = new WeakMap<LiveViewRegistry, readonly ExpectedReplacement[]>();

/**
 * Keeps the "registered again" warning quiet for the names `expected` accepts until the returned function is
 * called: the handlers folder replaces a file's handlers on purpose when it imports the file again.
 */
export function expectReplacements(registry: LiveViewRegistry, expected: ExpectedReplacement): () => void {
  expectedReplacements.set(registry, [...(expectedReplacements.get(registry) ?? []), expected]);
  return () => {
    const rest = (expectedReplacements.get(registry) ?? []).filter((other) => other !== expected);
    if (rest.length > 0) expectedReplacements.set(registry, rest);
    else expectedReplacements.delete(registry);
  };
}

const isExpected = (registry: LiveViewRegistry, name: string): boolean =>
  expectedReplacements.get(registry)?.some((expected) => expected(name)) === true;

/** What register() accepts besides the public options: the schemas defineHandler hands in. */
interface EntryOptions extends HandlerOptions {
  input?: HandlerInput;
}

function checkOptions(name: string, options: EntryOptions): void {
  const uploads = options.uploads;
  if (uploads !== undefined && uploads !== true && (typeof uploads !== "object" || uploads === null)) {
    throw new TypeError(`Handler "${name}": "uploads" must be true or { maxFileBytes, maxFiles, allowedTypes }`);
  }
  const middleware = options.middleware;
  if (middleware !== undefined && (!Array.isArray(middleware) || middleware.some((fn) => typeof fn !== "function"))) {
    throw new TypeError(`Handler "${name}": "middleware" must be a list of functions`);
  }
}

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
  private readonly entries = new Map<string, HandlerEntry>();
  /** Replaced, never changed in place: a call already running keeps the list it started with, for free. */
  private middlewares: readonly Middleware[] = [];
  private listeners: readonly RegistrationListener[] = [];

  /**
   * Returns a registrar: `register(name)(fn)` stores fn under name and returns it. `options.uploads` lets the
   * handler receive files, with its own limits or (`true`) the createLiveView defaults; `options.middleware`
   * runs for this handler only.
   */
  register(name: string, options: HandlerOptions = {}): <H extends Handler>(fn: H) => H {
    if (typeof name !== "string" || name.length === 0) throw new TypeError("A handler name must be a non-empty string");
    checkOptions(name, options);
    return (fn) => {
      if (typeof fn !== "function") throw new TypeError(`Handler "${name}" must be a function`);
      this.store(name, {
        fn,
        uploads: options.uploads || undefined,
        input: (options as EntryOptions).input,
        middleware: options.middleware ? [...options.middleware] : [],
      });
      return fn;
    };
  }

  /** Stores an entry as it is (a handler module loaded again hands back the entry it made). */
  store(name: string, entry: HandlerEntry): void {
    const previous = this.entries.get(name);
    if (previous && previous.fn !== entry.fn && !isExpected(this, name)) {
      getLogger().warn(`[liveview] handler "${name}" registered again; the new one replaces it`);
    }
    this.entries.set(name, entry);
    for (const listener of this.listeners) listener(name, entry);
  }

  /** Calls `listener` for every registration until the returned function is called. */
  observeRegistrations(listener: RegistrationListener): () => void {
    this.listeners = [...this.listeners, listener];
    return () => {
      this.listeners = this.listeners.filter((other) => other !== listener);
    };
  }

  /** What a handler declared about files: undefined when it accepts none. */
  getUploads(name: string): HandlerUploads | undefined {
    return this.entries.get(name)?.uploads;
  }

  getHandler(name: string): Handler | undefined {
    return this.entries.get(name)?.fn;
  }

  /** Everything registered for a name: the function, its uploads, schemas and own middleware. */
  getEntry(name: string): HandlerEntry | undefined {
    return this.entries.get(name);
  }

  listFunctions(): string[] {
    return [...this.entries.keys()];
  }

  /** A copy: changing it does not change the registry. */
  getAllHandlers(): Record<string, Handler> {
    return Object.fromEntries([...this.entries].map(([name, entry]) => [name, entry.fn]));
  }

  unregister(name: string): boolean {
    return this.entries.delete(name);
  }

  /** Removes every handler; middleware stays. */
  clear(): void {
    this.entries.clear();
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
