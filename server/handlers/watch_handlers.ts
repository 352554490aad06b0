import { watch, type FSWatcher } from "node:fs";
import { getLogger } from "../logger.js";
import { listHandlerFolders } from "./handler_files.js";
import type { HandlersFolder } from "./load_handlers.js";
import { displayPath } from "./load_error.js";

/** An editor's save is a burst of events (write, rename, chmod): the folder is looked at once quiet this long. */
export const WATCH_QUIET_MS = 50;

/**
 * Watches a handlers folder and each folder under it, and refreshes it after each burst of changes, outside
 * production: an edited file is imported again, a new one imported, a deleted one unregistered. Returns the stop
 * function, which createLiveView's close() calls.
 *
 * One watcher per folder rather than `fs.watch(dir, { recursive: true })`: on Linux, Node 20's recursive watcher
 * watches each file, and loses a file that an editor saves by writing a copy and renaming it over the original
 * (vim, `sed -i`), so the next save would go unseen. A folder's watcher sees its files however they are written.
 *
 * ```ts
 * const stop = watchHandlers(folder);
 * ```
 */
export function watchHandlers(folder: HandlersFolder, quietMs = WATCH_QUIET_MS): () => void {
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;

  const unwatch = (dir: string): void => {
    watchers.get(dir)?.close();
    watchers.delete(dir);
  };
  /** Watches the folders there are now: new ones (made since the last look) too; forgets removed ones. */
  const watchFolders = (): void => {
    const folders = new Set(listHandlerFolders(folder.dir));
    for (const dir of [...watchers.keys()]) if (!folders.has(dir)) unwatch(dir);
    for (const dir of folders) {
      if (watchers.has(dir)) continue;
      try {
        // A removed folder's watcher errors or goes quiet; the next look forgets it.
        const watcher = watch(dir, changed).on("error", () => unwatch(dir));
        watchers.set(dir, watcher);
      } catch (error) {
        if (dir !== folder.dir) continue;
        getLogger().warn(`[liveview] cannot watch ${displayPath(dir)}: handler files reload only on a restart`, error);
      }
    }
  };
  function changed(): void {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      if (stopped) return;
      watchFolders();
      void folder.refresh();
    }, quietMs);
  }

  watchFolders();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    for (const dir of [...watchers.keys()]) unwatch(dir);
  };
}
