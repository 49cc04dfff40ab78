import { createHash } from "node:crypto";
import { Client } from "pg";

// Which app instance leads each watcher (account × region), decided by Postgres: the leader holds a session-level
// advisory lock on one dedicated connection. When its process dies (even SIGKILL) the kernel closes the socket,
// Postgres ends the session and releases the lock, and the next instance that tries takes it. The same connection
// LISTENs for the relay's notifications, so one connection per instance carries all of it.

/** Advisory lock keys are two int4s: this fixed first half keeps CacheDeck's locks apart from anyone else's. */
const lockSpace = 0x43_44_4b_31; // "CDK1"

/** The second half of a watcher's lock key: 32 bits of a hash of "account/region". */
export function lockKeyOf(watcher: string): number {
  return createHash("sha256").update(watcher).digest().readInt32BE(0);
}

export interface LeaseHandlers {
  /** This instance now holds the watcher's lease. */
  lead(watcher: string): void;
  /** It does not (any more): another instance leads, or the connection that held the lock is gone. */
  follow(watcher: string): void;
  /** A NOTIFY on one of the channels listened to. */
  notify(channel: string, payload: string): void;
  /** The connection is (again) up and listening: whatever was notified meanwhile must be read. */
  connected(): void;
  log(message: string, error?: unknown): void;
}

export interface LeaseOptions {
  /** How often a follower tries the lock and the leader checks its connection is alive. */
  checkEveryMs: number;
  /** Longest wait for connecting and for any query on the lease connection. */
  deadlineMs: number;
}

export class LeaseConnection {
  private client: Client | null = null;
  private connecting: Promise<Client | null> | null = null;
  /** Watchers this instance takes part in, and whether it holds their lock. */
  private readonly watchers = new Map<string, boolean>();
  private readonly timer: NodeJS.Timeout;
  private checking = false;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly channels: string[],
    private readonly handlers: LeaseHandlers,
    private readonly options: LeaseOptions,
  ) {
    this.timer = setInterval(() => void this.check(), options.checkEveryMs);
    this.timer.unref();
  }

  /** Takes part in leading `watcher`: tries its lock now and at every check until it holds it. */
  add(watcher: string): void {
    if (this.watchers.has(watcher)) return;
    this.watchers.set(watcher, false);
    void this.check();
  }

  /** Gives the watcher's lock back (its watcher stopped), so another instance may lead it at once. */
  async remove(watcher: string): Promise<void> {
    const held = this.watchers.get(watcher);
    this.watchers.delete(watcher);
    if (held && this.client) await this.client.query("select pg_advisory_unlock($1, $2)", [lockSpace, lockKeyOf(watcher)]).catch(() => undefined);
  }

  holds(watcher: string): boolean {
    return this.watchers.get(watcher) ?? false;
  }

  /** Ends the connection: every lock it held is released by Postgres. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }

  private async check(): Promise<void> {
    if (this.checking || this.closed) return;
    this.checking = true;
    try {
      const client = this.client ?? (await this.connect());
      if (!client) return;
      for (const [watcher, held] of this.watchers) {
        if (held) continue;
        const { rows } = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1, $2) as ok", [lockSpace, lockKeyOf(watcher)]);
        if (rows[0]?.ok && this.watchers.has(watcher) && this.client === client) {
          this.watchers.set(watcher, true);
          this.handlers.lead(watcher);
        }
      }
      // A leader's lock lives as long as this session: a query that fails or outlives the deadline means it may be
      // gone, and leading on would mean two instances calling AWS.
      if ([...this.watchers.values()].some(Boolean)) await client.query("select 1");
    } catch (error) {
      this.handlers.log("the watcher lease connection failed; following until it is back", error);
      this.lost();
    } finally {
      this.checking = false;
    }
  }

  private connect(): Promise<Client | null> {
    this.connecting ??= (async () => {
      const client = new Client({
        connectionString: this.url,
        connectionTimeoutMillis: this.options.deadlineMs,
        query_timeout: this.options.deadlineMs,
        keepAlive: true,
        application_name: "cachedeck-watcher-lease",
      });
      client.on("error", (error) => {
        this.handlers.log("the watcher lease connection broke", error);
        if (this.client === client) this.lost();
      });
      client.on("end", () => {
        if (this.client === client) this.lost();
      });
      client.on("notification", (message) => this.handlers.notify(message.channel, message.payload ?? ""));
      try {
        await client.connect();
        for (const channel of this.channels) await client.query(`listen ${channel}`);
      } catch (error) {
        this.handlers.log("cannot reach Postgres for the watcher lease; retrying", error);
        await client.end().catch(() => undefined);
        return null;
      }
      if (this.closed) {
        await client.end().catch(() => undefined);
        return null;
      }
      this.client = client;
      this.handlers.connected();
      return client;
    })().finally(() => (this.connecting = null));
    return this.connecting;
  }

  /** The connection is gone, and with it every lock it held: follow everywhere until a check wins them back. */
  private lost(): void {
    const client = this.client;
    this.client = null;
    void client?.end().catch(() => undefined);
    for (const [watcher, held] of this.watchers) {
      if (!held) continue;
      this.watchers.set(watcher, false);
      this.handlers.follow(watcher);
    }
  }
}
