import http from "node:http";
import path from "node:path";
import express from "express";
import { createLiveView, type LiveView } from "express-liveview";
import "./handlers/counter";
import "./handlers/greetings";

const root = path.resolve(__dirname, "..");

/** Builds the example app without listening, so tests can start it on any port. */
export function createApp(): { app: express.Express; httpServer: http.Server; liveview: LiveView } {
  const app = express();
  const httpServer = http.createServer(app);
  const liveview = createLiveView(httpServer, { app, views: path.join(root, "views") });
  app.use("/static", express.static(path.join(__dirname, "public")));
  app.get("/", (_req, res) => res.render("pages/home", { title: "express-liveview", count: 0 }));
  return { app, httpServer, liveview };
}
