// `npm run bench` (or `npm run bench -- --quick`): runs the benchmarks, prints a table and writes bench/results.md.
// Every figure is a ratio against a baseline measured in the same run. `--profile` also writes V8 CPU profiles
// of the round-trip servers and prints where their time goes.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../test/support/browser";
import { measureAlerts } from "./figures/alerts_workload";
import { measureBundle } from "./figures/bundle_size";
import { measureClusterFanOut } from "./figures/cluster_fanout";
import { measureConnections } from "./figures/connections";
import { measureDomUpdates } from "./figures/dom_update";
import { measureRoundTrips } from "./figures/round_trip";
import { canPin } from "./support/processes";
import { summarise } from "./support/profile_summary";
import { renderTable, type Row } from "./support/report";
import { alertRows, bundleRows, clusterFanOutRow, connectionRows, domRows, roundTripRows, uploadRow } from "./support/rows";
import { measureUploads } from "./upload_throughput";

const quick = process.argv.includes("--quick");
const profile = process.argv.includes("--profile");
const argValue = (name: string): string | undefined =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
// `--only=round-trip,bundle`: measure only these figures (while working on one of them).
// "dom" is the DOM-update part of "browser" alone (replace, append, morph), for work on the client's update path.
const FIGURES = ["round-trip", "connections", "bundle", "browser", "dom"] as const;
const only = argValue("only")?.split(",");
if (only?.some((name) => !(FIGURES as readonly string[]).includes(name))) {
  throw new Error(`--only takes a comma-separated list of: ${FIGURES.join(", ")}`);
}
const wanted = (figure: (typeof FIGURES)[number]): boolean => !only || only.includes(figure);
// `--levels=100`: round-trip concurrencies instead of the defaults.
const levelsArg = argValue("levels")?.split(",").map(Number);
const log = (message: string) =>
  console.error(`[bench ${((performance.now() / 1000) | 0).toString().padStart(3)} s] ${message}`);

const SETTINGS = quick
  ? {
      levels: [1, 10, 100],
      noRecovery: [],
      warmupMs: 400,
      durationMs: 1500,
      repeats: 1,
      memory: [1000],
      broadcasts: 10,
      dom: 3,
      appends: 1,
      alerts: 10,
      uploads: 2,
    }
  : {
      levels: [1, 10, 100, 1000],
      noRecovery: [100],
      warmupMs: 1000,
      durationMs: 4000,
      repeats: 6,
      memory: [1000, 5000],
      broadcasts: 30,
      dom: 10,
      appends: 3,
      alerts: 30,
      uploads: 7,
    };

async function main(): Promise<void> {
  process.env.NODE_ENV = "production";
  const rows: Row[] = [];
  const profileDir = profile ? mkdtempSync(path.join(os.tmpdir(), "liveview-bench-profiles-")) : null;

  const levels = levelsArg ?? SETTINGS.levels;
  if (wanted("round-trip")) {
    log(`round trips at ${levels.join(", ")} connections${canPin ? "" : " (taskset missing: unpinned)"}`);
    const roundTrips = await measureRoundTrips({
      levels,
      warmupMs: SETTINGS.warmupMs,
      durationMs: SETTINGS.durationMs,
      repeats: SETTINGS.repeats,
      noRecoveryLevels: SETTINGS.noRecovery.filter((level) => levels.includes(level)),
      serverFlags: profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
    });
    rows.push(...roundTripRows(roundTrips));
  }

  if (wanted("connections")) {
    for (const connections of SETTINGS.memory) {
      log(`idle memory at ${connections} connections${connections === 1000 ? ", broadcast fan-out" : ""}`);
      const broadcasts = connections === 1000 ? SETTINGS.broadcasts : 0;
      const echo = await measureConnections("echo", { connections, broadcasts });
      const liveview = await measureConnections("liveview", { connections, broadcasts });
      rows.push(...connectionRows(liveview, echo));
      if (connections === 1000 && liveview.fanOutMs !== undefined) {
        log("broadcast fan-out over two nodes behind Redis");
        rows.push(clusterFanOutRow(await measureClusterFanOut({ connections, broadcasts }), liveview.fanOutMs));
      }
    }
  }

  if (wanted("bundle")) {
    log("bundle size (webpack builds the Stimulus + socket.io-client floor)");
    rows.push(...bundleRows(await measureBundle()));
  }

  if (wanted("browser") || wanted("dom")) {
    const browser = await launchChromium();
    try {
      log("DOM updates in Chromium");
      rows.push(
        ...domRows(
          await measureDomUpdates(browser, { iterations: SETTINGS.dom, appendRounds: SETTINGS.appends }),
          SETTINGS.dom,
        ),
      );
      if (wanted("browser")) {
        log("alerts page in Chromium");
        rows.push(...alertRows(await measureAlerts(browser, { iterations: SETTINGS.alerts }), SETTINGS.alerts));
        log("upload throughput in Chromium");
        rows.push(
          uploadRow(await measureUploads(browser, { fileBytes: 20 * 1024 * 1024, iterations: SETTINGS.uploads })),
        );
      }
    } finally {
      await browser.close();
    }
  }

  const date = new Date().toISOString().slice(0, 10);
  const machine = `${date}, ${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? "unknown CPU"}), Node ${process.version}`;
  const pinning = canPin ? "server on core 0, load client on core 1 (taskset)" : "unpinned (taskset missing)";
  const report =
    `# Benchmark results\n\n${machine}${quick ? ", `--quick`" : ""}; ${pinning}.\n\n${renderTable(rows)}\n\n` +
    "Ratios are express-liveview / baseline: above 1 means more (time, bytes, CPU) than the baseline, except for " +
    "calls/s and MB/s where above 1 is better. How each figure is measured: [README.md](README.md).\n" +
    (quick
      ? "\n`--quick` measures each round-trip level once: a busy machine can swing one run either way; judge the targets on a full run.\n"
      : "");
  // A partial run (`--only`, `--levels`) prints its table but leaves the last full results in place.
  if (!only && !levelsArg) writeFileSync(path.join(__dirname, "results.md"), report);
  console.log(report);
  if (profileDir) {
    for (const file of readdirSync(profileDir).filter((f) => f.endsWith(".cpuprofile"))) {
      console.log(`\n${path.join(profileDir, file)}\n${summarise(path.join(profileDir, file), 20)}`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
