import { statSync } from "node:fs";
import path from "node:path";
import { getLogger } from "../logger.js";
import { isHandlerDefinition, type HandlerDefinition } from "./define_handler.js";
import { listHandlerFiles, stampOf } from "./handler_files.js";
import { importModule } from "./import_module.js";
import { describeLoadError, displayPath, isSyntaxError } from "./load_error.js";
import { expectReplacements, liveviewRegistry, type HandlerEntry, type LiveViewRegistry } from "./registry.js";

/** What the folder knows of one file. */
interface LoadedFile {
  /** The file as it was when last imported, loaded or not: a refresh imports it again once this changes. */
  stamp: string | null;
  /** What its current version registered, by name. */
  entries: ReadonlyMap<string, HandlerEntry>;
}

type Attempt = { ok: true; entries: Map<string, HandlerEntry> } | { ok: false; error: unknown };

/** The `handlers` option as an absolute folder (relative to the working directory, like `views`); it must exist. */
export function resolveHandlersDir(option: string): string {
  const dir = path.resolve(option);
  let isFolder = false;
  try {
    isFolder = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isFolder) throw new Error(`express-liveview: the handlers folder ${dir} does not exist`);
  return dir;
}

/** A module's `export default defineHandler(...)`, also when a CommonJS module is seen through import(). */
function definitionOf(namespace: unknown): HandlerDefinition | null {
  const value = (namespace as { default?: unknown } | null)?.default;
  if (isHandlerDefinition(value)) return value;
  const inner = (value as { default?: unknown } | null | undefined)?.default;
  return isHandlerDefinition(inner) ? inner : null;
}

const namesOf = (entries: ReadonlyMap<string, HandlerEntry>): string => [...entries.keys()].join(", ") || "no handlers";

const snapshot = (registry: LiveViewRegistry): Map<string, HandlerEntry | undefined> =>
  new Map(registry.listFunctions().map((name) => [name, registry.getEntry(name)]));

/**
 * The handler modules of one folder (`createLiveView({ handlers: "handlers" })`): imports each at start, one at a
 * time, and learns which handlers each registered, so that a file imported again (`refresh()`, when the folder
 * changed) replaces its own handlers only: names its new version no longer registers are unregistered, a file that
 * no longer loads keeps its previous version, a deleted file takes its handlers with it.
 *
 * ```ts
 * const folder = new HandlersFolder(resolveHandlersDir("handlers"), liveviewRegistry);
 * await folder.ready;
 * ```
 */
