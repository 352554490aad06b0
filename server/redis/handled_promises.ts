const ignore = (): void => undefined;

/**
 * The Redis Streams adapter fires some commands and forgets them (SUBSCRIBE on its pub/sub copy of the client,
 * DISCONNECT when it closes). Closed right after it started, or with Redis away, those promises reject with
 * no one listening, which ends a Node process. This gives the adapter a view of the client (and of the copies
 * it makes with `duplicate()`) on which every promise a method returns has a handler; whoever awaits one still
 * gets its error. `onDuplicate` sees each copy, so its owner can close them all.
 */
export function withHandledPromises<T extends object>(client: T, onDuplicate: (copy: object) => void = () => {}): T {
  return new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        // node-redis keeps its state in #private fields: call with the real client as `this`.
        const result: unknown = Reflect.apply(value, target, args);
        if (property === "duplicate" && result && typeof result === "object") {
          onDuplicate(result);
          return withHandledPromises(result, onDuplicate);
        }
        if (result instanceof Promise) result.catch(ignore);
        return result;
      };
    },
  });
}
