import { pathToFileURL } from "node:url";

type Importer = (specifier: string) => Promise<unknown>;

/**
 * A real `import()`: tsc compiles `import()` to `require()` under `module: commonjs`, and require cannot load an
 * ES module with top-level await (nor any ES module before Node 20.19). Built from a string so tsc leaves it alone.
 */
let nativeImport: Importer | null = null;
/** Set once a real import() turned out impossible here (jest's module sandbox, code generation disabled). */
let requireOnly = false;

function importer(): Importer | null {
  if (requireOnly) return null;
  try {
    nativeImport ??= new Function("specifier", "return import(specifier)") as Importer;
    return nativeImport;
  } catch {
    requireOnly = true; // node --disallow-code-generation-from-strings
    return null;
  }
}

/** import() refused before loading anything: a vm sandbox (jest) without a module loader. */
const importUnavailable = (error: unknown): boolean =>
  String((error as { code?: unknown } | null)?.code ?? "").startsWith("ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING");

let version = 0;

/**
 * Imports a module file. `fresh` runs it again even when it was loaded before: its CommonJS cache entry is
 * deleted and the URL gets a new query string (ES modules are cached by URL; each fresh import keeps a new
 * instance in memory, which only development does). Where import() is unavailable it falls back to require.
 *
 * ```ts
 * const namespace = await importModule("/app/handlers/todos.ts", { fresh: true });
 * ```
 */
export async function importModule(file: string, options: { fresh: boolean }): Promise<unknown> {
  if (options.fresh) delete require.cache[file];
  const load = importer();
  if (load) {
    const url = pathToFileURL(file).href + (options.fresh ? `?v=${++version}` : "");
    try {
      return await load(url);
    } catch (error) {
      if (!importUnavailable(error)) throw error;
      requireOnly = true;
    }
  }
  return require(file) as unknown;
}
