import { ReplyLogs } from "../../server/reply_logs";

const texts = (entries: { encoded: string }[] | null) => entries?.map((entry) => entry.encoded) ?? null;

describe("reply logs (missed replies kept outside the heap)", () => {
  it("gives back a tab's replies after an offset, oldest first, text unchanged", () => {
    const logs = new ReplyLogs(4096, 4);
    const log = logs.open("tab");
    logs.add(log, 1, 0, "one");
    logs.add(log, 2, 0, "deux — ünïcödé ✓");
    logs.add(log, 3, 0, "three");

    expect(texts(logs.after(log, 1))).toEqual(["deux — ünïcödé ✓", "three"]);
    expect(logs.after(log, 3)).toEqual([]);
    expect(logs.count()).toBe(3);
  });

  it("keeps the last perTab replies, and cannot fill a gap that reaches past them", () => {
    const logs = new ReplyLogs(4096, 2);
    const log = logs.open("tab");
    for (let offset = 1; offset <= 5; offset++) logs.add(log, offset, 0, `r${offset}`);

    expect(logs.count()).toBe(2);
    expect(texts(logs.after(log, 3))).toEqual(["r4", "r5"]);
    expect(logs.after(log, 2)).toBeNull();
  });

  it("cannot fill a gap once newer replies of other tabs overwrote a reply", () => {
    const logs = new ReplyLogs(256, 8);
    const quiet = logs.open("quiet");
    const busy = logs.open("busy");
    logs.add(quiet, 1, 0, "quiet reply");
    expect(texts(logs.after(quiet, 0))).toEqual(["quiet reply"]);
    for (let offset = 10; offset < 70; offset++) logs.add(busy, offset, 0, `busy ${offset}`);

    expect(logs.after(quiet, 0)).toBeNull();
    expect(texts(logs.after(busy, 67))).toEqual(["busy 68", "busy 69"]);
  });

  it("does not keep a reply too large for its share of memory: the tab starts afresh after it", () => {
    const logs = new ReplyLogs(64, 8);
    const log = logs.open("tab");
    logs.add(log, 1, 0, "small");
    logs.add(log, 2, 0, "x".repeat(100));
    logs.add(log, 3, 0, "after");

    expect(logs.after(log, 1)).toBeNull();
    expect(texts(logs.after(log, 2))).toEqual(["after"]);
  });

  it("forgets the delivered replies of connected tabs but not those of a tab that is away", () => {
    const logs = new ReplyLogs(4096, 8);
    const here = logs.open("here");
    const away = logs.open("away");
    away.waiting = true;
    logs.add(here, 1, 100, "old");
    logs.add(away, 2, 100, "old, kept");
    logs.add(here, 3, 500, "recent");

    logs.forgetDelivered(200);

    expect(logs.after(here, 0)).toBeNull();
    expect(texts(logs.after(here, 1))).toEqual(["recent"]);
    expect(texts(logs.after(away, 0))).toEqual(["old, kept"]);
  });
});
