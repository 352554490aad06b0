import * as parser from "socket.io-parser";
import { OVERSIZED_EVENT } from "../../protocol/index.js";

const EVENT_TYPE = String(parser.PacketType.EVENT);
const BINARY_EVENT_TYPE = String(parser.PacketType.BINARY_EVENT);
/** socket.io-parser's default `maxAttachments` (socket.io creates its decoder without options). */
const MAX_ATTACHMENTS = 10;

/** Detail carried by the synthetic oversized event. */
export interface OversizedDetail {
  bytes: number;
  limit: number;
}

/**
 * The size of each decoded event as received, keyed by its arguments array (the packet's `data`, which socket.io
 * hands to `socket.use` middleware as is: Socket#onevent's `const args = packet.data`). Characters of the text packet
 * plus bytes of its binary attachments: the call queue budgets waiting calls by it without measuring them again.
 */
const receivedSizes = new WeakMap<object, number>();

/** The size as received of the event whose arguments these are; undefined for one this parser did not decode. */
export const receivedSize = (args: readonly unknown[]): number | undefined => receivedSizes.get(args);

/** UTF-8 size of a string, computed only when its length alone cannot decide against the limit. */
function exceeds(text: string, limit: number): number | null {
  if (text.length * 3 <= limit) return null;
  if (text.length > limit) return Buffer.byteLength(text);
  const bytes = Buffer.byteLength(text);
  return bytes > limit ? bytes : null;
}

/** Size of one binary attachment (a Buffer, an ArrayBuffer or, over polling, a base64 object). */
function attachmentBytes(obj: unknown): number {
  if (typeof obj !== "object" || obj === null) return 0;
  if ("byteLength" in obj) return Number(obj.byteLength) || 0;
  return "data" in obj && typeof obj.data === "string" ? obj.data.length : 0;
}

/** The binary event being received: its header (`5<n>-...`) counts with its attachments against the limit. */
interface BinaryInProgress {
  header: string;
  expected: number;
  received: number;
  bytes: number;
  dropped: boolean;
}

/**
 * A socket.io parser whose decoder does not parse an event over the size limit: it turns it into a
 * `liveview:oversized` event that keeps the packet's namespace and ack id, so the dispatcher can
 * answer that one call with a clear error instead of the connection being dropped. Events with
 * binary attachments count the header and every attachment.
 */
export function sizeLimitedParser(limit: number): typeof parser {
  class SizeLimitedDecoder extends parser.Decoder {
    private binary: BinaryInProgress | null = null;
    /** The size of the packet being decoded, read by the "decoded" listener that runs first. */
    private receiving = 0;

    constructor(...args: ConstructorParameters<typeof parser.Decoder>) {
      super(...args);
      // Registered before socket.io's own listener, so it tags each packet before socket.io sees it.
      this.on("decoded", (packet: parser.Packet) => {
        if (Array.isArray(packet.data)) receivedSizes.set(packet.data, this.receiving);
      });
    }

    override add(obj: unknown): void {
      // As the parser itself does: text in the middle of a binary event's attachments is a protocol error.
      if (typeof obj === "string" && this.binary) throw new Error("got plaintext data when reconstructing a packet");
      if (typeof obj === "string") this.receiving = obj.length;
      if (typeof obj === "string" && obj.startsWith(EVENT_TYPE)) {
        const bytes = exceeds(obj, limit);
        if (bytes !== null) {
          this.emitReserved("decoded", oversizedPacket(obj, { bytes, limit }));
          return;
        }
      }
      if (typeof obj === "string" && obj.startsWith(BINARY_EVENT_TYPE)) return this.startBinary(obj);
      if (typeof obj !== "string" && this.binary) return this.addAttachment(this.binary, obj);
      super.add(obj);
    }

    private startBinary(header: string): void {
      const dash = header.indexOf("-");
      const expected = Number(header.slice(1, dash));
      const bytes = Buffer.byteLength(header);
      const wellFormed = dash > 1 && Number.isInteger(expected) && expected >= 1 && expected <= MAX_ATTACHMENTS;
      // A header over the limit is not parsed; anything malformed goes to the parser, which rejects it as before.
      const dropped = wellFormed && bytes > limit;
      if (!dropped) super.add(header);
      this.binary = { header, expected, received: 0, bytes, dropped };
    }

    private addAttachment(binary: BinaryInProgress, obj: unknown): void {
      binary.received++;
      binary.bytes += attachmentBytes(obj);
      const last = binary.received >= binary.expected;
      if (last) this.binary = null;
      this.receiving = binary.bytes;
      if (!binary.dropped && binary.bytes <= limit) return super.add(obj);
      if (!binary.dropped) {
        binary.dropped = true;
        super.destroy(); // stops the reconstruction; the remaining attachments are skipped here
      }
      if (last) {
        const header = EVENT_TYPE + binary.header.slice(binary.header.indexOf("-") + 1);
        this.emitReserved("decoded", oversizedPacket(header, { bytes: binary.bytes, limit }));
      }
    }

    override destroy(): void {
      this.binary = null;
      super.destroy();
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
