import type { CallAck } from "../../protocol/index.js";
import {
  DEFAULT_LEDGER_MAX_ENTRIES_PER_TAB,
  DEFAULT_LEDGER_TTL_MS,
  type CallLedger,
  type Claim,
} from "../calls/call_ledger.js";
import { getLogger } from "../logger.js";

/**
 * What the Redis ledger needs of a client: Lua scripts only, so any node-redis client (`createClient()` or
 * `createCluster()`) fits, and a thin shim fits any other library.
 */
export interface RedisEvalClient {
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface RedisLedgerOptions {
  /** Prefix of the keys. Default "liveview:call:". */
  keyPrefix?: string;
  /**
   * How long an id is remembered; a tab's list of ids goes this long after its last call. Default 10 minutes, as
   * the in-memory ledger.
   */
  ttlMs?: number;
  /** Ids remembered at most per tab; a tab past it forgets its own oldest, never another's. Default 5,000, as in memory. */
  maxEntriesPerTab?: number;
  /**
   * How long a run counts as alive without news from its node. The node renews it every third of this while
   * the handler runs; a node that died stops renewing, and duplicates waiting for it then get an error ack.
   * Default 10 s.
   */
  leaseMs?: number;
}

const PENDING = "pending";
const POLL_FIRST_MS = 10;
const POLL_MAX_MS = 250;

/** The ack of a duplicate whose first run was on a node that died before it finished: at most once, never twice. */
export const INTERRUPTED_ACK: CallAck = {
  ok: false,
  error: "Interrupted: the server running this call stopped before it finished",
};

// The entry (pending, then the ack as JSON) lives ttlMs; the lease beside it says the running node is alive. The
// tab's list (KEYS[3]) holds its ids oldest first, bounded: past ARGV[4] the oldest entries go (their keys share the
// list's hash tag, so they sit in its Cluster slot). The list itself goes ttlMs after the tab's last call.
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v then return v end
redis.call('SET', KEYS[1], '${PENDING}', 'PX', ARGV[1])
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
local n = redis.call('RPUSH', KEYS[3], ARGV[3])
redis.call('PEXPIRE', KEYS[3], ARGV[1])
while n > tonumber(ARGV[4]) do
  local old = redis.call('LPOP', KEYS[3])
  redis.call('DEL', ARGV[5] .. old, ARGV[5] .. old .. ':lease')
  n = n - 1
end
return false`;

// A pending entry whose lease is gone belongs to a node that died: it becomes the interrupted ack, once.
const PEEK = `
local v = redis.call('GET', KEYS[1])
if not v then return ARGV[2] end
if v ~= '${PENDING}' then return v end
if redis.call('EXISTS', KEYS[2]) == 1 then return false end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[1])
return ARGV[2]`;

// XX: an entry forgotten meanwhile (past its tab's bound) stays forgotten.
const SETTLE = `
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'XX')
redis.call('DEL', KEYS[2])
return 1`;

const RENEW = `return redis.call('PEXPIRE', KEYS[1], ARGV[1])`;

interface LocalRun {
  ack: Promise<CallAck>;
  resolve: (ack: CallAck) => void;
}

/**
 * The exactly-once ledger of several nodes: call ids live in Redis under expiring keys, so a call the browser
 * resends to another node after a reconnection runs once. `SET NX`-like claim in one script; the ack is stored
 * when the run settles; a duplicate that arrives while the first run is still going on another node polls
 * (10 ms, doubling to 250 ms) until the ack is there. Bounded: every key expires after `ttlMs`, and a tab keeps
 * at most `maxEntriesPerTab` ids (a list per tab, its oldest forgotten first), so no tab pushes out another's.
 *
 * ```ts
 * const redis = createClient({ url: process.env.REDIS_URL });
 * await redis.connect();
 * createLiveView(httpServer, { ledger: new RedisCallLedger(redis) });
 * ```
 * (`createLiveView(httpServer, { redis })` sets this up by itself.)
 */
export class RedisCallLedger implements CallLedger {
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly leaseMs: number;
  private readonly maxEntriesPerTab: number;
  /** Runs of this node, by entry key: their leases are renewed, and local duplicates wait without polling. */
  private readonly running = new Map<string, LocalRun>();
  private readonly writes = new Set<Promise<void>>();
  private renewTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: RedisEvalClient,
    options: RedisLedgerOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? "liveview:call:";
    this.ttlMs = options.ttlMs ?? DEFAULT_LEDGER_TTL_MS;
    this.leaseMs = options.leaseMs ?? 10_000;
    this.maxEntriesPerTab = Math.max(1, options.maxEntriesPerTab ?? DEFAULT_LEDGER_MAX_ENTRIES_PER_TAB);
  }

  async claim(scope: string, id: string): Promise<Claim> {
    const [entry, lease] = this.keys(scope, id);
    const local = this.running.get(entry);
    if (local) return { first: false, ack: local.ack };
    const tab = this.tabKey(scope);
    const args = [String(this.ttlMs), String(this.leaseMs), id, String(this.maxEntriesPerTab), `${tab}:`];
    const value = await this.run(CLAIM, [entry, lease, tab], args);
    if (value === null) {
      this.startRun(entry);
      return { first: true };
    }
    if (value !== PENDING) return { first: false, ack: Promise.resolve(parseAck(value)) };
    return { first: false, ack: this.waitForAck(entry, lease) };
  }

  settle(scope: string, id: string, ack: CallAck): void {
    const [entry, lease] = this.keys(scope, id);
    const local = this.running.get(entry);
    this.running.delete(entry);
    if (this.running.size === 0) this.stopRenewing();
    local?.resolve(ack);
    const write = this.run(SETTLE, [entry, lease], [JSON.stringify(ack), String(this.ttlMs)]).then(
      () => undefined,
      () => undefined, // logged by run(); duplicates then see the lease expire and get the interrupted ack
    );
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  /** Resolves once every ack handed to settle() is stored (call it before closing the client). */
  async flush(): Promise<void> {
    await Promise.all([...this.writes]);
  }

  /** Stops renewing leases (runs still going on this node will look dead to the other nodes). */
  stop(): void {
    this.stopRenewing();
  }

  /** The list of a tab's ids; its hash tag keeps every key of the tab in one slot of a Redis Cluster. */
  private tabKey(scope: string): string {
    return `${this.prefix}{${scope}}`;
  }

  private keys(scope: string, id: string): [string, string] {
    const entry = `${this.tabKey(scope)}:${id}`;
    return [entry, `${entry}:lease`];
  }

  private startRun(entry: string): void {
    let resolve!: (ack: CallAck) => void;
    const ack = new Promise<CallAck>((r) => (resolve = r));
    this.running.set(entry, { ack, resolve });
    if (!this.renewTimer) {
      this.renewTimer = setInterval(() => this.renewLeases(), Math.max(10, Math.floor(this.leaseMs / 3)));
      this.renewTimer.unref();
    }
  }

  private renewLeases(): void {
    for (const entry of this.running.keys()) {
      void this.run(RENEW, [`${entry}:lease`], [String(this.leaseMs)]).catch(() => undefined);
    }
  }

  private stopRenewing(): void {
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.renewTimer = null;
  }

  /** Polls until the first run's ack is stored, its node is gone, or the entry expired. */
  private async waitForAck(entry: string, lease: string): Promise<CallAck> {
    const args = [String(this.ttlMs), JSON.stringify(INTERRUPTED_ACK)];
    for (let delay = POLL_FIRST_MS; ; delay = Math.min(delay * 2, POLL_MAX_MS)) {
      await new Promise((resolve) => setTimeout(resolve, delay));
      const value = await this.run(PEEK, [entry, lease], args);
      if (value !== null) return parseAck(value);
    }
  }

  private async run(script: string, keys: string[], args: string[]): Promise<string | null> {
    try {
      const value = await this.client.eval(script, { keys, arguments: args });
      return value === null || value === undefined ? null : String(value);
    } catch (error) {
      getLogger().error(`[liveview] call ledger: Redis failed: ${(error as Error)?.message ?? String(error)}`);
      throw error;
    }
  }
}

function parseAck(value: string): CallAck {
  try {
    const ack = JSON.parse(value) as Partial<CallAck>;
    if (ack && typeof ack === "object" && typeof ack.ok === "boolean") return ack as CallAck;
  } catch {
    // fall through: not an ack we wrote
  }
  return { ok: false, error: "Internal error" };
}
