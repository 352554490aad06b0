import { randomBytes } from "node:crypto";
import { getLogger } from "../logger.js";

/** Shorter secrets are refused: an HMAC key should carry at least 128 bits. */
const MIN_SECRET_LENGTH = 16;

/**
 * The key that signs rooms: `secret`, else `LIVEVIEW_SECRET`, else a random one for this process only, with one
 * warning (tokens then die with the process and are not valid on another node). Several nodes (`redis`) must share
 * one, so there a missing secret is an error at start-up rather than tabs refused at random.
 */
export function resolveSecret(secret: string | undefined, options: { redis: boolean }): string {
  const configured = secret ?? process.env.LIVEVIEW_SECRET;
  if (configured !== undefined && configured !== "") {
    if (configured.length < MIN_SECRET_LENGTH) {
      throw new Error(`express-liveview: the secret must be at least ${MIN_SECRET_LENGTH} characters (32 random bytes recommended)`);
    }
    return configured;
  }
  if (options.redis) {
    throw new Error(
      "express-liveview: signed rooms on several nodes need one shared secret: set createLiveView({ secret }) or " +
        "LIVEVIEW_SECRET to the same value on every node (or rooms: \"unsigned\", which is unsafe; see docs/security.md)",
    );
  }
  getLogger().warn(
    "[liveview] no secret configured (createLiveView({ secret }) or LIVEVIEW_SECRET): rooms are signed with a random " +
      "key of this process, so signed rooms will not survive a restart or span nodes",
  );
  return randomBytes(32).toString("base64url");
}
