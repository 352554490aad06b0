import type { VersionChangedDetail } from "../../protocol/index";
import { VersionCheck } from "../../controllers/recovery/version_check";

let idle = true;
let reloads = 0;
let events: CustomEvent<VersionChangedDetail>[] = [];
let check: VersionCheck;
const record = (event: Event) => events.push(event as CustomEvent<VersionChangedDetail>);

beforeEach(() => {
  idle = true;
  reloads = 0;
  events = [];
  document.addEventListener("liveview:version-changed", record);
  check = new VersionCheck(document, { isIdle: () => idle, reload: () => reloads++ });
});

afterEach(() => {
  document.removeEventListener("liveview:version-changed", record);
});

describe("VersionCheck", () => {
  it("remembers the first version and does nothing while it stays the same", () => {
    check.seen("v1");
    check.seen("v1");
    expect(events).toEqual([]);
    expect(reloads).toBe(0);
  });

  it("ignores readies without a version, before and after the first", () => {
    check.seen(undefined);
    check.seen("v1");
    check.seen(undefined);
    expect(events).toEqual([]);
  });

  it("dispatches a cancelable liveview:version-changed with { from, to } and reloads at once when idle", () => {
    check.seen("v1");
    check.seen("v2");
    expect(events.map((event) => [event.detail, event.cancelable])).toEqual([[{ from: "v1", to: "v2" }, true]]);
    expect(reloads).toBe(1);
    check.check();
    expect(reloads).toBe(1);
  });

  it("compares with the first version, not the last one seen", () => {
    check.seen("v1");
    document.addEventListener("liveview:version-changed", (event) => event.preventDefault(), { once: true });
    check.seen("v2");
    check.seen("v2");
    expect(events.map((event) => event.detail)).toEqual([{ from: "v1", to: "v2" }, { from: "v1", to: "v2" }]);
  });

  it("does not reload when a listener calls preventDefault()", () => {
    check.seen("v1");
    document.addEventListener("liveview:version-changed", (event) => event.preventDefault(), { once: true });
    check.seen("v2");
    check.check();
    expect(events).toHaveLength(1);
    expect(reloads).toBe(0);
  });

  it("waits while the user is busy, then reloads on the next check or blur", async () => {
    idle = false;
    check.seen("v1");
    check.seen("v2");
    check.check();
    expect(reloads).toBe(0);
    idle = true;
    document.dispatchEvent(new FocusEvent("focusout"));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(reloads).toBe(1);
  });
});
