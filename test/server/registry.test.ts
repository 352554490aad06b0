import { liveviewHandler, liveviewRegistry, type Middleware } from "../../server/index";

const names = ["reg_a", "reg_b", "reg_dynamic", "reg_twice", "reg_copy"];

afterEach(() => {
  for (const name of names) liveviewRegistry.unregister(name);
  jest.restoreAllMocks();
});

describe("liveviewRegistry", () => {
  it("registers a handler with liveviewHandler(name, fn) and returns fn", () => {
    const fn = () => undefined;
    expect(liveviewHandler("reg_a", fn)).toBe(fn);
    expect(liveviewRegistry.getHandler("reg_a")).toBe(fn);
  });

  it("registers with register(name)(fn) and returns the same function", () => {
    const fn = async () => undefined;
    expect(liveviewRegistry.register("reg_dynamic")(fn)).toBe(fn);
    expect(liveviewRegistry.getHandler("reg_dynamic")).toBe(fn);
  });

  it("answers getHandler with undefined for a name nobody registered", () => {
    expect(liveviewRegistry.getHandler("reg_never_registered")).toBeUndefined();
  });

  it("lists the registered function names", () => {
    liveviewHandler("reg_a", () => undefined);
    liveviewHandler("reg_b", () => undefined);
    expect(liveviewRegistry.listFunctions()).toEqual(expect.arrayContaining(["reg_a", "reg_b"]));
    liveviewRegistry.unregister("reg_a");
    expect(liveviewRegistry.listFunctions()).not.toContain("reg_a");
    expect(liveviewRegistry.listFunctions()).toContain("reg_b");
  });

  it("returns a copy from getAllHandlers that does not change the registry when mutated", () => {
    const fn = () => undefined;
    liveviewHandler("reg_copy", fn);
    const all = liveviewRegistry.getAllHandlers();
    expect(all.reg_copy).toBe(fn);
    delete all.reg_copy;
    all.reg_injected = () => undefined;
    expect(liveviewRegistry.getHandler("reg_copy")).toBe(fn);
    expect(liveviewRegistry.getHandler("reg_injected")).toBeUndefined();
    expect(liveviewRegistry.listFunctions()).not.toContain("reg_injected");
    const again = liveviewRegistry.getAllHandlers();
    expect(again).not.toBe(all);
    expect(again.reg_copy).toBe(fn);
    expect(again).not.toHaveProperty("reg_injected");
  });

  it("unregisters a handler", () => {
    liveviewHandler("reg_a", () => undefined);
    liveviewRegistry.unregister("reg_a");
    expect(liveviewRegistry.getHandler("reg_a")).toBeUndefined();
    expect(liveviewRegistry.listFunctions()).not.toContain("reg_a");
  });

  it("clears every handler but keeps the middleware", () => {
    const middleware: Middleware = () => undefined;
    liveviewRegistry.addMiddleware(middleware);
    try {
      liveviewHandler("reg_a", () => undefined);
      liveviewHandler("reg_b", () => undefined);
      liveviewRegistry.clear();
      expect(liveviewRegistry.listFunctions()).toEqual([]);
      expect(liveviewRegistry.getHandler("reg_a")).toBeUndefined();
      expect(liveviewRegistry.getMiddlewares()).toContain(middleware);
    } finally {
      liveviewRegistry.removeMiddleware(middleware);
    }
  });

  it("replaces a handler registered twice under one name and logs a warning", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    const first = () => "first";
    const second = () => "second";
    liveviewHandler("reg_twice", first);
    expect(warn).not.toHaveBeenCalled();
    liveviewHandler("reg_twice", second);
    expect(liveviewRegistry.getHandler("reg_twice")).toBe(second);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toContain("reg_twice");
  });

  it("refuses an empty name and a handler that is not a function", () => {
    expect(() => liveviewRegistry.register("")).toThrow(TypeError);
    expect(() => liveviewRegistry.register("reg_a")("nope" as unknown as () => void)).toThrow(TypeError);
    expect(liveviewRegistry.getHandler("reg_a")).toBeUndefined();
  });

  it("adds and removes middleware, keeping the order they were added in", () => {
    const first: Middleware = () => undefined;
    const second: Middleware = () => undefined;
    liveviewRegistry.addMiddleware(first);
    liveviewRegistry.addMiddleware(second);
    try {
      expect(liveviewRegistry.getMiddlewares()).toEqual([first, second]);
      liveviewRegistry.removeMiddleware(first);
      expect(liveviewRegistry.getMiddlewares()).toEqual([second]);
    } finally {
      liveviewRegistry.removeMiddleware(first);
      liveviewRegistry.removeMiddleware(second);
    }
    expect(liveviewRegistry.getMiddlewares()).toEqual([]);
  });
});
