import { evenSlotRanges } from "@/emulator/nodes/redis-cluster";
import { availabilityZones, isAvailabilityZoneOf } from "../state/zones";
import { fault, invalidCombination, invalidValue } from "./errors";

// Turns CreateReplicationGroup's many ways of saying "how many nodes where" into one layout: shards, their member
// clusters (named as AWS names them), roles and zones. Pure, so every rule is unit-tested without processes.

export const MAX_REPLICAS_PER_SHARD = 5;
export const MAX_NODES_PER_CLUSTER_MODE_GROUP = 90;
export const MAX_SHARDS = 500;

export interface PlannedMember {
  cacheClusterId: string;
  role: "primary" | "replica";
  availabilityZone: string;
}

export interface PlannedShard {
  nodeGroupId: string;
  /** Cluster mode enabled only: comma-separated inclusive ranges, e.g. "0-5460". */
  slots?: string;
  members: PlannedMember[];
}

export interface ShardConfiguration {
  NodeGroupId?: string;
  Slots?: string;
  ReplicaCount?: number;
  PrimaryAvailabilityZone?: string;
  ReplicaAvailabilityZones?: string[];
}

export interface LayoutRequest {
  region: string;
  replicationGroupId: string;
  numCacheClusters?: number;
  preferredCacheClusterAZs?: string[];
  numNodeGroups?: number;
  replicasPerNodeGroup?: number;
  nodeGroupConfiguration?: ShardConfiguration[];
}

/** Cluster mode is on when asked for explicitly, implied by a cluster parameter group, or by more than one shard. */
export function wantsClusterMode(request: LayoutRequest, clusterMode?: string, clusterParameterGroup = false): boolean {
  if (clusterMode === "enabled") return true;
  if (clusterParameterGroup) return true;
  return (request.numNodeGroups ?? 1) > 1 || (request.nodeGroupConfiguration?.length ?? 0) > 1;
}

const memberId = (rg: string, index: number) => `${rg}-${String(index + 1).padStart(3, "0")}`;
export const formatNodeGroupId = (n: number) => String(n).padStart(4, "0");

function checkZone(region: string, zone: string): string {
  if (!isAvailabilityZoneOf(region, zone)) {
    throw invalidValue(`Invalid availability zone ${zone} for region ${region}; valid zones: ${availabilityZones(region).join(", ")}`);
  }
  return zone;
}

export function planClusterModeDisabled(request: LayoutRequest): PlannedShard {
  const { region, replicationGroupId: rg } = request;
  const shard = request.nodeGroupConfiguration?.[0];
  if ((request.numNodeGroups ?? 1) !== 1) throw invalidCombination("NumNodeGroups must be 1 when cluster mode is disabled");
  if (request.numCacheClusters !== undefined && (request.replicasPerNodeGroup !== undefined || shard?.ReplicaCount !== undefined)) {
    throw invalidCombination("Specify either NumCacheClusters or ReplicasPerNodeGroup / NodeGroupConfiguration.ReplicaCount, not both");
  }
  const count =
    request.numCacheClusters ??
    (shard?.ReplicaCount ?? request.replicasPerNodeGroup ?? (request.preferredCacheClusterAZs?.length ?? 1) - 1) + 1;
  if (count < 1 || count > MAX_REPLICAS_PER_SHARD + 1) {
    throw invalidValue(`NumCacheClusters must be between 1 and ${MAX_REPLICAS_PER_SHARD + 1} (one primary and up to ${MAX_REPLICAS_PER_SHARD} replicas); got ${count}`);
  }
  const zones = availabilityZones(region);
  let chosen: string[];
  if (request.preferredCacheClusterAZs) {
    if (request.preferredCacheClusterAZs.length !== count) {
      throw invalidCombination(`PreferredCacheClusterAZs lists ${request.preferredCacheClusterAZs.length} zones but the group has ${count} cache clusters; the numbers must match`);
    }
    chosen = request.preferredCacheClusterAZs;
  } else if (shard?.PrimaryAvailabilityZone || shard?.ReplicaAvailabilityZones) {
    chosen = shardZones(shard, 0, count - 1, zones);
  } else {
    chosen = Array.from({ length: count }, (_, i) => zones[i % zones.length]);
  }
  return {
    nodeGroupId: "0001",
    members: chosen.map((zone, i) => ({
      cacheClusterId: memberId(rg, i),
      role: i === 0 ? "primary" : "replica",
      availabilityZone: checkZone(region, zone),
    })),
  };
}

