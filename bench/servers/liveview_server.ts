// express-liveview as a user runs it: createLiveView on a plain HTTP server (NODE_ENV=production), one
// handler that renders views/row.hbs with the call's data and sends it back to the caller.
// `--recovery-window-ms=N` passes `recoveryWindowMs` (the full run also measures 0: no missed-update recovery).
import http from "node:http";
import type * as LiveViewPackage from "../../server/index";
import { CALL_DATA, CALL_FUNCTION, VIEWS_DIR, rowHtml } from "./payload";
import { runBenchServer } from "./server_control";

if (process.env.NODE_ENV !== "production") throw new Error("the benchmark server runs with NODE_ENV=production");

// The built package (`npm run build`), as users run it: tsx would add a helper call to every closure of the sources.
const { createLiveView, liveviewHandler, renderToString, send } =
  require("../../dist/cjs/server/index.js") as typeof LiveViewPackage;

const recoveryArg = process.argv.find((arg) => arg.startsWith("--recovery-window-ms="));
// `--redis=URL`: one node of several sharing a Redis (the two-node fan-out figure).
const redisArg = process.argv.find((arg) => arg.startsWith("--redis="));
const httpServer = http.createServer();
const liveview = createLiveView(httpServer, {
  views: VIEWS_DIR,
  // The load clients name their rooms (r0, r1, ...). Rooms are checked once per handshake, never per call, so the
  // call figures do not depend on signing.
  rooms: "unsigned",
  // The bench measures the raw call path: each client calls as fast as it is answered, far over the default 20/s.
  rateLimit: false,
  ...(recoveryArg ? { recoveryWindowMs: Number(recoveryArg.split("=")[1]) } : {}),
  ...(redisArg ? { redis: redisArg.slice("--redis=".length) } : {}),
});

liveviewHandler(CALL_FUNCTION, (consumer, content) => {
  send(consumer, { target: "#row", html: renderToString("row", content.data) });
});

// Both servers must send the same bytes, or the ratios compare different work.
if (renderToString("row", CALL_DATA) !== rowHtml(CALL_DATA)) throw new Error("views/row.hbs and rowHtml() differ");

runBenchServer(httpServer, {
  broadcast: (update) => liveview.broadcast(update),
  connections: () => liveview.io.engine.clientsCount,
});
