import { WebSocket } from "ws";
import { DEFAULT_PATH } from "../../protocol/index";

/** A frame as it goes on the wire: text (an engine.io packet) or binary (an attachment, or junk). */
export type RawFrame = string | Buffer;

/**
 * A socket.io client played by hand over a bare `ws` WebSocket, so a test can send frames socket.io-client never
 * would: truncated JSON, binary placeholders without their attachments, junk packet types, oversized frames.
 * It answers the server's pings, records the acks (`43<id>[...]`) it receives, and knows when the server closed it.
 */
export class RawSocket {
  readonly acked = new Set<number>();
  private readonly ws: WebSocket;
  private closedFlag = false;
  private readonly waiters = new Set<() => void>();
  /** Resolves with true once the namespace is joined (`40...`), false when it was refused or the socket closed. */
  readonly joined: Promise<boolean>;

  constructor(url: string, auth: unknown) {
    this.ws = new WebSocket(`${url.replace(/^http/, "ws")}${DEFAULT_PATH}?EIO=4&transport=websocket`);
    let settleJoin: (joined: boolean) => void = () => undefined;
    this.joined = new Promise((resolve) => (settleJoin = resolve));
    this.ws.on("message", (data, isBinary) => {
      if (isBinary) return;
      const text = String(data);
      if (text.startsWith("0")) this.ws.send(`40${JSON.stringify(auth)}`);
      else if (text === "2") this.ws.send("3");
      else if (text.startsWith("40")) settleJoin(true);
      else if (text.startsWith("44")) settleJoin(false);
      else if (text.startsWith("43")) this.acked.add(Number(/^43(\d+)/.exec(text)?.[1]));
      this.wake();
    });
    const closed = () => {
      this.closedFlag = true;
      settleJoin(false);
      this.wake();
    };
    this.ws.on("close", closed);
    this.ws.on("error", closed);
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  send(frame: RawFrame): void {
    if (this.closedFlag || this.ws.readyState !== WebSocket.OPEN) return;
    this.ws.send(frame, { binary: typeof frame !== "string" });
  }

  /** Resolves once every ack id in `ids` was answered, or the server closed the socket (the other allowed answer). */
  async answered(ids: readonly number[]): Promise<void> {
    while (!this.closedFlag && !ids.every((id) => this.acked.has(id))) {
      await new Promise<void>((resolve) => this.waiters.add(resolve));
    }
  }

  close(): void {
    this.ws.terminate();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}
