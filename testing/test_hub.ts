import type { Update } from "../protocol/index.js";
import { LIVEVIEW_EVENT } from "../protocol/index.js";
import { MemoryCallLedger } from "../server/calls/call_ledger.js";
import { ShutdownTracker } from "../server/calls/shutdown.js";
import { defaultUserId } from "../server/handshake.js";
import type { LiveView } from "../server/create_liveview.js";
import { resolveUploadCaps } from "../server/uploads/upload_limits.js";
import { UploadStore } from "../server/uploads/upload_store.js";
import type { SocketRouter, TestSocket } from "./test_socket.js";

/** The parts of a LiveView a handler uses to reach other tabs; a TestHub has them all. */
export type LiveViewSends = Pick<LiveView, "broadcast" | "sendToRoom" | "signRoom" | "disconnectUser" | "disconnectRoom">;

/**
 * What the test pages of one hub share, as the tabs of one server do: who is in which room, broadcasts and room
 * sends, the call ledger. Pass it where a handler expects the LiveView (`broadcast`, `sendToRoom`), so its
 * sends reach the test pages. `testPage.hub` is the one every page uses unless given another.
 *
 * ```ts
 * registerChatHandlers(db, testPage.hub);
 * const ada = await testPage({ room: "chat-general" });
 * ```
 */
export class TestHub implements LiveViewSends, SocketRouter {
  readonly ledger = new MemoryCallLedger();
  readonly uploads = new UploadStore(resolveUploadCaps(undefined));
  readonly shutdown = new ShutdownTracker();
  private readonly sockets = new Set<TestSocket>();
  private readonly users = new Map<TestSocket, string | null>();

  /** A page's socket joins the hub (and its room). */
  add(socket: TestSocket, user: unknown): void {
    this.sockets.add(socket);
    this.users.set(socket, defaultUserId(user));
    this.shutdown.track(socket.asSocket());
    socket.once("disconnect", () => {
      this.sockets.delete(socket);
      this.users.delete(socket);
    });
  }

  deliver(rooms: ReadonlySet<string> | null, except: ReadonlySet<TestSocket>, event: string, args: unknown[]): void {
    for (const socket of [...this.sockets]) {
      if (except.has(socket)) continue;
      if (rooms && ![...rooms].some((room) => socket.rooms.has(room))) continue;
      socket.deliverBroadcast(event, args);
    }
  }

  broadcast = (update: Update): void => this.deliver(null, new Set(), LIVEVIEW_EVENT, [update]);

  sendToRoom = (room: string, update: Update): void => this.deliver(new Set([room]), new Set(), LIVEVIEW_EVENT, [update]);

  /** Test pages take any room name: a token is its own name. */
  signRoom = (name: string): string => name;

  disconnectUser = (userId: string | number): void => {
    for (const [socket, id] of [...this.users]) if (id === String(userId)) socket.disconnect();
  };

  disconnectRoom = (room: string): void => {
    for (const socket of [...this.sockets]) if (socket.rooms.has(room)) socket.disconnect();
  };

  /**
   * Lets a real LiveView's `broadcast` and `sendToRoom` reach this hub's pages too, for an app built with
   * createLiveView (its handlers hold that LiveView). Returns how to undo it.
   *
   * ```ts
   * const { app, liveview } = createApp();
   * const detach = testPage.hub.attach(liveview);
   * ```
   */
  attach(liveview: Pick<LiveView, "broadcast" | "sendToRoom">): () => void {
    const { broadcast, sendToRoom } = liveview;
    liveview.broadcast = (update) => {
      broadcast(update);
      this.broadcast(update);
    };
    liveview.sendToRoom = (room, update) => {
      sendToRoom(room, update);
      this.sendToRoom(room, update);
    };
    return () => {
      liveview.broadcast = broadcast;
      liveview.sendToRoom = sendToRoom;
    };
  }

  /** The pages connected now. */
  get size(): number {
    return this.sockets.size;
  }
}
