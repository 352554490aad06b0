/**
 * Counts open connections per client address, so one address cannot hold every socket of the process
 * (`maxConnectionsPerIp`). The check happens before a handshake is accepted; handshakes racing at the
 * same moment are counted once they are open, so the cap can be passed by the few in flight.
 */
export class ConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  allows(address: string): boolean {
    return (this.open.get(address) ?? 0) < this.max;
  }

  /** Counts a connection that opened; returns its release, to call once when it closes. */
  add(address: string): () => void {
    this.open.set(address, (this.open.get(address) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.open.get(address) ?? 1) - 1;
      if (left <= 0) this.open.delete(address);
      else this.open.set(address, left);
    };
  }
}
