/**
 * Loads a package the app installs only when it uses the feature that needs it (an optional peer dependency).
 * A missing package is a clear error naming what to install, not a bare "Cannot find module".
 *
 * ```ts
 * const redis = optionalPackage<typeof import("redis")>("redis", "the `redis` option");
 * ```
 */
export function optionalPackage<T>(name: string, feature: string): T {
  try {
    return require(name) as T;
  } catch (error) {
    if (isMissing(error, name)) {
      throw new Error(`[liveview] ${feature} needs the package "${name}", which is not installed: npm install ${name}`);
    }
    throw error;
  }
}

/** True when `require` failed because `name` itself is not installed (not a module it requires in turn). */
function isMissing(error: unknown, name: string): boolean {
  if (!(error instanceof Error) || (error as NodeJS.ErrnoException).code !== "MODULE_NOT_FOUND") return false;
  return error.message.includes(`'${name}'`);
}
