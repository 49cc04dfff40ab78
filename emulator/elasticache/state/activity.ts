/**
 * Serialises the changes made to one replication group's processes (test failover, automatic failover and node
 * recovery, scaling): each runs after the previous one ended, so two of them never re-point the same nodes at once.
 * Also remembers which shard is failing over, because AWS refuses a second TestFailover on a group until the first
 * one's node replacement has finished.
 */
export class GroupActivity {
  private readonly tails = new Map<string, Promise<unknown>>();
  private readonly failovers = new Map<string, string>();

  static key(region: string, replicationGroupId: string): string {
    return `${region}/${replicationGroupId}`;
  }

  /** Runs `work` once every earlier work for `key` has settled; resolves or rejects with it. */
  exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Marks a shard as failing over until `done` settles. */
  trackFailover(key: string, nodeGroupId: string, done: Promise<unknown>): void {
    this.failovers.set(key, nodeGroupId);
    void done.finally(() => {
      if (this.failovers.get(key) === nodeGroupId) this.failovers.delete(key);
    }).catch(() => undefined);
  }

  /** The shard of the group whose failover has not finished yet, if any. */
  failoverInProgress(key: string): string | undefined {
    return this.failovers.get(key);
  }
}
