import "server-only";
import Redis, { Cluster } from "ioredis";
import type { CacheAccess } from "@/lib/drills/cache-access";
import type { Endpoint } from "@/lib/drills/observe";
import type { ProbeResult } from "@/lib/drills/model";
import { hashTagIn, parseSlots } from "@/lib/drills/key-slot";

// A client that writes and reads through the drill, from the CacheDeck server, the way an application would: it
// measures how long writes (and reads) fail and, at the end, reads back every write the cache acknowledged to find any
// that the failover lost. Cluster mode disabled: one connection to the primary endpoint, re-resolved after a failure
// (on AWS the endpoint's DNS name moves; in the emulator its port does). Cluster mode enabled: a cluster client, with
// keys pinned by hash tag to the drilled shards so a failure elsewhere does not hide one there.

export interface ProbeTarget {
  clusterMode: boolean;
  /** Where to connect now: the primary endpoint, or (cluster mode) the configuration endpoint and the nodes. */
  resolve(): Promise<Endpoint[]>;
  /** Cluster mode: the drilled shards' slot ranges ("0-5460"), one lane each. */
  shardSlots: { shard: string; slots: string }[];
  /** TLS and the AUTH token for groups that need them (lib/drills/cache-access.ts); absent: plain text, no password. */
  access?: CacheAccess;
}

export interface ProbeListener {
  outageStarted(lane: string, operation: "write" | "read", at: Date, error: string): void;
  outageEnded(lane: string, operation: "write" | "read", at: Date, outageMs: number): void;
}

export interface ProbeOptions {
  intervalMs?: number;
  commandTimeoutMs?: number;
  /**
   * Kept on the cache this long in case the probe cannot delete them at the end. Null: no expiry, so a cache evicting
   * under memory pressure (volatile-lru, ElastiCache's default) never evicts them and a missing key is a lost write.
   */
  keyTtlSeconds?: number | null;
  listener?: ProbeListener;
}

const LOST_SAMPLE = 10;
const VERIFY_CHUNK = 500;

interface Lane {
  name: string;
  /** Prefix of every key of the lane, with its hash tag. */
  prefix: string;
  acknowledged: number[];
  lastAcknowledged: number | null;
}

class OutageMeter {
  failingSince: number | null = null;
  longestMs = 0;
  attempts = 0;
  failures = 0;

  failed(at: number): boolean {
    this.attempts += 1;
    this.failures += 1;
    if (this.failingSince !== null) return false;
    this.failingSince = at;
    return true;
  }

  succeeded(at: number): number | null {
    this.attempts += 1;
    if (this.failingSince === null) return null;
    const outage = at - this.failingSince;
    this.longestMs = Math.max(this.longestMs, outage);
    this.failingSince = null;
    return outage;
  }

  close(at: number): void {
    if (this.failingSince !== null) this.longestMs = Math.max(this.longestMs, at - this.failingSince);
  }
}

type Client = Redis | Cluster;

function clientFor(target: ProbeTarget, endpoints: Endpoint[], commandTimeout: number): Client {
  const redisOptions = {
    connectTimeout: commandTimeout,
    commandTimeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    lazyConnect: true,
    ...(target.access?.tls ? { tls: target.access.tls } : {}),
    ...(target.access?.password ? { password: target.access.password } : {}),
  };
  if (!target.clusterMode) return new Redis({ ...redisOptions, host: endpoints[0].host, port: endpoints[0].port, retryStrategy: () => null });
  return new Cluster(endpoints, {
    redisOptions,
    enableOfflineQueue: false,
    lazyConnect: true,
    clusterRetryStrategy: () => 100,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    retryDelayOnTryAgain: 100,
    slotsRefreshTimeout: commandTimeout,
  });
}

