// The server takes websocket connections only by default, so several nodes need no sticky sessions.
import { DEFAULT_PATH } from "../../protocol/index";
import { closeClients, connectClient, signedRoom } from "../support/client";
import { httpGet } from "../support/http";
import { startServer, type TestServer } from "../support/server";

const servers: TestServer[] = [];

afterEach(async () => {
  closeClients();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** The first request of a long-polling handshake, as socket.io-client sends it. */
const pollingHandshake = (server: TestServer) => httpGet(`${server.url}${DEFAULT_PATH}?EIO=4&transport=polling`);

describe("transports", () => {
  it("accepts websocket connections and refuses long-polling by default", async () => {
    const server = await startServer();
    servers.push(server);
    expect((await connectClient(server.url, { room: signedRoom("ws-only") })).connected).toBe(true);
    const refused = await pollingHandshake(server);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatch(/Transport unknown/);
  });

  it("accepts long-polling again when the transports option allows it (one node, or sticky sessions)", async () => {
    const server = await startServer({ transports: ["polling", "websocket"] });
    servers.push(server);
    const handshake = await pollingHandshake(server);
    expect(handshake.status).toBe(200);
    expect(handshake.body).toMatch(/"sid"/);
  });
});
