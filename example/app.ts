import http from "node:http";
import path from "node:path";
import express from "express";
import { createLiveView, type LiveView } from "express-liveview";
import { AVATAR_NAME, avatarDir, registerAvatarHandler } from "./handlers/avatar";
import "./handlers/counter";
import "./handlers/greetings";

const root = path.resolve(__dirname, "..");

export interface ExampleOptions {
  /** Where the app keeps what it stores (avatars). Default: DATA_DIR, else ./data. */
  dataDir?: string;
}

/** Builds the example app without listening, so tests can start it on any port. */
export function createApp(options: ExampleOptions = {}): { app: express.Express; httpServer: http.Server; liveview: LiveView } {
  const dataDir = path.resolve(options.dataDir ?? process.env.DATA_DIR ?? path.join(root, "data"));
  const app = express();
  const httpServer = http.createServer(app);
  const liveview = createLiveView(httpServer, {
    app,
    views: path.join(root, "views"),
    uploads: { maxFileBytes: 5 * 1024 * 1024, maxFiles: 1, allowedTypes: ["image/png", "image/jpeg", "image/webp"] },
  });
  registerAvatarHandler(dataDir);
  app.use("/static", express.static(path.join(__dirname, "public")));
  app.get("/", (_req, res) => res.render("pages/home", { title: "express-liveview", count: 0 }));
  app.get("/avatar", (_req, res) => res.render("pages/avatar", { title: "Avatar" }));
  app.get("/avatars/:name", (req, res) => {
    if (!AVATAR_NAME.test(req.params.name)) return void res.sendStatus(404);
    res.sendFile(req.params.name, { root: avatarDir(dataDir) }, (error) => error && !res.headersSent && res.sendStatus(404));
  });
  return { app, httpServer, liveview };
}
