import type { ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import type { CacheClusterRecord, NodeGroupRecord, ReplicationGroupRecord } from "../state/model";
import { setTags } from "../state/tags";

// Member clusters added to or removed from a replication group after its creation (more replicas, more shards), with
// AWS's names: <group>-NNN with cluster mode disabled, <group>-<node group>-NNN with it enabled, numbers not reused
// while taken.

function nextMemberId(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, nodeGroup: NodeGroupRecord): string {
  const taken = cp.regionState(region).cacheClusters;
  const prefix = rg.clusterEnabled ? `${rg.replicationGroupId}-${nodeGroup.nodeGroupId}` : rg.replicationGroupId;
  for (let n = 1; ; n++) {
    const id = `${prefix}-${String(n).padStart(3, "0")}`;
    if (!taken[id]) return id;
  }
}

/** A new member cluster (status creating, no process yet) in `nodeGroup`, tagged like its group. */
export function addMember(
  cp: ElastiCacheControlPlane,
  region: string,
  rg: ReplicationGroupRecord,
  nodeGroup: NodeGroupRecord,
  role: "primary" | "replica",
  availabilityZone: string,
  now: Date,
): CacheClusterRecord {
  const state = cp.regionState(region);
  const cluster: CacheClusterRecord = {
    cacheClusterId: nextMemberId(cp, region, rg, nodeGroup),
    engine: rg.engine,
    engineVersion: rg.engineVersion,
    cacheNodeType: rg.cacheNodeType,
    status: "creating",
    createTime: now.toISOString(),
    replicationGroupId: rg.replicationGroupId,
    nodeGroupId: nodeGroup.nodeGroupId,
    azMode: "single-az",
    cacheParameterGroupName: rg.cacheParameterGroupName,
    nodes: [{ cacheNodeId: "0001", status: "creating", createTime: now.toISOString(), availabilityZone, port: 0, role }],
    pendingModifiedValues: {},
    simulated: rg.simulated,
    settings: rg.settings && structuredClone(rg.settings),
  };
  state.cacheClusters[cluster.cacheClusterId] = cluster;
  nodeGroup.memberClusterIds.push(cluster.cacheClusterId);
  setTags(state, cp.arn(region, "cluster", cluster.cacheClusterId), state.tags[cp.arn(region, "replicationgroup", rg.replicationGroupId)] ?? []);
  return cluster;
}

/** The member's process runs and is in sync: AWS's creation events. */
export function memberCreated(cp: ElastiCacheControlPlane, region: string, cluster: CacheClusterRecord): void {
  cluster.status = "available";
  for (const node of cluster.nodes) {
    node.status = "available";
    cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.cacheNodeAdded(node.cacheNodeId, node.availabilityZone));
  }
  cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.cacheClusterCreated());
}

/** Forgets a member whose process is gone: record, tags, its place in the node group; AWS's deletion event. */
export function forgetMember(cp: ElastiCacheControlPlane, region: string, nodeGroup: NodeGroupRecord, cacheClusterId: string): void {
  const state = cp.regionState(region);
  delete state.cacheClusters[cacheClusterId];
  setTags(state, cp.arn(region, "cluster", cacheClusterId), []);
  nodeGroup.memberClusterIds = nodeGroup.memberClusterIds.filter((id) => id !== cacheClusterId);
  cp.emit(region, "cache-cluster", cacheClusterId, eventMessages.cacheClusterDeleted());
}
