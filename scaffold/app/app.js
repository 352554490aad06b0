// The app without a port: server.js listens, the tests render its pages in-process.
import http from "node:http";
import express from "express";
import { createLiveView } from "express-liveview";

export function createApp() {
  const app = express();
  app.get("/", (req, res) => res.render("home", { title: "__APP_NAME__" }));
  const server = http.createServer(app);
  // Handlers come from ./handlers (reloaded on change outside production), templates from ./views.
  const liveview = createLiveView(server, { app, views: "views", handlers: "handlers" });
  return { app, server, liveview };
}
