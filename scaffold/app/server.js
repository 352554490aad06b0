import { createApp } from "./app.js";

const port = Number(process.env.PORT ?? 3000);
// Only this machine can reach the app unless HOST says otherwise (HOST=0.0.0.0 in a container, behind a proxy).
const host = process.env.HOST ?? "127.0.0.1";
const { server, liveview } = createApp();
await liveview.ready;
server.listen(port, host, () => console.log(`Listening on http://localhost:${port}`));
process.on("SIGTERM", () => void liveview.shutdown());
