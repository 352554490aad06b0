import { RefusalLog } from "../../server/security/refusal_log";
import { mockLogger } from "../support/logger";

describe("RefusalLog: one line per socket per burst of refusals", () => {
  let now = 0;
  const setUp = () => {
    const logger = mockLogger();
    const log = new RefusalLog(() => logger, 1000, "socket s1", () => now);
    const lines = () => logger.warn.mock.calls.map(([line]) => String(line));
    return { log, lines };
  };

  it("logs the first refusal of a burst and counts the rest until the socket has been quiet", () => {
    const { log, lines } = setUp();
    for (let i = 0; i < 5; i++, now += 500) log.warn("rate_limited", "too many calls");
    // 500 ms apart: one burst, however long it lasts.
    expect(lines()).toEqual(["[liveview] socket s1: too many calls (repeats are not logged until it has been quiet for 1000 ms)"]);
    now += 1000;
    log.warn("rate_limited", "too many calls");
    expect(lines()[1]).toBe(
      "[liveview] socket s1: too many calls (4 more of its previous burst were not logged) (repeats are not logged until it has been quiet for 1000 ms)",
    );
  });

  it("keeps a burst per kind of refusal", () => {
    const { log, lines } = setUp();
    log.warn("too_deep", "nested too deeply");
    log.warn("too_many_keys", "too many keys");
    log.warn("too_deep", "nested too deeply");
    expect(lines()).toHaveLength(2);
  });
});
