import { watch, type FSWatcher } from "node:fs";
import path from "node:path";
import { getLogger } from "../logger.js";
import { isSkippedFolder } from "./handler_files.js";
import type { HandlersFolder } from "./load_handlers.js";
import { displayPath } from "./load_error.js";

/** An editor's save is a burst of events (write, rename, chmod): the folder is looked at once it has been quiet this long. */
export const WATCH_QUIET_MS = 50;

/** Events of dot-files and dot-folders (.git, editor swap files) and installed packages change no handler. */
function ignored(filename: string | null): boolean {
  if (filename === null) return false;
  return filename.split(path.sep).some((part) => isSkippedFolder(part));
}

/**
 * Watches a handlers folder (recursively) and refreshes it after each burst of changes, outside production:
 * an edited file is imported again, a new one imported, a deleted one unregistered. Returns the stop function, which
 * createLiveView's close() calls (Node 20's recursive watcher holds the process open even when unref'd).
 *
 * ```ts
 * const stop = watchHandlers(folder);
 * ```
 */
export function watchHandlers(folder: HandlersFolder, quietMs = WATCH_QUIET_MS): () => void {
  let timer: NodeJS.Timeout | null = null;
  let watcher: FSWatcher | null = null;
  const stop = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    watcher?.close();
    watcher = null;
  };
  const changed = (_event: string, filename: string | null): void => {
    if (ignored(filename) || watcher === null) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void folder.refresh();
    }, quietMs);
    timer.unref();
  };
  try {
    watcher = watch(folder.dir, { recursive: true }, changed);
  } catch (error) {
    getLogger().warn(`[liveview] cannot watch ${displayPath(folder.dir)}: handler files reload only on a restart`, error);
    return stop;
  }
  watcher.on("error", (error) => {
    getLogger().warn(`[liveview] stopped watching ${displayPath(folder.dir)}: handler files reload only on a restart`, error);
    stop();
  });
  return stop;
}
