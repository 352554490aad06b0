// The baseline: a bare socket.io server at the same path, websocket only, that answers each call with the
// same bytes express-liveview sends (the row as a plain string, no template) and an ack.
import http from "node:http";
import { Server } from "socket.io";
import { EVENT, SOCKET_PATH, rowHtml, type RowData } from "./payload";
import { runBenchServer } from "./server_control";

const httpServer = http.createServer();
const io = new Server(httpServer, { path: SOCKET_PATH, transports: ["websocket"], serveClient: false });

io.on("connection", (socket) => {
  socket.on(EVENT, (call: { data: RowData }, ack?: (value: unknown) => void) => {
    socket.emit(EVENT, { target: "#row", html: rowHtml(call.data) });
    ack?.({ ok: true });
  });
});

runBenchServer(httpServer, {
  broadcast: (update) => void io.emit(EVENT, update),
  connections: () => io.engine.clientsCount,
});
