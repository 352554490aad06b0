import type { Namespace } from "socket.io";

type Adapter = Namespace["adapter"];

/**
 * With a cluster adapter an update reaches even a local socket only once Redis has stored it (that is what
 * lets another node replay it), while socket.io sends acks at once. This returns a barrier an ack awaits so
 * the browser still gets a handler's updates before the call's ack, as with one process.
 */
export function broadcastBarrier(adapter: Adapter): () => Promise<void> | null {
  const outstanding = new Set<Promise<unknown>>();
  const broadcast = adapter.broadcast.bind(adapter);
  adapter.broadcast = (...args: Parameters<Adapter["broadcast"]>) => {
    const result: unknown = broadcast(...args);
    if (result instanceof Promise) {
      outstanding.add(result);
      void result.catch(() => undefined).finally(() => outstanding.delete(result));
    }
    return result as void;
  };
  return () => (outstanding.size === 0 ? null : Promise.allSettled([...outstanding]).then(() => undefined));
}
