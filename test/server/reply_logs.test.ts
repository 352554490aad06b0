import { ReplyLogs } from "../../server/wire/reply_logs";

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
    logs.leave(away);
    logs.add(here, 1, 100, "old");
    logs.add(away, 2, 100, "old, kept");
    logs.add(here, 3, 500, "recent");

    logs.forgetDelivered(200);

    expect(logs.after(here, 0)).toBeNull();
    expect(texts(logs.after(here, 1))).toEqual(["recent"]);
    expect(texts(logs.after(away, 0))).toEqual(["old, kept"]);
  });

  it("keeps a tab's replies from the moment it leaves, however much other tabs write after", () => {
    const logs = new ReplyLogs(256, 8);
    const gone = logs.open("gone");
    const busy = logs.open("busy");
    logs.add(gone, 1, 0, "before it left");
    logs.leave(gone);
    logs.add(gone, 2, 0, "while it was away");
    for (let offset = 10; offset < 200; offset++) logs.add(busy, offset, 0, `busy ${offset}`);

    expect(texts(logs.after(gone, 0))).toEqual(["before it left", "while it was away"]);
    logs.back(gone);
    logs.add(gone, 300, 0, "after it came back");
    expect(texts(logs.after(gone, 2))).toEqual(["after it came back"]);
  });

  it("starts a leaving tab's log after the replies that were already overwritten", () => {
    const logs = new ReplyLogs(256, 8);
    const quiet = logs.open("quiet");
    const busy = logs.open("busy");
    logs.add(quiet, 1, 0, "overwritten");
    for (let offset = 10; offset < 70; offset++) logs.add(busy, offset, 0, `busy ${offset}`);
    logs.add(quiet, 80, 0, "still there");
    logs.leave(quiet);

    expect(logs.after(quiet, 0)).toBeNull();
    expect(texts(logs.after(quiet, 1))).toEqual(["still there"]);
  });
});
