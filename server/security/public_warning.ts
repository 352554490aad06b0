import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getLogger, isProduction } from "../logger.js";

const isLoopback = (address: string): boolean =>
  address === "::1" || address.startsWith("127.") || address === "localhost" || address.startsWith("::ffff:127.");

/**
 * Outside production, clients get exception text and the handler list (Express's convention). That is meant
 * for a developer's machine, so a server that listens on a non-loopback address outside production says so
 * once, with how to turn it off.
 */
export function warnIfPublicOutsideProduction(httpServer: HttpServer): void {
  const check = (): void => {
    const address = httpServer.address();
    if (isProduction() || address === null || typeof address === "string") return;
    const { address: host, port } = address as AddressInfo;
    if (isLoopback(host)) return;
    getLogger().warn(
      `[liveview] listening on ${host}:${port} outside NODE_ENV=production: error details and the list of handlers ` +
        "reach clients. Set NODE_ENV=production on a public server, or listen on 127.0.0.1 while developing.",
    );
  };
  if (httpServer.listening) check();
  else httpServer.once("listening", check);
}
