import { createApp } from "./app";

const port = Number(process.env.PORT ?? 3000);
const { httpServer } = createApp();
httpServer.listen(port, () => console.log(`express-liveview example on http://localhost:${port}`));
