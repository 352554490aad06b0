import type { Socket } from "socket.io-client";
import { PacketType, type Packet } from "socket.io-parser";
import { LIVEVIEW_EVENT } from "../../protocol/index";
import { liveviewRegistry, send, type Handler, type Middleware } from "../../server/index";
import {
  call,
  callMessage,
  callWithAck,
  closeClients,
  connectClient,
  gate,
  serverReceived,
  serverSocketOf,
} from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let client: Socket;
const events: string[] = [];
let slowGate = gate();

const handlers: Record<string, Handler> = {
  hd_sync: (consumer, content) => {
    send(consumer, { target: "#out", html: `sync ${String(content.form.name)}` });
  },
  hd_async: async (consumer, content) => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    send(consumer, { target: "#out", html: `async ${String(content.form.name)}` });
  },
  hd_awaits_work: async (consumer) => {
    send(consumer, { html: "first" });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await Promise.resolve().then(() => events.push("nested work finished"));
    send(consumer, { html: "second" });
    events.push("handler finished");
  },
  hd_slow: async (_consumer, content) => {
    events.push(`start ${String(content.data.n)}`);
    await slowGate.promise;
    events.push(`end ${String(content.data.n)}`);
  },
  hd_fast: (_consumer, content) => {
    events.push(`start ${String(content.data.n)}`);
    events.push(`end ${String(content.data.n)}`);
  },
  hd_throws: () => {
    throw new Error("nope");
  },
  hd_cancelled: () => undefined,
  hd_returns_value: () => ({ ignored: true }),
};

beforeAll(async () => {
  for (const [name, fn] of Object.entries(handlers)) liveviewRegistry.register(name)(fn);
  server = await startServer({ logger: mockLogger() });
});

beforeEach(async () => {
  events.length = 0;
  slowGate = gate();
  client = await connectClient(server.url);
});

afterEach(() => closeClients());

afterAll(async () => {
  for (const name of Object.keys(handlers)) liveviewRegistry.unregister(name);
  await server.close();
});

/** Records, in arrival order, the updates and the acks the client sees. */
function recordTimeline(socket: Socket): string[] {
  const timeline: string[] = [];
  socket.on(LIVEVIEW_EVENT, (update: { html?: string }) => timeline.push(`update ${String(update.html)}`));
  return timeline;
}

describe("handlers", () => {
  it("runs a sync handler and acks { ok: true }", async () => {
    const timeline = recordTimeline(client);
    const ack = await call(client, "hd_sync", { form: { name: "Ada" } });
    expect(ack).toEqual({ ok: true });
    expect(timeline).toEqual(["update sync Ada"]);
  });

  it("runs an async handler and acks { ok: true }", async () => {
    const timeline = recordTimeline(client);
    const ack = await call(client, "hd_async", { form: { name: "Grace" } });
    expect(ack).toEqual({ ok: true });
    expect(timeline).toEqual(["update async Grace"]);
  });

  it("ignores the value a handler returns", async () => {
    expect(await call(client, "hd_returns_value")).toEqual({ ok: true });
  });

  it("acks only after the handler and everything it awaited finished, after the updates it sent", async () => {
    const timeline = recordTimeline(client);
    await call(client, "hd_awaits_work").then((ack) => timeline.push(`ack ${JSON.stringify(ack)}`));
    expect(events).toEqual(["nested work finished", "handler finished"]);
    expect(timeline).toEqual(["update first", "update second", 'ack {"ok":true}']);
  });

  it("runs the calls of one socket one after another, in arrival order", async () => {
    const received = serverReceived(serverSocketOf(server.liveview, client), 3);
    const acks = [
      call(client, "hd_slow", { data: { n: "1" } }),
      call(client, "hd_fast", { data: { n: "2" } }),
      call(client, "hd_fast", { data: { n: "3" } }),
    ];
    await received;
    // All three calls are on the server while the first still waits: none of the others may have started.
    expect(events).toEqual(["start 1"]);
    slowGate.open();
    expect(await Promise.all(acks)).toEqual([{ ok: true }, { ok: true }, { ok: true }]);
    expect(events).toEqual(["start 1", "end 1", "start 2", "end 2", "start 3", "end 3"]);
  });

  it("does not make another socket wait for a slow call of the first", async () => {
    const other = await connectClient(server.url);
    const received = serverReceived(serverSocketOf(server.liveview, client), 1);
    const slow = call(client, "hd_slow", { data: { n: "slow" } });
    await received;
    expect(events).toEqual(["start slow"]);
    expect(await call(other, "hd_fast", { data: { n: "other" } })).toEqual({ ok: true });
    expect(events).toContain("end other");
    expect(events).not.toContain("end slow");
    slowGate.open();
    expect(await slow).toEqual({ ok: true });
  });

  it("gives every call that carries an ack exactly one ack, whatever its outcome", async () => {
    const acksById = new Map<number, number>();
    client.io.on("packet", (packet: Packet) => {
      if (packet.type === PacketType.ACK && packet.id !== undefined) {
        acksById.set(packet.id, (acksById.get(packet.id) ?? 0) + 1);
      }
    });
    const cancelOne: Middleware = (_consumer, _content, name) => (name === "hd_cancelled" ? false : undefined);
    liveviewRegistry.addMiddleware(cancelOne);
    try {
      const outcomes = await Promise.all([
        call(client, "hd_sync"),
        call(client, "hd_async"),
        call(client, "hd_throws"),
        call(client, "hd_cancelled"),
        call(client, "hd_unknown_name"),
        callWithAck(client, "not an object"),
        callWithAck(client, { form: {} }),
        callWithAck(client, {}, "some_unknown_event"),
      ]);
      expect(outcomes.map((ack) => ack.ok)).toEqual([true, true, false, false, false, false, false, false]);
      // A last call: the calls of one socket run in order, so any second ack would have come before its ack.
      expect(await call(client, "hd_sync")).toEqual({ ok: true });
    } finally {
      liveviewRegistry.removeMiddleware(cancelOne);
    }
    expect(acksById.size).toBe(9);
    expect([...acksById.values()]).toEqual(Array(9).fill(1));
  });

  it("runs a call sent without an ack", async () => {
    const update = new Promise((resolve) => client.once(LIVEVIEW_EVENT, resolve));
    client.emit(LIVEVIEW_EVENT, callMessage("hd_sync", { form: { name: "no ack" } }));
    expect(await update).toEqual({ target: "#out", html: "sync no ack" });
  });
});
