// CallRateLimiter decides synchronously by calling what RateLimiterMemory#consume runs inside its promise:
// the internal `RateLimiterMemory#_memoryStorage.incrby(key, points, durationSec)`, whose result's `consumedPoints`
// it compares with `points`, applying BurstyRateLimiter's rule. This file pins that contract: if an upgrade of
// rate-limiter-flexible changes it, these tests fail here, in one place.
import { readFileSync } from "node:fs";
import path from "node:path";
import { BurstyRateLimiter, RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { BURST_WINDOWS, CallRateLimiter } from "../../server/security/call_rate_limiter";

const ROOT = path.join(__dirname, "..", "..");
let clock = 5_000_000;

beforeEach(() => jest.spyOn(Date, "now").mockImplementation(() => clock));
afterEach(() => jest.restoreAllMocks());

describe("rate-limiter-flexible contract (RateLimiterMemory#_memoryStorage.incrby)", () => {
  it("is the pinned version: the internal is only known to hold for it", () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies["rate-limiter-flexible"]).toBe("11.4.0");
    const installed = JSON.parse(
      readFileSync(path.join(ROOT, "node_modules", "rate-limiter-flexible", "package.json"), "utf8"),
    ) as { version: string };
    expect(installed.version).toBe("11.4.0");
  });

  it("has a synchronous _memoryStorage.incrby that returns the points consumed in the window", () => {
    const limiter = new RateLimiterMemory({ points: 2, duration: 1, keyPrefix: "" });
    const storage = (limiter as unknown as { _memoryStorage: { incrby: (k: string, v: number, s: number) => unknown } })
      ._memoryStorage;
    const first = storage.incrby("k", 1, 1);
    expect(first).toBeInstanceOf(RateLimiterRes);
    expect((first as RateLimiterRes).consumedPoints).toBe(1);
    expect((storage.incrby("k", 1, 1) as RateLimiterRes).consumedPoints).toBe(2);
    clock += 1000;
    expect((storage.incrby("k", 1, 1) as RateLimiterRes).consumedPoints).toBe(1);
  });

  it("decides every call as BurstyRateLimiter#consume does, across windows and burst refills", async () => {
    const options = { points: 3, durationMs: 100, burst: 5 };
    const ours = new CallRateLimiter(options);
    const theirs = new BurstyRateLimiter(
      new RateLimiterMemory({ points: options.points, duration: options.durationMs / 1000 }),
      new RateLimiterMemory({
        keyPrefix: "burst",
        points: options.burst - options.points,
        duration: (options.durationMs / 1000) * BURST_WINDOWS,
      }),
    );
    // Calls at these times (ms from the start), several per window, some windows skipped.
    const steps = [0, 0, 0, 0, 0, 0, 0, 50, 99, 100, 100, 100, 100, 150, 250, 250, 250, 250, 990, 1000, 1000, 1000,
      1000, 1000, 1000, 1001, 2500, 2500, 2500, 2500, 2500, 2500];
    const start = clock;
    const mine: boolean[] = [];
    const library: boolean[] = [];
    for (const at of steps) {
      clock = start + at;
      mine.push(ours.take("socket-a"));
      library.push(await theirs.consume("socket-a").then(() => true, () => false));
    }
    expect(mine).toEqual(library);
    // The sequence did exercise both verdicts and the burst allowance.
    expect(mine.filter((accepted) => !accepted).length).toBeGreaterThan(3);
    expect(mine.slice(0, 7)).toEqual([true, true, true, true, true, false, false]);
  });
});
