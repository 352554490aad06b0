import { optionalPackage } from "../../packages/optional_package.js";
import { ENGINE_PACKAGES, type EngineName } from "./engine_names.js";

/**
 * Loads an optional engine's package at the moment the engine is chosen, never at import of express-liveview.
 * A missing package is an error that names the command installing it; any other failure (a broken install)
 * keeps its own message.
 */
export function loadEnginePackage<T>(engine: Exclude<EngineName, "hbs">): T {
  const { pkg, title } = ENGINE_PACKAGES[engine];
  return optionalPackage<T>(pkg, `The "${engine}" view engine (${title})`);
}
