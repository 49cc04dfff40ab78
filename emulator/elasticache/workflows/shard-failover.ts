import { clusterCommand, clusterMyId, clusterNodes } from "@/emulator/nodes/redis-cluster";
import { failoverClusterShard, failoverPrimary } from "@/emulator/nodes/shard-failover";
import { waitFor } from "@/emulator/nodes/wait-for";
import type { ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import type { ReplicationGroupRecord } from "../state/model";
import type { Shard, ShardMember } from "./shards";

/**
 * How long a live primary waits for the chosen replica to catch up before the failover is forced (a replica far
 * behind, e.g. slowed by a fault, is still promoted, as AWS promotes its least-lagging replica whatever its lag).
 */
const COORDINATION_TIMEOUT_MS = 10_000;

export interface Promotion {
  from: ShardMember;
  to: ShardMember;
}

/**
 * Promotes the shard's least-lagging running replica, for real: with a live primary a coordinated failover (writes
 * pause until the replica has caught up, nothing acknowledged is lost, the old primary turns replica; forced after
 * COORDINATION_TIMEOUT_MS if the replica cannot catch up); with a dead one
 * REPLICAOF NO ONE (cluster mode: CLUSTER FAILOVER TAKEOVER). The other replicas follow the new primary. Then the
 * records change roles (so PrimaryEndpoint and CurrentRole move) and AWS's two "Failover … completed" events follow.
 */
export async function promoteReplica(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, shard: Shard): Promise<Promotion> {
  const from = shard.primary;
  if (!from) throw new Error(`node group ${shard.nodeGroup.nodeGroupId} of ${rg.replicationGroupId} has no primary`);
  // A replica in a zone without power is dead or about to be (its kill may not have been reported yet).
  const eligible = shard.replicas.filter((r) => r.running && cp.zonePower.isPowered(region, r.node.availabilityZone));
  if (eligible.length === 0) throw new Error(`node group ${shard.nodeGroup.nodeGroupId} of ${rg.replicationGroupId} has no running replica`);
  // Simulated replicas have no offsets to compare: the first in the records is promoted.
  const to = rg.simulated ? eligible[0] : await promoteProcess(rg, from, eligible);
  cp.checkNotClosing();

  from.node.role = "replica";
  to.node.role = "primary";
  from.node.roleSince = to.node.roleSince = new Date().toISOString();
  const message = eventMessages.failoverCompleted(from.cluster.cacheClusterId, to.cluster.cacheClusterId);
  cp.emit(region, "cache-cluster", to.cluster.cacheClusterId, message);
  cp.emit(region, "replication-group", rg.replicationGroupId, message);
  cp.save();
  cp.log(`${rg.replicationGroupId} node group ${shard.nodeGroup.nodeGroupId}: ${message}`);
  return { from, to };
}

async function promoteProcess(rg: ReplicationGroupRecord, from: ShardMember, eligible: ShardMember[]): Promise<ShardMember> {
  const candidates = new Map(eligible.map((r) => [r.node.port, r]));
  const replicaPorts = [...candidates.keys()];
  const { promotedPort } = rg.clusterEnabled
    ? await failoverClusterShard({ replicaPorts, primaryAlive: from.running })
    : await failoverPrimary({ primaryPort: from.node.port, replicaPorts, timeoutMs: COORDINATION_TIMEOUT_MS, force: true });
  if (rg.clusterEnabled) await followNewPrimary(promotedPort, replicaPorts.filter((port) => port !== promotedPort));
  return candidates.get(promotedPort) as ShardMember;
}

/**
 * Redis re-points the shard's other replicas itself once the new primary's claim has spread; this waits for that and
 * re-points any replica still following someone else (e.g. one the cluster had promoted on its own meanwhile).
 */
export async function followNewPrimary(primaryPort: number, replicaPorts: number[]): Promise<void> {
  const primaryId = await clusterMyId(primaryPort);
  await Promise.all(
    replicaPorts.map((port) =>
      waitFor(
        async () => {
          const self = (await clusterNodes(port)).find((n) => n.flags.includes("myself"));
          if (self?.masterId === primaryId) return true;
          await clusterCommand(port, "REPLICATE", primaryId).catch(() => undefined);
          return false;
        },
        { timeoutMs: 20_000, intervalMs: 100, description: `port ${port} to follow the new primary ${primaryPort}` },
      ),
    ),
  );
}
