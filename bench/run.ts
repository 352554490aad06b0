// `npm run bench` (or `npm run bench -- --quick`): runs the benchmarks, prints a table and writes bench/results.md.
// Every figure is a ratio against a baseline measured in the same run.
import { writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../test/support/browser";
import { measureUploads } from "./upload_throughput";

async function main(): Promise<void> {
  const quick = process.argv.includes("--quick");
  process.env.NODE_ENV = "production";
  const browser = await launchChromium();
  const rows: string[][] = [];
  try {
    const upload = await measureUploads(browser, { fileBytes: 20 * 1024 * 1024, iterations: quick ? 3 : 7 });
    rows.push([
      `Upload of a ${upload.fileBytes / (1024 * 1024)} MB file (median of ${upload.iterations})`,
      `${upload.socketMBps.toFixed(1)} MB/s`,
      `plain HTTP POST: ${upload.httpMBps.toFixed(1)} MB/s`,
      `${(upload.socketMBps / upload.httpMBps).toFixed(2)}x`,
    ]);
  } finally {
    await browser.close();
  }
  const header = ["figure", "express-liveview", "baseline (same run)", "ratio"];
  const table = [header, header.map(() => "---"), ...rows].map((row) => `| ${row.join(" | ")} |`).join("\n");
  const date = new Date().toISOString().slice(0, 10);
  const report = `# Benchmark results\n\n${date}, ${os.cpus().length} cores, Node ${process.version}${quick ? ", --quick" : ""}.\n\n${table}\n`;
  writeFileSync(path.join(__dirname, "results.md"), report);
  console.log(report);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
