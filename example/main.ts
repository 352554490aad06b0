import { createApp } from "./app";

const port = Number(process.env.PORT ?? 3000);
// In `npm run start:cluster` only the first node pushes the dashboard, so tabs get one push per tick.
const dashboard = !process.env.NODE_NAME || process.env.NODE_NAME === "node1";
const { httpServer, close, shutdown } = createApp({ dashboard });
httpServer.listen(port, () => console.log(`express-liveview example on http://localhost:${port}`));

// Ctrl+C: close at once. SIGTERM (a process manager, a deploy): finish running calls first; the
// tabs reconnect to another node.
process.once("SIGINT", () => void close().then(() => process.exit(0)));
process.once("SIGTERM", () => void shutdown(10_000).then(() => process.exit(0)));
