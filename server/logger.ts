import type { ServerLogger } from "./types.js";

let current: ServerLogger = console;

/** The logger in use; `createLiveView({ logger })` replaces the console. */
export const getLogger = (): ServerLogger => current;

export function setLogger(logger: ServerLogger | undefined): void {
  current = logger ?? console;
}

export const isProduction = (): boolean => process.env.NODE_ENV === "production";