/** A cluster client retries its connection forever; the probe must give up and count the attempt as failed instead. */
async function within<T>(ms: number, work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether CacheDeck can reach the endpoint and run a command there (over TLS and with the AUTH token when the group
 * needs them): null when it can, else what stands in the way.
 */
export async function probeProblem(target: ProbeTarget): Promise<string | null> {
  const endpoints = await target.resolve();
  if (endpoints.length === 0) return "The group reports no endpoint to connect to.";
  const [endpoint] = endpoints;
  const client = clientFor(target, endpoints, 2_000);
  // The client's own error (a TLS handshake refused, a wrong AUTH token) says more than the "Connection is closed" that follows it.
  let cause: unknown;
  client.on("error", (error) => (cause ??= error));
  try {
    await within(2_000, client.connect().then(() => client.ping()), "connecting");
    return null;
  } catch (error) {
    return `CacheDeck cannot reach ${endpoint.host}:${endpoint.port} from where it runs (${message(cause ?? error)}).`;
  } finally {
    client.disconnect();
  }
}

export class WriteProbe {
  private readonly lanes: Lane[];
  private readonly writes = new OutageMeter();
  private readonly reads = new OutageMeter();
  private readonly intervalMs: number;
  private readonly commandTimeoutMs: number;
  private readonly keyTtlSeconds: number | null;
  private client: Client | null = null;
  private seq = 0;
  private running = false;
  private loop: Promise<void> | null = null;
  private problem: string | null = null;
  private slowestWriteMs = 0;

  /** `run` names what the probe serves and its keys: "drill:12" writes cachedeck:drill:12:<n>. */
  constructor(
    run: `${string}:${number}`,
    private readonly target: ProbeTarget,
    private readonly options: ProbeOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 50;
    this.commandTimeoutMs = options.commandTimeoutMs ?? 1_000;
    this.keyTtlSeconds = options.keyTtlSeconds === undefined ? 3_600 : options.keyTtlSeconds;
    const base = `cachedeck:${run}`;
    const tagSeed = run.replace("drill:", "d").replace(":", "");
    this.lanes = target.clusterMode
      ? target.shardSlots.map(({ shard, slots }) => ({
          name: shard,
          prefix: `${base}:{${hashTagIn(parseSlots(slots), `${tagSeed}s${shard}`)}}`,
          acknowledged: [],
          lastAcknowledged: null,
        }))
      : [{ name: "primary", prefix: base, acknowledged: [], lastAcknowledged: null }];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops writing, reads back every acknowledged key, removes the probe's keys, and reports. */
  async stop(): Promise<ProbeResult> {
    this.running = false;
    await this.loop;
    const now = Date.now();
    this.writes.close(now);
    this.reads.close(now);
    const lost = await this.verify();
    await this.cleanUp();
    this.dropClient();
    const acknowledged = this.lanes.reduce((n, lane) => n + lane.acknowledged.length, 0);
    return {
      writesAttempted: this.writes.attempts,
      writesAcknowledged: acknowledged,
      writesFailed: this.writes.failures,
      longestWriteOutageMs: this.writes.longestMs,
      slowestWriteMs: this.slowestWriteMs,
      readsAttempted: this.reads.attempts,
      readsFailed: this.reads.failures,
      longestReadOutageMs: this.reads.longestMs,
      keysVerified: lost === null ? 0 : acknowledged,
      keysLost: lost?.length ?? 0,
      lostKeySample: (lost ?? []).slice(0, LOST_SAMPLE),
      problem: this.problem,
    };
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      this.seq += 1;
      for (const lane of this.lanes) {
        await this.write(lane, this.seq);
        await this.read(lane);
      }
      const wait = this.intervalMs - (Date.now() - started);
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private async connected(): Promise<Client> {
    if (this.client) return this.client;
    const endpoints = await this.target.resolve();
    if (endpoints.length === 0) throw new Error("the group reports no endpoint right now");
    const client = clientFor(this.target, endpoints, this.commandTimeoutMs);
    client.on("error", () => undefined);
    this.client = client;
    await within(this.commandTimeoutMs, client.connect(), "connecting");
    return client;
  }

  private dropClient(): void {
    this.client?.disconnect();
    this.client = null;
  }

  private async attempt<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    try {
      return await operation(await this.connected());
    } catch (error) {
      // Cluster mode follows MOVED and refreshes its slots itself; a standalone connection to a demoted primary
      // (READONLY) or a dead one is dropped so the next attempt resolves the endpoint again.
      if (!this.target.clusterMode || /Connection|ECONNREFUSED|closed|timed out/i.test(message(error))) this.dropClient();
      throw error;
    }
  }

  private async write(lane: Lane, seq: number): Promise<void> {
    const startedAt = Date.now();
    try {
      const key = `${lane.prefix}:${seq}`;
      const ttl = this.keyTtlSeconds;
      await this.attempt((c) => (ttl === null ? c.set(key, String(seq)) : c.set(key, String(seq), "EX", ttl)));
      lane.acknowledged.push(seq);
      lane.lastAcknowledged = seq;
      this.slowestWriteMs = Math.max(this.slowestWriteMs, Date.now() - startedAt);
      const outage = this.writes.succeeded(Date.now());
      if (outage !== null) this.options.listener?.outageEnded(lane.name, "write", new Date(), outage);
    } catch (error) {
      if (this.writes.failed(startedAt)) this.options.listener?.outageStarted(lane.name, "write", new Date(startedAt), message(error));
    }
  }

  private async read(lane: Lane): Promise<void> {
    if (lane.lastAcknowledged === null) return;
    const startedAt = Date.now();
    const seq = lane.lastAcknowledged;
    try {
      const value = await this.attempt((c) => c.get(`${lane.prefix}:${seq}`));
      if (value !== String(seq)) throw new Error(`read back ${JSON.stringify(value)} for a key written as ${seq}`);
      const outage = this.reads.succeeded(Date.now());
      if (outage !== null) this.options.listener?.outageEnded(lane.name, "read", new Date(), outage);
    } catch (error) {
      if (this.reads.failed(startedAt)) this.options.listener?.outageStarted(lane.name, "read", new Date(startedAt), message(error));
    }
  }

  /** Keys acknowledged but missing or changed now; null when the probe could not read them back. */
  private async verify(): Promise<string[] | null> {
    const lost: string[] = [];
    try {
      for (const lane of this.lanes) {
        for (let i = 0; i < lane.acknowledged.length; i += VERIFY_CHUNK) {
          const seqs = lane.acknowledged.slice(i, i + VERIFY_CHUNK);
          const keys = seqs.map((seq) => `${lane.prefix}:${seq}`);
          const values = await this.withRetry((c) => c.mget(...keys));
          values.forEach((value, j) => {
            if (value !== String(seqs[j])) lost.push(keys[j]);
          });
        }
      }
      return lost;
    } catch (error) {
      this.problem = `The probe could not read its keys back at the end (${message(error)}), so data loss is unknown.`;
      return null;
    }
  }

  private async cleanUp(): Promise<void> {
    try {
      for (const lane of this.lanes) {
        for (let i = 0; i < lane.acknowledged.length; i += VERIFY_CHUNK) {
          const keys = lane.acknowledged.slice(i, i + VERIFY_CHUNK).map((seq) => `${lane.prefix}:${seq}`);
          await this.withRetry((c) => c.del(...keys));
        }
      }
    } catch {
      // The keys expire by themselves (keyTtlSeconds); a failed clean-up changes no figure.
    }
  }

  /** The end of a drill may meet a node still settling: a few attempts, a fresh connection each time. */
  private async withRetry<T>(operation: (client: Client) => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        return await this.attempt(operation);
      } catch (error) {
        lastError = error;
        this.dropClient();
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw lastError;
  }
}
