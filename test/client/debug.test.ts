import { createLogger, isDebugEnabled } from "../../controllers/debug.js";

describe("debug logger", () => {
  afterEach(() => {
    jest.restoreAllMocks();
    localStorage.clear();
  });

  it("prints nothing at all when disabled", () => {
    const spies = (["log", "debug", "info", "warn", "error"] as const).map((m) =>
      jest.spyOn(console, m).mockImplementation(() => {}),
    );
    const log = createLogger(false);
    log.debug("a");
    log.warn("b");
    log.error("c");
    expect(log.enabled).toBe(false);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it("prefixes every message with [liveview] when enabled", () => {
    const debug = jest.spyOn(console, "debug").mockImplementation(() => {});
    const warn = jest.spyOn(console, "warn").mockImplementation(() => {});
    const error = jest.spyOn(console, "error").mockImplementation(() => {});
    const log = createLogger(true);
    log.debug("a", 1);
    log.warn("b");
    log.error("c");
    expect(log.enabled).toBe(true);
    expect(debug).toHaveBeenCalledWith("[liveview]", "a", 1);
    expect(warn).toHaveBeenCalledWith("[liveview]", "b");
    expect(error).toHaveBeenCalledWith("[liveview]", "c");
  });

  it("is off by default", () => {
    expect(isDebugEnabled(undefined)).toBe(false);
    expect(isDebugEnabled("true")).toBe(false);
  });

  it("is on when the config says debug: true", () => {
    expect(isDebugEnabled(true)).toBe(true);
  });

  it("is on when localStorage.liveviewDebug is 1 or true", () => {
    localStorage.setItem("liveviewDebug", "1");
    expect(isDebugEnabled(undefined)).toBe(true);
    localStorage.setItem("liveviewDebug", "true");
    expect(isDebugEnabled(false)).toBe(true);
    localStorage.setItem("liveviewDebug", "0");
    expect(isDebugEnabled(undefined)).toBe(false);
  });

  it("counts a throwing localStorage as off", () => {
    jest.spyOn(Storage.prototype, "getItem").mockImplementation(() => {
      throw new Error("denied");
    });
    expect(isDebugEnabled(undefined)).toBe(false);
  });
});
