import { info, replicaOf, waitForReplicasCaughtUp, waitForReplicationUp, withRedis } from "./redis-admin";
import { joinCluster } from "./redis-cluster";

/** The data does not fit the smaller node: what a scale-down is refused with. */
export class InsufficientMemoryError extends Error {
  constructor(
    readonly usedBytes: number,
    readonly maxmemoryBytes: number,
    port: number,
  ) {
    super(
      `the data on port ${port} needs ${formatMiB(usedBytes)} but the new node has a maxmemory of ${formatMiB(maxmemoryBytes)}`,
    );
    this.name = "InsufficientMemoryError";
  }
}

function formatMiB(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * The memory a node's data takes as Redis counts it against maxmemory (used_memory less the replication and AOF
 * buffers, which eviction ignores too).
 */
export async function memoryFootprint(port: number): Promise<number> {
  const memory = await info(port, "memory");
  return Number(memory.used_memory) - Number(memory.mem_not_counted_for_evict ?? 0);
}

/** Throws InsufficientMemoryError when the data on `port` would not fit in `maxmemoryBytes`. */
export async function assertDataFits(port: number, maxmemoryBytes: number): Promise<void> {
  const used = await memoryFootprint(port);
  if (used > maxmemoryBytes) throw new InsufficientMemoryError(used, maxmemoryBytes, port);
}

export interface ReplacementSync {
  /** The primary whose data the new node must hold. */
  primaryPort: number;
  /** A freshly started node with the new node type's maxmemory. */
  newPort: number;
  /** Join as a cluster replica (MEET + REPLICATE) instead of REPLICAOF. */
  clusterMode: boolean;
  timeoutMs?: number;
}

/**
 * First half of a vertical scale: the new node replicates from the current primary until it holds everything the
 * primary had when the sync started, then its own footprint is checked against its maxmemory (a replica does not
 * evict, so it receives all the data and the check is real). Throws InsufficientMemoryError when it does not fit;
 * the caller then stops the new node. The switch-over is a failover to the new node (failoverPrimary with
 * promotePort, or failoverClusterShard), and the control plane decides when.
 */
export async function syncReplacement({ primaryPort, newPort, clusterMode, timeoutMs = 60_000 }: ReplacementSync): Promise<void> {
  const maxmemory = Number(((await withRedis(newPort, (c) => c.config("GET", "maxmemory"))) as string[])[1]);
  await assertDataFits(primaryPort, maxmemory);
  if (clusterMode) await joinCluster(primaryPort, { primaryPort, replicaPorts: [newPort] }, undefined, { timeoutMs });
  else await replicaOf(newPort, primaryPort);
  await waitForReplicationUp(newPort, { timeoutMs });
  await waitForReplicasCaughtUp(primaryPort, { timeoutMs });
  await assertDataFits(newPort, maxmemory);
}
