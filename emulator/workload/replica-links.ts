import { replicationStatus } from "../nodes/redis-admin";
import { ReplicationThrottle } from "../nodes/replication-throttle";

/** A replica must have replicated straight from its primary this many refreshes in a row before its link is slowed. */
const STABLE_REFRESHES = 2;

interface Pair {
  replicaPort: number;
  primaryPort: number;
}

/**
 * Keeps every replica of a group replicating over a link of limited bandwidth (a slow cross-AZ link), so a write
 * burst larger than the link really leaves the replica behind. It stays out of the control plane's way: a replica is
 * only slowed once it has replicated straight from its current primary for a while (not in the middle of a failover,
 * a node replacement or another slowdown), and a link the replica no longer uses (it was re-pointed) is closed
 * without re-pointing anything.
 */
export class ReplicaLinks {
  private readonly links = new Map<number, ReplicationThrottle>();
  private readonly direct = new Map<number, number>();
  private updating: Promise<void> | undefined;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly log: (message: string) => void,
  ) {}

  /** Brings the links in line with the group's current replica → primary pairs (empty while it is not available). */
  update(pairs: Pair[]): Promise<void> {
    this.updating ??= this.apply(pairs).finally(() => (this.updating = undefined));
    return this.updating;
  }

  /**
   * Closes the proxies. Only the emulator's shutdown (its nodes stop right after) or the group's deletion stops a
   * workload, so nothing is re-pointed.
   */
  async close(): Promise<void> {
    await this.updating;
    await Promise.allSettled([...this.links.values()].map((link) => link.close()));
    this.links.clear();
  }

  private async apply(pairs: Pair[]): Promise<void> {
    for (const [replicaPort, link] of this.links) {
      const current = pairs.some((p) => p.replicaPort === replicaPort && p.primaryPort === link.primaryPort);
      if (current && (await this.masterPort(replicaPort)) === link.proxyPort) continue;
      this.links.delete(replicaPort);
      await link.close();
    }
    for (const { replicaPort, primaryPort } of pairs) {
      if (this.links.has(replicaPort)) continue;
      const status = await replicationStatus(replicaPort).catch(() => undefined);
      const direct = status?.role === "slave" && status.masterPort === primaryPort && status.masterLinkStatus === "up" && !status.masterSyncInProgress;
      const streak = direct ? (this.direct.get(replicaPort) ?? 0) + 1 : 0;
      this.direct.set(replicaPort, streak);
      if (streak < STABLE_REFRESHES) continue;
      try {
        this.links.set(replicaPort, await ReplicationThrottle.start({ replicaPort, primaryPort, delayMs: 0, bytesPerSecond: this.bytesPerSecond }));
        this.direct.delete(replicaPort);
      } catch (error) {
        this.log(`workload: cannot slow the replica link ${primaryPort} → ${replicaPort}: ${(error as Error).message}`);
      }
    }
  }

  private masterPort(replicaPort: number): Promise<number | undefined> {
    return replicationStatus(replicaPort).then(
      (s) => s.masterPort,
      () => undefined,
    );
  }
}