function shardZones(shard: ShardConfiguration | undefined, shardIndex: number, replicas: number, zones: string[]): string[] {
  const primary = shard?.PrimaryAvailabilityZone ?? zones[shardIndex % zones.length];
  const replicaZones = shard?.ReplicaAvailabilityZones;
  if (replicaZones && replicaZones.length !== replicas) {
    throw invalidValue(`ReplicaAvailabilityZones lists ${replicaZones.length} zones for ${replicas} replicas; the numbers must match`);
  }
  return [primary, ...(replicaZones ?? Array.from({ length: replicas }, (_, j) => zones[(shardIndex + j + 1) % zones.length]))];
}

export function planClusterModeEnabled(request: LayoutRequest): PlannedShard[] {
  const { region, replicationGroupId: rg, nodeGroupConfiguration: config } = request;
  if (request.numCacheClusters !== undefined || request.preferredCacheClusterAZs !== undefined) {
    throw invalidCombination("NumCacheClusters and PreferredCacheClusterAZs apply to cluster mode disabled; use NumNodeGroups, ReplicasPerNodeGroup or NodeGroupConfiguration");
  }
  const shardCount = request.numNodeGroups ?? config?.length ?? 1;
  if (config && config.length !== shardCount) {
    throw invalidCombination(`NodeGroupConfiguration has ${config.length} entries but NumNodeGroups is ${shardCount}; the numbers must match`);
  }
  if (shardCount < 1) throw invalidValue("NumNodeGroups must be at least 1");
  if (shardCount > MAX_SHARDS) {
    throw fault("NodeGroupsPerReplicationGroupQuotaExceededFault", `A replication group can have at most ${MAX_SHARDS} node groups`);
  }
  const replicaCounts = Array.from({ length: shardCount }, (_, s) => config?.[s]?.ReplicaCount ?? request.replicasPerNodeGroup ?? 0);
  for (const count of replicaCounts) {
    if (count < 0 || count > MAX_REPLICAS_PER_SHARD) {
      throw invalidValue(`ReplicasPerNodeGroup must be between 0 and ${MAX_REPLICAS_PER_SHARD}; got ${count}`);
    }
  }
  const nodes = replicaCounts.reduce((sum, r) => sum + r + 1, 0);
  if (nodes > MAX_NODES_PER_CLUSTER_MODE_GROUP) {
    throw fault("NodeQuotaForClusterExceededFault", `The group would have ${nodes} nodes; the quota is ${MAX_NODES_PER_CLUSTER_MODE_GROUP} nodes per cluster`);
  }
  const ids = nodeGroupIds(config, shardCount);
  const slots = shardSlots(config, shardCount);
  const zones = availabilityZones(region);
  return ids.map((nodeGroupId, s) => ({
    nodeGroupId,
    slots: slots[s],
    members: shardZones(config?.[s], s, replicaCounts[s], zones).map((zone, m) => ({
      cacheClusterId: `${rg}-${nodeGroupId}-${String(m + 1).padStart(3, "0")}`,
      role: m === 0 ? "primary" : "replica",
      availabilityZone: checkZone(region, zone),
    })),
  }));
}

function nodeGroupIds(config: ShardConfiguration[] | undefined, count: number): string[] {
  const given = config?.map((c) => c.NodeGroupId) ?? [];
  if (given.every((id) => id === undefined)) return Array.from({ length: count }, (_, i) => formatNodeGroupId(i + 1));
  if (given.some((id) => id === undefined || !/^\d{1,4}$/.test(id))) {
    throw invalidValue("NodeGroupId must be given for every node group or none, as 1 to 4 digits (e.g. 0001)");
  }
  const ids = given.map((id) => formatNodeGroupId(Number(id)));
  if (new Set(ids).size !== ids.length) throw invalidValue(`NodeGroupId values must be unique: ${ids.join(", ")}`);
  return ids;
}

/**
 * Slots are spread evenly over the shards, as AWS does by default. NodeGroupConfiguration.Slots is accepted when it
 * names that same split (AWS's console sends it); other splits are refused rather than silently changed.
 */
function shardSlots(config: ShardConfiguration[] | undefined, count: number): string[] {
  const even = evenSlotRanges(count).map((r) => `${r.start}-${r.end}`);
  config?.forEach((shard, i) => {
    if (shard.Slots !== undefined && shard.Slots.replace(/\s/g, "") !== even[i]) {
      throw invalidValue(`Invalid Slots "${shard.Slots}" for node group ${i + 1}: the emulator spreads slots evenly (${even.join(", ")})`);
    }
  });
  return even;
}
