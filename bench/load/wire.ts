// The socket.io v5 / engine.io v4 wire protocol over a bare `ws` socket: just enough of it to connect
// with `auth`, answer pings, send events with ack ids and recognise events and acks, without parsing JSON.
import WebSocket from "ws";

const CHAR = {
  open: 0x30,
  close: 0x31,
  ping: 0x32,
  message: 0x34,
  connect: 0x30,
  connectError: 0x34,
  event: 0x32,
  ack: 0x33,
};

export interface LeanHandlers {
  /** An ack `43<id>[...]`: its id. */
  ack?: (id: number, frame: Buffer) => void;
  /** An event `42[...]`. */
  event?: (frame: Buffer) => void;
  /** Every frame's payload size, both ways. */
  bytes?: (received: number, sent: number) => void;
}

/**
 * One socket.io connection over `ws`: `0{...}` open -> `40{auth}` -> `40{sid}` connected; `2` -> `3`;
 * `42<id>[...]` events out; `42[...]` events and `43<id>[...]` acks in.
 */
export class LeanSocket {
  private readonly ws: WebSocket;
  readonly connected: Promise<void>;

  constructor(
    url: string,
    auth: Record<string, string>,
    private readonly handlers: LeanHandlers,
  ) {
    this.ws = new WebSocket(`${url}?EIO=4&transport=websocket`, { perMessageDeflate: false });
    this.connected = new Promise<void>((resolve, reject) => {
      this.ws.once("error", reject);
      this.ws.once("close", () => reject(new Error("closed before connecting")));
      this.ws.on("message", (data: Buffer) => {
        this.handlers.bytes?.(data.length, 0);
        if (data[0] !== CHAR.message) return this.engine(data, auth);
        if (data[1] === CHAR.event) return this.handlers.event?.(data);
        if (data[1] === CHAR.ack) return this.handlers.ack?.(readId(data, 2), data);
        if (data[1] === CHAR.connect) resolve();
        else if (data[1] === CHAR.connectError) reject(new Error(`refused: ${data.toString()}`));
      });
    });
    this.connected.catch(() => undefined);
  }

  /** Engine.io packets: the open packet starts the socket.io handshake, pings get pongs. */
  private engine(data: Buffer, auth: Record<string, string>): void {
    if (data[0] === CHAR.open) this.sendText(`40${JSON.stringify(auth)}`);
    else if (data[0] === CHAR.ping && data.length === 1) this.sendText("3");
  }

  sendText(text: string): void {
    this.handlers.bytes?.(0, text.length);
    this.ws.send(text);
  }

  close(): void {
    this.ws.terminate();
  }
}

/** The decimal number starting at `from` (the ack id after `43`). */
function readId(data: Buffer, from: number): number {
  let id = 0;
  for (let i = from; i < data.length; i++) {
    const c = data[i];
    if (c < 0x30 || c > 0x39) break;
    id = id * 10 + (c - 0x30);
  }
  return id;
}

/** Opens `count` sockets, `parallel` handshakes at a time, so the server's listen backlog never overflows. */
export async function openSockets(
  count: number,
  parallel: number,
  open: (index: number) => LeanSocket,
): Promise<LeanSocket[]> {
  const sockets: LeanSocket[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      sockets[index] = open(index);
      await sockets[index].connected;
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return sockets;
}
