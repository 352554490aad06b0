import { resolveConfig } from "../../controllers/transport/connection_config";
import { SocketIoConnection } from "../../controllers/transport/socket_io_connection";
import type { CallMessage, Update } from "../../protocol/index";
import { liveviewRegistry, send } from "../../server/index";
import { gate, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";
import { waitFor } from "../support/e2e";

// The browser's own transport (SocketIoConnection) against a real server: a call the server holds longer than
// callTimeoutMs fails in the browser with code `timeout`; the server's exactly-once ledger is not confused by it.
let server: TestServer;
let runs = 0;
let held: ReturnType<typeof gate>;
const connections: SocketIoConnection[] = [];

beforeAll(async () => {
  liveviewRegistry.register("ct_held")(async (consumer) => {
    runs++;
    await held.promise;
    send(consumer, { target: "#out", html: "finished" });
  });
  server = await startServer({ logger: mockLogger() });
});

beforeEach(() => {
  runs = 0;
  held = gate();
});

afterEach(() => connections.splice(0).forEach((connection) => connection.disconnect()));

afterAll(async () => {
  liveviewRegistry.unregister("ct_held");
  await server.close();
});

async function connect(callTimeoutMs: number): Promise<{ connection: SocketIoConnection; updates: Update[] }> {
  const updates: Update[] = [];
  let connected = false;
  const config = resolveConfig({ protocol: "ws", callTimeoutMs }, { host: `127.0.0.1:${server.port}`, protocol: "http:" });
  const connection = new SocketIoConnection(config, { room: signedRoom("ct-room") }, {
    update: (update) => updates.push(update),
    ready: () => undefined,
    connected: () => (connected = true),
    disconnected: () => undefined,
    reconnected: () => undefined,
    sessionLost: () => undefined,
  });
  connections.push(connection);
  connection.connect();
  await waitFor(() => connected);
  return { connection, updates };
}

const message = (id: string): CallMessage => ({ id, function: "ct_held", data: {}, form: {}, lang: null, room: null });

it("fails a call the server holds past callTimeoutMs; a resend of its id after the handler finished gets the first ack", async () => {
  const { connection, updates } = await connect(200);
  const first = await connection.call(message("ct-1"));
  expect(first).toEqual({ ok: false, error: "No answer from the server in 200 ms", code: "timeout" });
  expect(runs).toBe(1);

  held.open();
  await waitFor(() => updates.some((update) => update.html === "finished"));
  // The late ack of the timed-out call was dropped quietly; the connection still works.
  expect(await connection.call(message("ct-1"))).toEqual({ ok: true });
  expect(runs).toBe(1);
  expect(updates.filter((update) => update.html === "finished")).toHaveLength(1);
  expect(connection.status()).toBe("connected");
});

it("does not time out a call answered in time", async () => {
  const { connection } = await connect(5000);
  held.open();
  expect(await connection.call(message("ct-2"))).toEqual({ ok: true });
});
