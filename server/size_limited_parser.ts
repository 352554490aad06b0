import * as parser from "socket.io-parser";
import { OVERSIZED_EVENT } from "../protocol/index.js";

const EVENT_TYPE = String(parser.PacketType.EVENT);

/** Detail carried by the synthetic oversized event. */
export interface OversizedDetail {
  bytes: number;
  limit: number;
}

/** UTF-8 size of a string, computed only when its length alone cannot decide against the limit. */
function exceeds(text: string, limit: number): number | null {
  if (text.length * 3 <= limit) return null;
  if (text.length > limit) return Buffer.byteLength(text);
  const bytes = Buffer.byteLength(text);
  return bytes > limit ? bytes : null;
}

/**
 * A socket.io parser whose decoder does not parse an event over the size limit: it turns it into a
 * `liveview:oversized` event that keeps the packet's namespace and ack id, so the dispatcher can
 * answer that one call with a clear error instead of the connection being dropped.
 */
export function sizeLimitedParser(limit: number): typeof parser {
  class SizeLimitedDecoder extends parser.Decoder {
    override add(obj: unknown): void {
      if (typeof obj === "string" && obj.startsWith(EVENT_TYPE)) {
        const bytes = exceeds(obj, limit);
        if (bytes !== null) {
          this.emitReserved("decoded", oversizedPacket(obj, { bytes, limit }));
          return;
        }
      }
      super.add(obj);
    }
  }
  return { ...parser, Decoder: SizeLimitedDecoder };
}

/** Reads the namespace and ack id from the packet header (`2/nsp,12[...]`) without parsing the body. */
function oversizedPacket(text: string, detail: OversizedDetail): parser.Packet {
  let i = 1;
  let nsp = "/";
  if (text.charAt(i) === "/") {
    const comma = text.indexOf(",", i);
    nsp = text.slice(i, comma === -1 ? text.length : comma);
    i = comma === -1 ? text.length : comma + 1;
  }
  const start = i;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const id = i > start ? Number(text.slice(start, i)) : undefined;
  return { type: parser.PacketType.EVENT, nsp, id, data: [OVERSIZED_EVENT, detail] };
}