export class HandlersFolder {
  /** Resolves once every file was imported (those that failed are logged): calls wait for it. */
  readonly ready: Promise<void>;
  /** `ready` until it resolves, then null: the one check a call makes. */
  pending: Promise<void> | null;
  private readonly files = new Map<string, LoadedFile>();
  /** Loads run one after another, so each registration is told to the file being loaded. */
  private queue: Promise<void>;
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly registry: LiveViewRegistry,
  ) {
    // On a later turn: createLiveView returns first, so the app can set up what its handler modules use.
    const nextTurn = new Promise<void>((resolve) => setImmediate(resolve));
    this.ready = this.queue = nextTurn.then(() => this.guard(() => this.loadAll()));
    this.pending = this.ready;
    void this.ready.then(() => {
      this.pending = null;
    });
  }

  /** Imports again the files that changed since they were last imported, imports new ones, forgets removed ones. */
  refresh(): Promise<void> {
    this.queue = this.queue.then(() => this.guard(() => this.sync()));
    return this.queue;
  }

  /** No more refreshes (createLiveView's close); handlers stay registered, as any others do. */
  close(): void {
    this.closed = true;
  }

  private async guard(run: () => Promise<void>): Promise<void> {
    try {
      await run();
    } catch (error) {
      getLogger().error(`[liveview] could not read the handlers folder ${displayPath(this.dir)}`, error);
    }
  }

  private async loadAll(): Promise<void> {
    for (const file of listHandlerFiles(this.dir)) {
      if (this.closed) return;
      await this.load(file, false);
    }
  }

  private async sync(): Promise<void> {
    if (this.closed) return;
    const present = new Set(listHandlerFiles(this.dir));
    for (const file of [...this.files.keys()]) if (!present.has(file)) this.unload(file);
    for (const file of present) {
      const known = this.files.get(file);
      // Always a fresh instance: a file may have failed (an errored ES module stays cached) or been recreated.
      if (!known || known.stamp !== stampOf(file)) await this.load(file, true, known !== undefined);
    }
  }

  private async load(file: string, fresh: boolean, reload = false): Promise<void> {
    const previous = this.files.get(file)?.entries ?? new Map<string, HandlerEntry>();
    const stamp = stampOf(file);
    const wasRequired = require.cache[file] !== undefined;
    let attempt = await this.attempt(file, fresh, previous, false);
    // Nothing registered: the module may have been imported before (by the app itself, or a LiveView made
    // earlier), so it did not run. Unless it just ran as CommonJS, run it again to learn its handlers.
    const ranJustNow = !wasRequired && require.cache[file] !== undefined;
    if (attempt.ok && attempt.entries.size === 0 && !fresh && !ranJustNow) {
      attempt = await this.attempt(file, true, previous, true);
    }
    if (!attempt.ok) {
      const kept = previous.size > 0 ? " (its previous handlers stay registered)" : "";
      const detail = isSyntaxError(attempt.error) ? [] : [attempt.error];
      const where = await describeLoadError(attempt.error, file);
      getLogger().error(`[liveview] could not load handlers from ${where}${kept}`, ...detail);
      this.files.set(file, { stamp, entries: previous });
      return;
    }
    const { entries } = attempt;
    for (const [name, entry] of previous) if (!entries.has(name)) this.forget(name, entry);
    this.files.set(file, { stamp, entries });
    if (reload) getLogger().info(`[liveview] reloaded ${displayPath(file)}: ${namesOf(entries)}`);
  }

  /** The registries a handler file's registrations land in: the process-wide one and this LiveView's. */
  private targets(): LiveViewRegistry[] {
    return this.registry === liveviewRegistry ? [liveviewRegistry] : [liveviewRegistry, this.registry];
  }

  /**
   * Imports the file while watching what it registers. Replacing its own previous handlers is expected (so not
   * warned about); `quiet` expects any replacement (a module run again replaces what its first run registered).
   * When the import fails, every registration it made is undone.
   */
  private async attempt(
    file: string,
    fresh: boolean,
    previous: ReadonlyMap<string, HandlerEntry>,
    quiet: boolean,
  ): Promise<Attempt> {
    const targets = this.targets();
    const before = targets.map(snapshot);
    const observed = new Map<string, HandlerEntry>();
    const expected = quiet ? () => true : (name: string) => previous.has(name);
    const stops = targets.flatMap((registry) => [
      registry.observeRegistrations((name, entry) => observed.set(name, entry)),
      expectReplacements(registry, expected),
    ]);
    try {
      const definition = definitionOf(await importModule(file, { fresh }));
      if (definition) observed.set(definition.name, definition.entry);
      // What went to the process-wide registry (liveviewHandler, defineHandler) goes to this LiveView's too.
      for (const [name, entry] of observed) {
        if (this.registry.getEntry(name) !== entry) this.registry.store(name, entry);
      }
      return { ok: true, entries: observed };
    } catch (error) {
      const undoing = targets.map((registry) => expectReplacements(registry, () => true));
      targets.forEach((registry, index) => {
        for (const name of observed.keys()) {
          const earlier = before[index].get(name);
          if (earlier) registry.store(name, earlier);
          else registry.unregister(name);
        }
      });
      undoing.forEach((stop) => stop());
      return { ok: false, error };
    } finally {
      stops.forEach((stop) => stop());
    }
  }

  /** Unregisters a name a file registered, unless something else has registered it since. */
  private forget(name: string, entry: HandlerEntry): void {
    for (const registry of this.targets()) if (registry.getEntry(name) === entry) registry.unregister(name);
  }

  private unload(file: string): void {
    const known = this.files.get(file);
    this.files.delete(file);
    delete require.cache[file];
    for (const [name, entry] of known?.entries ?? []) this.forget(name, entry);
    getLogger().info(`[liveview] ${displayPath(file)} was removed: ${namesOf(known?.entries ?? new Map())} unregistered`);
  }
}
