import { createApp } from "./app";

const port = Number(process.env.PORT ?? 3000);
const { httpServer, close } = createApp();
httpServer.listen(port, () => console.log(`express-liveview example on http://localhost:${port}`));

// Ctrl+C or a process manager's SIGTERM: close sockets and the database cleanly.
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => void close().then(() => process.exit(0)));
}
