import net from "node:net";
import { replicaOf, waitForReplicationUp } from "./redis-admin";

export interface ThrottleSettings {
  /** Added to every byte the primary sends before the replica sees it. */
  delayMs: number;
  /** Cap on the primary → replica stream; undefined or 0 means no cap. */
  bytesPerSecond?: number;
}

// Past this many queued bytes the proxy stops reading from the primary, so the backlog builds up in the primary's
// replica output buffer (where Redis itself accounts for it) instead of in the emulator's memory.
const HIGH_WATER_BYTES = 4 * 1024 * 1024;
const LOW_WATER_BYTES = 1024 * 1024;
// A paced stream sends in slices this often, so a low rate still trickles rather than arriving in bursts.
const TICK_MS = 20;

/** Forwards one direction of a connection late and/or slowly, per the current settings. */
class ShapedStream {
  private readonly queue: Array<{ data: Buffer; releaseAt: number }> = [];
  private queuedBytes = 0;
  private budget = 0;
  private lastRefill = Date.now();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly from: net.Socket,
    private readonly to: net.Socket,
    private readonly settings: () => ThrottleSettings,
  ) {
    from.on("data", (data: Buffer) => {
      this.queue.push({ data, releaseAt: Date.now() + this.settings().delayMs });
      this.queuedBytes += data.length;
      if (this.queuedBytes > HIGH_WATER_BYTES) from.pause();
      this.pump();
    });
  }

  /** Sends whatever is due now and sleeps until the next piece is. */
  pump(): void {
    clearTimeout(this.timer);
    const now = Date.now();
    const rate = this.settings().bytesPerSecond ?? 0;
    if (rate > 0) this.budget = Math.min(this.budget + ((now - this.lastRefill) * rate) / 1000, Math.max(rate / 5, 1));
    this.lastRefill = now;
    while (this.queue.length > 0 && !this.to.destroyed) {
      const head = this.queue[0];
      if (head.releaseAt > now) return this.wake(head.releaseAt - now);
      const allowed = rate > 0 ? Math.floor(this.budget) : head.data.length;
      if (allowed < 1) return this.wake(TICK_MS);
      const slice = head.data.subarray(0, allowed);
      this.to.write(slice);
      this.budget -= rate > 0 ? slice.length : 0;
      this.queuedBytes -= slice.length;
      if (slice.length === head.data.length) this.queue.shift();
      else head.data = head.data.subarray(slice.length);
    }
    if (this.queuedBytes < LOW_WATER_BYTES && this.from.isPaused()) this.from.resume();
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private wake(afterMs: number): void {
    if (this.queuedBytes < LOW_WATER_BYTES && this.from.isPaused()) this.from.resume();
    this.timer = setTimeout(() => this.pump(), Math.max(1, afterMs));
  }
}

/**
 * Slows one replica's replication for real: the replica replicates through a TCP proxy on 127.0.0.1 that delays
 * and/or rate-limits the primary → replica stream, so its processed offset falls behind the primary's and the lag
 * the primary reports grows. Acknowledgements from the replica pass straight through. remove() points the replica
 * back at its primary (a partial resync, nothing lost) and closes the proxy.
 */
export class ReplicationThrottle {
  private settings: ThrottleSettings;
  private readonly sockets = new Set<net.Socket>();
  private readonly streams = new Set<ShapedStream>();

  private constructor(
    readonly replicaPort: number,
    private upstreamPort: number,
    private readonly server: net.Server,
    settings: ThrottleSettings,
  ) {
    this.settings = { ...settings };
    server.on("connection", (replicaSide) => this.relay(replicaSide));
  }

  static async start(options: { replicaPort: number; primaryPort: number } & ThrottleSettings): Promise<ReplicationThrottle> {
    const server = net.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => resolve());
    });
    const throttle = new ReplicationThrottle(options.replicaPort, options.primaryPort, server, options);
    try {
      await throttle.attachReplica();
    } catch (error) {
      await throttle.close();
      throw error;
    }
    return throttle;
  }

  /** The primary the proxy forwards to. */
  get primaryPort(): number {
    return this.upstreamPort;
  }

  get proxyPort(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  get current(): ThrottleSettings {
    return { ...this.settings };
  }

  update(settings: Partial<ThrottleSettings>): void {
    this.settings = { ...this.settings, ...settings };
    for (const stream of this.streams) stream.pump();
  }

  /**
   * After a failover: the proxy forwards to the new primary from now on, and the replica (which the failover may have
   * pointed straight at the new primary) replicates through the proxy again, still slowed.
   */
  async retarget(primaryPort: number): Promise<void> {
    this.upstreamPort = primaryPort;
    for (const socket of this.sockets) socket.destroy();
    await this.attachReplica();
  }

  /** Re-points the replica straight at its primary and closes the proxy; resolves when the direct link is up. */
  async remove(): Promise<void> {
    await replicaOf(this.replicaPort, this.primaryPort);
    await this.close();
    await waitForReplicationUp(this.replicaPort, { timeoutMs: 30_000 });
  }

  /** Closes the proxy without re-pointing the replica (its primary is gone, or the replica is being removed). */
  async close(): Promise<void> {
    for (const stream of this.streams) stream.stop();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /**
   * Points the replica at the proxy. The handshake (PING, REPLCONF, PSYNC) takes several round trips, so it runs
   * unthrottled and the slowdown resumes once the link is up.
   */
  private async attachReplica(): Promise<void> {
    const settings = this.settings;
    this.settings = { delayMs: 0 };
    try {
      await replicaOf(this.replicaPort, this.proxyPort);
      await waitForReplicationUp(this.replicaPort, { timeoutMs: 30_000 });
    } finally {
      this.update(settings);
    }
  }

  private relay(replicaSide: net.Socket): void {
    const primarySide = net.connect({ host: "127.0.0.1", port: this.upstreamPort });
    for (const socket of [replicaSide, primarySide]) {
      this.sockets.add(socket);
      socket.setNoDelay(true);
      socket.on("error", () => {});
      socket.once("close", () => {
        this.sockets.delete(socket);
        replicaSide.destroy();
        primarySide.destroy();
      });
    }
    replicaSide.pipe(primarySide);
    const stream = new ShapedStream(primarySide, replicaSide, () => this.settings);
    this.streams.add(stream);
    primarySide.once("close", () => {
      stream.stop();
      this.streams.delete(stream);
    });
  }
}
