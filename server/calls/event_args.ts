/** An ack callback that answers at most once. */
export type Ack<T> = (value: T) => void;

/**
 * Splits socket.io event arguments (from index `from` on) into the payload and the ack callback, calling the
 * ack at most once.
 */
export function splitArgs<T>(args: readonly unknown[], from = 0): { payload: unknown; ack: Ack<T> | undefined } {
  const last = args[args.length - 1];
  if (args.length <= from || typeof last !== "function") return { payload: args[from], ack: undefined };
  let acked = false;
  const ack: Ack<T> = (value) => {
    if (acked) return;
    acked = true;
    (last as Ack<T>)(value);
  };
  return { payload: args.length - from > 1 ? args[from] : undefined, ack };
}
