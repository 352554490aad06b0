// Upload throughput: the same file sent by express-liveview's binary upload (socket.io chunks) and by a
// plain HTTP POST, in the same Chromium against the same server, in the same run.
import { BENCH_SECRET } from "./support/page_server";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import express from "express";
import type { Browser } from "playwright-core";
import { createLiveView, liveviewHandler, liveviewRegistry, send } from "../server/index";

export interface UploadFigures {
  fileBytes: number;
  iterations: number;
  socketMBps: number;
  httpMBps: number;
}

const PAGE = `<!DOCTYPE html><html><head><script src="/static/liveview/liveview.min.js" defer></script></head>
<body data-controller="page">
  <form id="f" data-liveview-function="bench_upload" data-action="submit->page#run">
    <input type="file" name="file" id="file"><button>Upload</button>
  </form>
  <div id="status"></div>
</body></html>`;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

export async function measureUploads(browser: Browser, options: { fileBytes: number; iterations: number }): Promise<UploadFigures> {
  const app = express();
  const server = http.createServer(app);
  const liveview = createLiveView(server, { app, secret: BENCH_SECRET, uploads: { maxFileBytes: options.fileBytes * 2 } });
  let count = 0;
  liveviewHandler("bench_upload", (consumer) => send(consumer, { target: "#status", html: String(++count) }), { uploads: true });
  app.get("/", (_req, res) => res.type("html").send(PAGE));
  app.post("/upload", (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => res.json({ bytes: Buffer.concat(chunks).length }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const context = await browser.newContext();
  const tab = await context.newPage();
  try {
    await tab.goto(url);
    await tab.waitForFunction(() => window.LiveView?.getConnectionStatus() === "connected");
    await tab.setInputFiles("#file", { name: "payload.bin", mimeType: "application/octet-stream", buffer: randomBytes(options.fileBytes) });
    const socketMs: number[] = [];
    const httpMs: number[] = [];
    // One warm-up of each, then alternate so both see the same machine state.
    for (let i = -1; i < options.iterations; i++) {
      const viaSocket = await tab.evaluate(async () => {
        const status = document.querySelector("#status")!;
        const before = status.textContent;
        const start = performance.now();
        (document.querySelector("#f") as HTMLFormElement).requestSubmit();
        await new Promise<void>((resolve) => {
          const observer = new MutationObserver(() => {
            if (status.textContent !== before) {
              observer.disconnect();
              resolve();
            }
          });
          observer.observe(status, { childList: true, characterData: true, subtree: true });
        });
        return performance.now() - start;
      });
      const viaHttp = await tab.evaluate(async () => {
        const file = (document.querySelector("#file") as HTMLInputElement).files![0];
        const start = performance.now();
        await (await fetch("/upload", { method: "POST", body: file })).json();
        return performance.now() - start;
      });
      if (i >= 0) {
        socketMs.push(viaSocket);
        httpMs.push(viaHttp);
      }
    }
    const mb = options.fileBytes / (1024 * 1024);
    return {
      fileBytes: options.fileBytes,
      iterations: options.iterations,
      socketMBps: mb / (median(socketMs) / 1000),
      httpMBps: mb / (median(httpMs) / 1000),
    };
  } finally {
    await context.close();
    liveviewRegistry.unregister("bench_upload");
    await liveview.close();
  }
}
