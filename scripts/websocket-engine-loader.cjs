// Webpack loader for the browser bundle: engine.io-client's Socket becomes our websocket-only engine
// (controllers/transport/websocket_engine.ts). Our pages connect with `transports: ["websocket"]`, so
// engine.io-client's polling, upgrade and WebTransport code could never run; socket.io-client, which makes
// the engine, is left as it is.
const path = require("path");

const ENGINE = path.resolve(__dirname, "../controllers/transport/websocket_engine.ts");

module.exports = function websocketEngine() {
  return `export { WebSocketEngine as Socket } from ${JSON.stringify(ENGINE)};\n`;
};
