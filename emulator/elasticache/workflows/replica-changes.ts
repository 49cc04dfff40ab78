import { detachNodes, joinCluster } from "@/emulator/nodes/redis-cluster";
import { replicaOf } from "@/emulator/nodes/redis-admin";
import type { ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import { forgetMember, memberCreated } from "./members";
import type { CacheClusterRecord, NodeGroupRecord, ReplicationGroupRecord } from "../state/model";
import { replicaInSync } from "./node-replacement";
import { pace } from "./pacing";
import { shardOf } from "./shards";

// IncreaseReplicaCount / DecreaseReplicaCount on the processes: new replicas are started and synced from their
// shard's primary (REPLICAOF, or CLUSTER MEET + REPLICATE), removed ones leave the cluster and are stopped.

export interface ReplicaPlan {
  nodeGroupId: string;
  from: number;
  to: number;
  /** Increase: the new member clusters (records already added, status creating). */
  added: CacheClusterRecord[];
  /** Decrease: the member clusters to remove. */
  removed: string[];
}

export async function applyReplicaPlans(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, plans: ReplicaPlan[]): Promise<void> {
  if (plans.some((p) => p.added.length > 0)) await pace(cp, "nodeProvisioning");
  for (const plan of plans) {
    const nodeGroup = rg.nodeGroups.find((ng) => ng.nodeGroupId === plan.nodeGroupId);
    if (!nodeGroup) continue;
    const shard = shardOf(cp, region, nodeGroup);
    const primary = shard.primary;
    if (!primary) throw new Error(`node group ${plan.nodeGroupId} has no primary`);
    if (plan.added.length > 0) {
      await Promise.all(plan.added.map((cluster) => cp.startNode(region, cluster, cluster.nodes[0], { clusterEnabled: rg.clusterEnabled })));
      cp.checkNotClosing();
      if (!rg.simulated) await syncNewReplicas(cp, region, rg, nodeGroup, plan.added, primary.node.port);
      for (const cluster of plan.added) memberCreated(cp, region, cluster);
    }
    if (plan.removed.length > 0) {
      const leaving = shard.members.filter((m) => plan.removed.includes(m.cluster.cacheClusterId));
      if (rg.clusterEnabled && !rg.simulated) await detachNodes(primary.node.port, leaving.map((m) => m.node.port));
      await Promise.all(leaving.map((m) => cp.removeNode(region, m.cluster.cacheClusterId, m.node.cacheNodeId)));
      cp.checkNotClosing();
      for (const m of leaving) forgetMember(cp, region, nodeGroup, m.cluster.cacheClusterId);
    }
    cp.emit(region, "replication-group", rg.replicationGroupId, eventMessages.replicaCountChanged(plan.nodeGroupId, plan.from, plan.to));
    cp.save();
  }
}

async function syncNewReplicas(
  cp: ElastiCacheControlPlane,
  region: string,
  rg: ReplicationGroupRecord,
  nodeGroup: NodeGroupRecord,
  added: CacheClusterRecord[],
  primaryPort: number,
): Promise<void> {
  const ports = added.map((c) => c.nodes[0].port);
  if (rg.clusterEnabled) await joinCluster(primaryPort, { primaryPort, replicaPorts: ports });
  else await Promise.all(ports.map((port) => replicaOf(port, primaryPort)));
  const fresh = shardOf(cp, region, nodeGroup).members.filter((m) => added.includes(m.cluster));
  await Promise.all(fresh.map((m) => replicaInSync(cp, m, primaryPort)));
}
