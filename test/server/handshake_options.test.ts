import type { TemplateRenderer } from "../../server/views/rendering";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { createLiveView } from "../../server/index";
import { RoomTokens } from "../../server/security/room_tokens";
import { closeClients, connectClient, connectError, signedRoom } from "../support/client";
import { mockLogger, withNodeEnv } from "../support/logger";
import { FIXTURE_VIEWS, startServer, TEST_SECRET, type TestServer } from "../support/server";

let server: TestServer | undefined;
afterEach(async () => {
  closeClients();
  await server?.close();
  server = undefined;
});

describe("maxConnectionsPerIp", () => {
  it("refuses connections past the cap from one address, and takes them again once one closes", async () => {
    const logger = mockLogger();
    server = await startServer({ logger, maxConnectionsPerIp: 2 });
    const room = signedRoom("cap");
    const first = await connectClient(server.url, { room });
    await connectClient(server.url, { room });
    const error = await connectError(server.url, { room });
    expect(error).toBeInstanceOf(Error);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/refused a connection from 127\.0\.0\.1: too many connections/));
    const engineSocket = server.liveview.io.of("/").sockets.get(first.id!)!.conn;
    const closed = new Promise((resolve) => engineSocket.once("close", resolve));
    first.disconnect();
    await closed;
    await connectClient(server.url, { room });
  });

  it("is off by default", async () => {
    server = await startServer({ logger: mockLogger() });
    const room = signedRoom("no-cap");
    await Promise.all(Array.from({ length: 30 }, () => connectClient(server!.url, { room })));
  });
});

describe("the secret", () => {
  const make = (options: Parameters<typeof createLiveView>[1]) => {
    const httpServer = http.createServer();
    try {
      return createLiveView(httpServer, { views: FIXTURE_VIEWS, ...options });
    } finally {
      httpServer.close();
    }
  };

  it("warns once at start-up when none is configured, and still signs rooms", async () => {
    const logger = mockLogger();
    const previous = process.env.LIVEVIEW_SECRET;
    delete process.env.LIVEVIEW_SECRET;
    try {
      const liveview = make({ logger });
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn.mock.calls[0]![0]).toMatch(/will not survive a restart or span nodes/);
      expect(liveview.signRoom("a")).toMatch(/^a\./);
      await liveview.close();
    } finally {
      if (previous !== undefined) process.env.LIVEVIEW_SECRET = previous;
    }
  });

  it("reads LIVEVIEW_SECRET", async () => {
    process.env.LIVEVIEW_SECRET = TEST_SECRET;
    try {
      const logger = mockLogger();
      const liveview = make({ logger });
      expect(logger.warn).not.toHaveBeenCalled();
      expect(new RoomTokens(TEST_SECRET).verify(liveview.signRoom("env-room"))).toEqual({ ok: true, room: "env-room" });
      await liveview.close();
    } finally {
      delete process.env.LIVEVIEW_SECRET;
    }
  });

  it("refuses to start with redis and signed rooms but no shared secret", () => {
    delete process.env.LIVEVIEW_SECRET;
    expect(() => make({ logger: mockLogger(), redis: "redis://127.0.0.1:1" })).toThrow(/need one shared secret/);
  });

  it("refuses a secret too short to be a key", () => {
    expect(() => make({ logger: mockLogger(), secret: "short" })).toThrow(/at least 16 characters/);
  });

  it('needs no secret with rooms: "unsigned"', async () => {
    const logger = mockLogger();
    const liveview = make({ logger, rooms: "unsigned" });
    expect(logger.warn).not.toHaveBeenCalled();
    expect(liveview.signRoom("plain")).toBe("plain");
    await liveview.close();
  });
});

describe("room helpers", () => {
  it("renders {{liveviewSignedRoom name}} and a signed {{liveviewRoomUuid}}", async () => {
    server = await startServer({ logger: mockLogger() });
    const tokens = new RoomTokens(TEST_SECRET);
    const handlebars = ((await import("../../server/views/rendering")).getRenderer() as TemplateRenderer).handlebars;
    const signed = handlebars.compile("{{liveviewSignedRoom name}}")({ name: "board-7" });
    expect(tokens.verify(signed)).toEqual({ ok: true, room: "board-7" });
    const uuid = handlebars.compile("{{liveviewRoomUuid}}")({});
    expect(tokens.verify(uuid)).toEqual({ ok: true, room: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });
});

describe("listening on a public address outside production", () => {
  const listenOn = async (host: string) => {
    const logger = mockLogger();
    const httpServer = http.createServer();
    const liveview = createLiveView(httpServer, { views: FIXTURE_VIEWS, secret: TEST_SECRET, logger });
    await new Promise<void>((resolve) => httpServer.listen(0, host, resolve));
    const port = (httpServer.address() as AddressInfo).port;
    await liveview.close();
    return { logger, port };
  };

  it("logs one warning that says so and how to turn it off", async () => {
    const { logger } = await withNodeEnv("development", () => listenOn("0.0.0.0"));
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0]![0]).toMatch(/outside NODE_ENV=production: error details .* Set NODE_ENV=production/);
  });

  it("stays quiet on loopback and in production", async () => {
    expect((await withNodeEnv("development", () => listenOn("127.0.0.1"))).logger.warn).not.toHaveBeenCalled();
    expect((await withNodeEnv("production", () => listenOn("0.0.0.0"))).logger.warn).not.toHaveBeenCalled();
  });
});
