// liveview.shutdown() on SIGTERM, with real node processes sharing one redis-server: the node stops taking
// connections, answers the calls already running, closes its sockets so browsers reconnect elsewhere, exits.
import { LIVEVIEW_EVENT } from "../../protocol/index";
import { liveviewRegistry, send } from "../../server/index";
import { callMessage, callWithAck, closeClients, connectClient, connectError, gate, signedRoom } from "../support/client";
import { startCluster, type Cluster } from "../support/cluster";
import { eventually } from "../support/processes";
import { startServer } from "../support/server";

jest.setTimeout(60_000);

let cluster: Cluster;

const lines = (n: string) => cluster.runs().filter((line) => line.split(" ")[2] === n);

describe("graceful shutdown of a node", () => {
  beforeEach(async () => {
    cluster = await startCluster(["a", "b"], (name): Record<string, string> => (name === "a" ? { SHUTDOWN_DEADLINE_MS: "3000" } : {}));
  });

  afterEach(async () => {
    closeClients();
    await cluster?.stop();
  });

  it("answers the call in flight, holds back later calls, closes the connection and exits", async () => {
    const [nodeA, nodeB] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]];
    const client = await connectClient(nodeA.url, { room: signedRoom("drain-1") });
    const updates: unknown[] = [];
    client.on(LIVEVIEW_EVENT, (update) => updates.push(update));
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));

    const slow = callWithAck(client, callMessage("record", { data: { n: "slow", sleepMs: "700" } }));
    await eventually(() => lines("slow").length === 1);
    nodeA.child.process.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late = callMessage("record", { data: { n: "late" } });
    let lateAnswered = false;
    void callWithAck(client, late).then(() => (lateAnswered = true));

    expect(await slow).toEqual({ ok: true });
    expect(updates).toEqual([{ target: "#runs", html: "<li>slow</li>", append: true }]); // before its ack
    expect(await disconnected).toBe("transport close"); // so a browser reconnects, unlike "io server disconnect"
    expect(await nodeA.child.exited).toBe(0);
    expect(nodeA.child.output()).toMatch(/SHUTDOWN \d+/);
    expect(lateAnswered).toBe(false);
    expect(lines("late")).toEqual([]);
    expect(await connectError(nodeA.url, { room: signedRoom("drain-1") })).toBeInstanceOf(Error);

    // The browser sends the unanswered call again after reconnecting, here to node b: it runs there, once.
    const again = await connectClient(nodeB.url, { room: signedRoom("drain-1") });
    expect(await callWithAck(again, late)).toEqual({ ok: true });
    expect(lines("late")).toEqual(["b drain-1 late start", "b drain-1 late end"]);
    expect(lines("slow")).toEqual(["a drain-1 slow start", "a drain-1 slow end"]);
  });

  it("closes idle sockets at once and exits without waiting for the deadline", async () => {
    const [nodeA] = cluster.nodes;
    const client = await connectClient(nodeA!.url, { room: signedRoom("drain-2") });
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));
    const started = Date.now();
    nodeA!.child.process.kill("SIGTERM");
    expect(await disconnected).toBe("transport close");
    expect(await nodeA!.child.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it("closes the sockets of handlers that outrun the deadline and exits at the deadline", async () => {
    const [nodeA] = cluster.nodes;
    const client = await connectClient(nodeA!.url, { room: signedRoom("drain-3") });
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));
    void callWithAck(client, callMessage("record", { data: { n: "endless", sleepMs: "60000" } }));
    await eventually(() => lines("endless").length === 1);
    nodeA!.child.process.kill("SIGTERM");
    expect(await disconnected).toBe("transport close");
    expect(await nodeA!.child.exited).toBe(0);
    const [, took] = nodeA!.child.output().match(/SHUTDOWN (\d+)/)!;
    expect(Number(took)).toBeGreaterThanOrEqual(2900);
    expect(Number(took)).toBeLessThan(6000);
  });
});

describe("graceful shutdown of a single process (no Redis)", () => {
  afterEach(() => {
    closeClients();
    liveviewRegistry.unregister("gs_wait");
  });

  it("answers the running call, then closes the connection so the browser reconnects, and resolves", async () => {
    const release = gate();
    liveviewRegistry.register("gs_wait")(async (consumer) => {
      await release.promise;
      send(consumer, { target: "#x", html: "done" });
    });
    const server = await startServer();
    const client = await connectClient(server.url, { room: signedRoom("gs-single") });
    const updates: unknown[] = [];
    client.on(LIVEVIEW_EVENT, (update) => updates.push(update));
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));
    const ack = callWithAck(client, callMessage("gs_wait"));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = server.liveview.shutdown({ deadlineMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    release.open();
    expect(await ack).toEqual({ ok: true });
    expect(updates).toEqual([{ target: "#x", html: "done" }]);
    expect(await disconnected).toBe("transport close");
    await stopped;
    expect(server.httpServer.listening).toBe(false);
  });
});
