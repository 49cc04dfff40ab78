import type { ElastiCacheControlPlane } from "../control-plane";
import type { CacheClusterRecord, CacheNodeRecord, NodeGroupRecord, ReplicationGroupRecord } from "../state/model";

/** One member of a shard: its cluster record, its (only) node, and whether its process runs now (a simulated node always does). */
export interface ShardMember {
  cluster: CacheClusterRecord;
  node: CacheNodeRecord;
  key: string;
  running: boolean;
}

export interface Shard {
  nodeGroup: NodeGroupRecord;
  members: ShardMember[];
  /** Undefined only while records are inconsistent (never after creation). */
  primary?: ShardMember;
  replicas: ShardMember[];
}

export function shardOf(cp: ElastiCacheControlPlane, region: string, nodeGroup: NodeGroupRecord): Shard {
  const state = cp.regionState(region);
  const members = nodeGroup.memberClusterIds.flatMap((id): ShardMember[] => {
    const cluster = state.cacheClusters[id];
    const node = cluster?.nodes[0];
    if (!node) return [];
    const key = cp.nodeKey(region, cluster.cacheClusterId, node.cacheNodeId);
    return [{ cluster, node, key, running: !node.exitedAt && (cluster.simulated === true || cp.isRunning(key)) }];
  });
  return {
    nodeGroup,
    members,
    primary: members.find((m) => m.node.role === "primary"),
    replicas: members.filter((m) => m.node.role === "replica"),
  };
}

export function shardsOf(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord): Shard[] {
  return rg.nodeGroups.map((ng) => shardOf(cp, region, ng));
}
