// The browser bundle's websocket-only engine, under the real socket.io-client and against a real server.
// It runs here in Node, with the `ws` package as the WebSocket a browser would provide.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import type { Socket as ClientSocket } from "socket.io-client";
import { WebSocket, WebSocketServer } from "ws";
import { WebSocketEngine, type EngineCloseReason } from "../../controllers/transport/websocket_engine";

(globalThis as { WebSocket?: unknown }).WebSocket = WebSocket;
// socket.io-client makes its engine from engine.io-client's Socket, as the bundle's build arranges.
jest.doMock("engine.io-client", () => ({ ...jest.requireActual("engine.io-client"), Socket: WebSocketEngine }));
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { io } = require("socket.io-client") as typeof import("socket.io-client");

const PATH = "/ws/liveview/";
const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function listen(server: http.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A socket.io server taking websocket connections only, as ours does. */
async function socketIoServer(options: { pingInterval?: number; pingTimeout?: number } = {}) {
  const httpServer = http.createServer();
  const server = new Server(httpServer, { path: PATH, transports: ["websocket"], ...options });
  server.on("connection", (socket) => {
    socket.on("echo", (value: unknown, ack: (reply: unknown) => void) => ack(value));
  });
  const port = await listen(httpServer);
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { server, url: `ws://127.0.0.1:${port}` };
}

function client(url: string, options: Record<string, unknown> = {}): ClientSocket {
  const socket = io(url, { path: PATH, transports: ["websocket"], reconnectionDelay: 20, ...options });
  closers.push(() => void socket.disconnect());
  return socket;
}

const connected = (socket: ClientSocket) => new Promise<void>((resolve) => socket.once("connect", () => resolve()));
const disconnected = (socket: ClientSocket) => new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A bare websocket server: the test plays engine.io's server side by hand. */
async function rawServer() {
  const httpServer = http.createServer();
  const wss = new WebSocketServer({ server: httpServer });
  const port = await listen(httpServer);
  closers.push(() => new Promise<void>((resolve) => {
    for (const peer of wss.clients) peer.terminate();
    wss.close(() => httpServer.close(() => resolve()));
  }));
  const next = () =>
    new Promise<{ peer: WebSocket; url: string; received: string[] }>((resolve) =>
      wss.once("connection", (peer, request) => {
        const received: string[] = [];
        peer.on("message", (data) => received.push(String(data)));
        resolve({ peer, url: request.url ?? "", received });
      }),
    );
  return { url: `ws://127.0.0.1:${port}`, next };
}

const opened = (made: WebSocketEngine) => new Promise<void>((resolve) => made.once("open", () => resolve()));

const handshake = (pingInterval: number, pingTimeout: number) =>
  `0${JSON.stringify({ sid: "abc", upgrades: [], pingInterval, pingTimeout, maxPayload: 1e6 })}`;

/** An engine that got the handshake from a bare server with these ping settings. */
async function handshaken(pingInterval: number, pingTimeout: number) {
  const server = await rawServer();
  const peer = server.next();
  const made = engine(server.url);
  const { peer: socket, received } = await peer;
  socket.send(handshake(pingInterval, pingTimeout));
  await opened(made.engine);
  return { ...made, received };
}

function engine(url: string, options: ConstructorParameters<typeof WebSocketEngine>[1] = { path: PATH }) {
  const made = new WebSocketEngine(url, options);
  closers.push(() => made.close());
  const closed = new Promise<EngineCloseReason>((resolve) => made.on("close", (reason) => resolve(reason)));
  return { engine: made, closed };
}

describe("websocket engine", () => {
  it("carries socket.io events and their acks", async () => {
    const { url } = await socketIoServer();
    const socket = client(url);
    await connected(socket);
    expect(socket.io.engine).toBeInstanceOf(WebSocketEngine);
    expect(await socket.emitWithAck("echo", { text: "hello", n: 3 })).toEqual({ text: "hello", n: 3 });
  });

  it("carries binary attachments both ways", async () => {
    const { url } = await socketIoServer();
    const socket = client(url);
    await connected(socket);
    const reply = (await socket.emitWithAck("echo", { bytes: new Uint8Array([1, 2, 250]) })) as { bytes: ArrayBuffer };
    expect(Array.from(new Uint8Array(reply.bytes))).toEqual([1, 2, 250]);
  });

  it("answers the server's pings, so an idle connection outlives pingInterval + pingTimeout", async () => {
    const { url } = await socketIoServer({ pingInterval: 40, pingTimeout: 40 });
    const socket = client(url);
    await connected(socket);
    let pings = 0;
    socket.io.on("ping", () => pings++);
    await delay(400);
    expect(socket.connected).toBe(true);
    expect(pings).toBeGreaterThanOrEqual(3);
  });

  it("closes with 'ping timeout' when the server's pings stop", async () => {
    const { engine: made, closed } = await handshaken(30, 30);
    expect(await closed).toBe("ping timeout");
    expect(made.readyState).toBe("closed");
  });

  it("counts the connection dead on the next send once the ping deadline passed (a page whose timers slept)", async () => {
    const { engine: made, closed } = await handshaken(60_000, 20_000);
    expect(made._hasPingExpired()).toBe(false);
    const now = Date.now();
    const clock = jest.spyOn(Date, "now").mockReturnValue(now + 81_000);
    try {
      expect(made._hasPingExpired()).toBe(true);
      expect(await closed).toBe("ping timeout");
    } finally {
      clock.mockRestore();
    }
  });

  it("asks for the path with one trailing slash, protocol 4 and the uri's query", async () => {
    const server = await rawServer();
    const peer = server.next();
    engine(`${server.url}/?token=t1`, { path: "/custom/ws" });
    expect((await peer).url).toBe("/custom/ws/?token=t1&EIO=4&transport=websocket");
  });

  it("sends writes made before the handshake once it arrives, in order", async () => {
    const server = await rawServer();
    const peer = server.next();
    const { engine: made } = engine(server.url);
    made.write("first");
    made.write("second");
    const { peer: socket, received } = await peer;
    await delay(50);
    expect(received).toEqual([]);
    socket.send(handshake(25_000, 20_000));
    await opened(made);
    await delay(50);
    expect(received).toEqual(["4first", "4second"]);
  });

  it("reports 'transport close' when the server drops the connection, and socket.io-client reconnects", async () => {
    const { server, url } = await socketIoServer();
    const socket = client(url);
    await connected(socket);
    const reason = disconnected(socket);
    const again = connected(socket);
    for (const serverSocket of await server.fetchSockets()) (serverSocket as unknown as { conn: { close(): void } }).conn.close();
    expect(await reason).toBe("transport close");
    await again;
    expect(socket.connected).toBe(true);
  });

  it("reports a refused connection as a 'websocket error' connect_error", async () => {
    const httpServer = http.createServer();
    const port = await listen(httpServer);
    await new Promise((resolve) => httpServer.close(resolve));
    const socket = client(`ws://127.0.0.1:${port}`, { reconnection: false });
    const error = await new Promise<Error>((resolve) => socket.once("connect_error", resolve));
    expect(error.message).toBe("websocket error");
    expect(socket.connected).toBe(false);
  });

  it("closes at once on disconnect() and sends nothing after", async () => {
    const { engine: made, closed, received } = await handshaken(25_000, 20_000);
    made.close();
    expect(await closed).toBe("forced close");
    made.write("late");
    await delay(50);
    expect(received).toEqual([]);
  });
});
