import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Socket } from "socket.io-client";
import { READY_EVENT, type ReadyMessage } from "../../protocol/index";
import { closeClients, createClient, signedRoom } from "../support/client";
import { mockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

let server: TestServer | undefined;

afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

const readyOf = (socket: Socket) => new Promise<ReadyMessage>((resolve) => socket.once(READY_EVENT, resolve));

describe("createLiveView({ version })", () => {
  it("sends the given version in every liveview:ready", async () => {
    server = await startServer({ logger: mockLogger(), version: "release-42" });
    const ready = await readyOf(createClient(server.url, { room: signedRoom("v-room") }));
    expect(ready).toEqual({ room: "v-room", maxPayloadBytes: expect.any(Number), version: "release-42" });
  });

  it("defaults to a hash of the served bundle file, the same on every start", async () => {
    const bundle = readFileSync(path.join(__dirname, "..", "..", "dist", "static", "liveview", "liveview.js"));
    const expected = createHash("sha256").update(bundle).digest("base64url").slice(0, 16);
    server = await startServer({ logger: mockLogger() });
    expect((await readyOf(createClient(server.url, { room: signedRoom("v-room") }))).version).toBe(expected);
    await server.close();
    server = await startServer({ logger: mockLogger() });
    expect((await readyOf(createClient(server.url, { room: signedRoom("v-room") }))).version).toBe(expected);
  });
});
