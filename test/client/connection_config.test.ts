import { resolveConfig } from "../../controllers/transport/connection_config";
import { managerOptions, scheduleDelays } from "../../controllers/transport/reconnect_schedule";
import { keepRoom, resolveRoom } from "../../controllers/room";

const http = { host: "example.test:3000", protocol: "http:" };

describe("window.webSocketConfig", () => {
  it("defaults to the page's host, ws and /ws/liveview/", () => {
    expect(resolveConfig({}, http)).toMatchObject({ url: "ws://example.test:3000", path: "/ws/liveview/", debug: false });
  });

  it("uses wss on https pages", () => {
    expect(resolveConfig({}, { host: "x.test", protocol: "https:" }).url).toBe("wss://x.test");
  });

  it("honours host, protocol and path", () => {
    expect(resolveConfig({ host: "api.example.com", protocol: "wss", path: "/custom/path/" }, http)).toMatchObject({
      url: "wss://api.example.com",
      path: "/custom/path/",
    });
  });

  it("gives the documented reconnection schedule by default: 3 s, then x1.5, 5 tries", () => {
    const { reconnect } = resolveConfig({}, http);
    expect(scheduleDelays(reconnect)).toEqual([3000, 4500, 6750, 10125, 15187.5]);
    expect(managerOptions(reconnect)).toEqual({
      reconnection: true,
      reconnectionDelay: 3000,
      reconnectionDelayMax: 30000,
      reconnectionAttempts: 5,
      randomizationFactor: 0,
    });
  });

  it("takes each reconnection number from the config and ignores invalid ones", () => {
    const { reconnect } = resolveConfig({ reconnect: { delay: 1000, factor: 2, attempts: 3, maxDelay: -5 } }, http);
    expect(reconnect).toEqual({ delay: 1000, factor: 2, maxDelay: 30000, attempts: 3, jitter: 0 });
  });
});

describe("room", () => {
  afterEach(() => {
    document.documentElement.removeAttribute("data-room");
    localStorage.clear();
  });

  it("prefers <html data-room> over a saved room", () => {
    localStorage.setItem("room", "saved");
    document.documentElement.setAttribute("data-room", "page-room");
    expect(resolveRoom(document)).toEqual({ room: "page-room" });
  });

  it("reuses the room saved in localStorage", () => {
    localStorage.setItem("room", "saved");
    expect(resolveRoom(document)).toEqual({ storedRoom: "saved" });
  });

  it("makes and saves a new room when there is none", () => {
    const { storedRoom } = resolveRoom(document);
    expect(storedRoom).toMatch(/^[A-Za-z0-9_-]{1,128}$/);
    expect(localStorage.getItem("room")).toBe(storedRoom);
  });

  it("keeps the room the server chose, and sends it as the stored room next time", () => {
    keepRoom("abc.signature");
    expect(resolveRoom(document)).toEqual({ storedRoom: "abc.signature" });
  });
});
