/** An ack callback that answers at most once. */
export type Ack<T> = (value: T) => void;

/** Splits socket.io event arguments into the payload and the ack callback, calling the ack at most once. */
export function splitArgs<T>(args: unknown[]): { payload: unknown; ack: Ack<T> | undefined } {
  const last = args[args.length - 1];
  if (typeof last !== "function") return { payload: args[0], ack: undefined };
  let acked = false;
  const ack: Ack<T> = (value) => {
    if (acked) return;
    acked = true;
    (last as Ack<T>)(value);
  };
  return { payload: args.length > 1 ? args[0] : undefined, ack };
}
