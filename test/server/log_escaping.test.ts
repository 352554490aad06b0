import { LIVEVIEW_EVENT } from "../../protocol/index";
import { liveviewRegistry } from "../../server/index";
import { logText } from "../../server/security/log_text";
import { call, callWithAck, closeClients, connectClient } from "../support/client";
import { mockLogger, type MockLogger } from "../support/logger";
import { startServer, type TestServer } from "../support/server";

const FORGED = "\n[liveview] forged line";
let server: TestServer;
let logger: MockLogger;

beforeAll(async () => {
  liveviewRegistry.register("throws_client_text")((_consumer, content) => {
    throw new Error(`bad value ${String(content.form.value)}`);
  });
  logger = mockLogger();
  server = await startServer({ logger });
});

beforeEach(() => {
  logger.warn.mockClear();
  logger.error.mockClear();
});

afterEach(() => closeClients());

afterAll(async () => {
  liveviewRegistry.unregister("throws_client_text");
  await server.close();
});

/** Every line logged so far (the message argument of warn and error). */
const lines = (): string[] => [...logger.warn.mock.calls, ...logger.error.mock.calls].map(([line]) => String(line));

describe("client text in log lines", () => {
  it("keeps a function name with a newline on one line: nobody can forge a log line", async () => {
    const client = await connectClient(server.url);
    const ack = await call(client, `nope${FORGED}`);
    expect(ack.ok).toBe(false);
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).not.toMatch(/[\n\r]/);
    expect(lines()[0]).toContain("nope\\n[liveview] forged line");
  });

  it("escapes event names, keys named in validation errors and handler error texts", async () => {
    const client = await connectClient(server.url);
    await callWithAck(client, {}, `evil\r\n[liveview] forged event`);
    await callWithAck(client, { function: "x", data: { [`k${FORGED}`]: new Array(40).fill(0).reduce((v) => [v], 0) } });
    await call(client, "throws_client_text", { form: { value: `v${FORGED}` } });
    expect(lines()).toHaveLength(3);
    for (const line of lines()) expect(line).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(lines().join(" ")).toContain("forged line");
  });

  it("escapes control characters, separators and bidirectional overrides, and cuts long text", () => {
    expect(logText("a\nb\tc\u0000d\u2028e\u202ef")).toBe("a\\nb\\tc\\u0000d\\u2028e\\u202ef");
    expect(logText("plain text")).toBe("plain text");
    expect(logText("x".repeat(250))).toBe(`${"x".repeat(200)}... (50 more characters)`);
    expect(logText(Object.create(null))).toBe("(a value that cannot be printed)");
  });

  it("sends the client its own error text unchanged", async () => {
    const client = await connectClient(server.url);
    const update = new Promise((resolve) => client.once(LIVEVIEW_EVENT, resolve));
    await call(client, `nope${FORGED}`);
    expect(await update).toEqual(expect.objectContaining({ error: `Unknown function: nope${FORGED}` }));
  });
});
