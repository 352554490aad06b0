import type { Socket } from "socket.io";

export interface ShutdownOptions {
  /** How long handlers already running may take before their sockets are closed anyway. Default 10 s. */
  deadlineMs?: number;
}

export const DEFAULT_SHUTDOWN_DEADLINE_MS = 10_000;

/**
 * Graceful shutdown of one node: counts each socket's calls between arrival and ack, and on drain() closes
 * every socket's connection as soon as its calls are answered (at the deadline at the latest).
 *
 * Closing the connection, rather than a socket.io disconnect, is what tells the browser to reconnect: it
 * reconnects as after a network cut, through the proxy to another node, which restores its session from
 * Redis (missed updates included). Calls that arrive while draining are not run here: the browser has no
 * ack for them, so it sends them again after the reconnection, to the node it lands on.
 */
export class ShutdownTracker {
  private readonly inFlight = new Map<Socket, number>();
  private allClosed: (() => void) | null = null;
  /** True from drain() on: new sockets and new calls are turned away. */
  draining = false;

  /** `ackBarrier`: what an ack waits for before it is sent (the updates sent before it, with Redis). */
  constructor(private readonly ackBarrier: () => Promise<void> | null = () => null) {}

  /** Starts counting the calls of a new socket (call before attaching the dispatcher). */
  track(socket: Socket): void {
    this.inFlight.set(socket, 0);
    socket.once("disconnect", () => {
      this.inFlight.delete(socket);
      if (this.inFlight.size === 0) this.allClosed?.();
    });
  }

  /**
   * Counts a call that will be acked; returns how to send its ack, or null while draining: the call is then
   * held back, and the browser, which has no ack for it, sends it again after it reconnected elsewhere.
   */
  begin<T>(socket: Socket, ack: (value: T) => void): ((value: T) => void) | null {
    if (this.draining) return null;
    this.inFlight.set(socket, (this.inFlight.get(socket) ?? 0) + 1);
    return (value: T) => {
      const barrier = this.ackBarrier();
      if (!barrier) return this.answer(socket, ack, value);
      void barrier.then(() => this.answer(socket, ack, value));
    };
  }

  /**
   * Closes each socket's connection once its calls are answered; at `deadlineMs` closes the rest. Resolves when
   * every socket is gone or the deadline passed.
   */
  drain(deadlineMs: number): Promise<void> {
    this.draining = true;
    for (const [socket, count] of this.inFlight) if (count === 0) socket.conn.close();
    if (this.inFlight.size === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const socket of this.inFlight.keys()) socket.conn.close();
        this.allClosed = null;
        resolve();
      }, deadlineMs);
      this.allClosed = () => {
        clearTimeout(timer);
        this.allClosed = null;
        resolve();
      };
    });
  }

  /** Refuses a socket that connected while draining: closing its connection sends it elsewhere. */
  refuse(socket: Socket): void {
    socket.conn.close();
  }

  private answer<T>(socket: Socket, ack: (value: T) => void, value: T): void {
    ack(value);
    this.finished(socket);
  }

  private finished(socket: Socket): void {
    const count = this.inFlight.get(socket);
    if (count === undefined) return;
    this.inFlight.set(socket, count - 1);
    if (count === 1 && this.draining) socket.conn.close();
  }
}
