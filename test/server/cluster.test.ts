// Two LiveView nodes as separate processes sharing one real redis-server: broadcasts, rooms, exactly-once
// calls and sessions across nodes.
import http from "node:http";
import type { Socket } from "socket.io-client";
import { callMessage, callWithAck, closeClients, connectClient, nextUpdate, recordUpdates, signedRoom } from "../support/client";
import { startCluster, warmUp, type Cluster } from "../support/cluster";
import { eventually } from "../support/processes";

jest.setTimeout(60_000);

let cluster: Cluster;
let a: string;
let b: string;

beforeAll(async () => {
  // Node a gets a Redis URL (createLiveView opens its own client), node b the app's client.
  cluster = await startCluster(["a", "b"], (name) => ({ REDIS_FORM: name === "a" ? "url" : "client" }));
  [a, b] = cluster.nodes.map((node) => node.url) as [string, string];
  const probes = await Promise.all([connectClient(a, { room: signedRoom("warm-a") }), connectClient(b, { room: signedRoom("warm-b") })]);
  await warmUp(cluster.nodes, probes);
});

afterEach(() => closeClients());

afterAll(async () => {
  closeClients();
  await cluster?.stop();
});

describe("broadcasts across nodes", () => {
  it("sends a broadcast from a handler on node a to the clients on node b", async () => {
    const onA = await connectClient(a, { room: signedRoom("bc-1") });
    const onB = await connectClient(b, { room: signedRoom("bc-2") });
    const heard = nextUpdate(onB, (u) => u.html === "hello via a");
    expect(await callWithAck(onA, callMessage("shout", { data: { text: "hello" } }))).toEqual({ ok: true });
    expect(await heard).toEqual({ target: "#shout", html: "hello via a" });
  });

  it("sends liveview.broadcast from an HTTP route on node b to the clients on both nodes", async () => {
    const clients = await Promise.all([connectClient(a, { room: signedRoom("bc-3") }), connectClient(b, { room: signedRoom("bc-4") })]);
    const heard = clients.map((client) => nextUpdate(client, (u) => u.html === "news via b"));
    await new Promise((resolve) => http.get(`${b}/broadcast?text=news`, { agent: false }, resolve));
    expect(await Promise.all(heard)).toHaveLength(2);
  });

  it("sends a room's updates to that room's sockets on both nodes and to no one else", async () => {
    const [a1, b1, a2, b2] = await Promise.all([
      connectClient(a, { room: signedRoom("room-1") }),
      connectClient(b, { room: signedRoom("room-1") }),
      connectClient(a, { room: signedRoom("room-2") }),
      connectClient(b, { room: signedRoom("room-2") }),
    ]);
    const records = [a1, b1, a2, b2].map((client) => recordUpdates(client!));
    const room1 = [a1, b1].map((client) => nextUpdate(client!, (u) => u.html === "for one via b"));
    await callWithAck(b2!, callMessage("to_room", { data: { room: "room-1", text: "for one" } }));
    // Sent after it on the same stream: once room 2 has this, it would have had the first one too.
    const room2 = [a2, b2].map((client) => nextUpdate(client!, (u) => u.html === "for two via b"));
    await callWithAck(b2!, callMessage("to_room", { data: { room: "room-2", text: "for two" } }));
    await Promise.all([...room1, ...room2]);
    const rooms = records.map((updates) => updates.filter((u) => u.target === "#room").map((u) => u.html));
    expect(rooms).toEqual([["for one via b"], ["for one via b"], ["for two via b"], ["for two via b"]]);
  });
});

describe("order", () => {
  it("delivers a handler's updates before its ack, as one process does", async () => {
    // With Redis an update reaches even a local socket only after Redis stored it; the ack waits for it.
    const clients = await Promise.all([connectClient(a, { room: signedRoom("order-1") }), connectClient(b, { room: signedRoom("order-2") })]);
    for (const client of clients) {
      const updates = recordUpdates(client);
      for (const n of ["o1", "o2", "o3"]) {
        await callWithAck(client, callMessage("record", { data: { n } }));
        expect(updates.filter((u) => u.target === "#runs").at(-1)?.html).toBe(`<li>${n}</li>`);
      }
    }
  });
});

describe("exactly-once calls across nodes", () => {
  const runsOf = (n: string) => cluster.runs().filter((line) => line.split(" ")[2] === n);

  it("answers a call resent to node b after it ran on node a with the first ack, without running it again", async () => {
    const onA = await connectClient(a, { room: signedRoom("eo-x"), tab: "tab-eo-x" });
    const message = callMessage("record", { data: { n: "x1" } });
    expect(await callWithAck(onA, message)).toEqual({ ok: true });
    onA.disconnect();
    const onB = await connectClient(b, { room: signedRoom("eo-x"), tab: "tab-eo-x" });
    const updates = recordUpdates(onB);
    expect(await callWithAck(onB, message)).toEqual({ ok: true });
    expect(runsOf("x1")).toEqual(["a eo-x x1 start", "a eo-x x1 end"]);
    expect(updates.filter((u) => u.target === "#runs")).toEqual([]);
  });

  it("makes a duplicate on node b wait for the first run still going on node a", async () => {
    const onA = await connectClient(a, { room: signedRoom("eo-y"), tab: "tab-eo-y" });
    const onB = await connectClient(b, { room: signedRoom("eo-y"), tab: "tab-eo-y" });
    const message = callMessage("record", { data: { n: "y1", sleepMs: "600" } });
    const first = callWithAck(onA, message);
    await eventually(() => runsOf("y1").length === 1);
    const second = await callWithAck(onB, message);
    expect(runsOf("y1")).toEqual(["a eo-y y1 start", "a eo-y y1 end"]);
    expect(second).toEqual({ ok: true });
    expect(await first).toEqual({ ok: true });
  });

  it("still runs the same id once in each room", async () => {
    const onA = await connectClient(a, { room: signedRoom("eo-z1") });
    const onB = await connectClient(b, { room: signedRoom("eo-z2") });
    const message = callMessage("record", { data: { n: "z1" } });
    await callWithAck(onA, message);
    await callWithAck(onB, message);
    expect(runsOf("z1").filter((line) => line.endsWith("start"))).toEqual(["a eo-z1 z1 start", "b eo-z2 z1 start"]);
  });
});

describe("sessions shared through Redis", () => {
  it("gives a socket on node b the user who logged in over HTTP on node a", async () => {
    const cookie = await new Promise<string>((resolve, reject) => {
      const request = http.request(`${a}/login?name=ada`, { method: "POST", agent: false }, (res) => {
        const header = res.headers["set-cookie"]?.[0];
        // express-session sends the headers before the store has the session, and ends the body after.
        res.resume().on("end", () => (header ? resolve(header.split(";")[0]!) : reject(new Error("no session cookie"))));
      });
      request.on("error", reject);
      request.end();
    });
    const sockets: Socket[] = [];
    for (const url of [b, a]) sockets.push(await connectClient(url, { room: signedRoom("who"), extraHeaders: { cookie } }));
    const users = await Promise.all(
      sockets.map(async (socket) => {
        const update = nextUpdate(socket, (u) => u.target === "#user");
        await callWithAck(socket, callMessage("whoami"));
        return JSON.parse(String((await update).html).replace(/&#34;/g, '"'));
      }),
    );
    expect(users).toEqual([
      { name: "ada", loggedInOn: "a" },
      { name: "ada", loggedInOn: "a" },
    ]);
  });
});
