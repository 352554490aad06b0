import { ENGINE_PACKAGES, type EngineName } from "./engine_names.js";

/**
 * Loads an optional engine's package at the moment the engine is chosen, never at import of express-liveview.
 * A missing package is an error that names the command installing it; any other failure (a broken install)
 * keeps its own message.
 */
export function loadEnginePackage<T>(engine: Exclude<EngineName, "hbs">): T {
  const { pkg, title } = ENGINE_PACKAGES[engine];
  try {
    return require(pkg) as T;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === "MODULE_NOT_FOUND" && message.includes(`'${pkg}'`)) {
      throw new Error(
        `express-liveview: the "${engine}" view engine needs the ${title} package, which is not installed. Run: npm install ${pkg}`,
      );
    }
    throw error;
  }
}
