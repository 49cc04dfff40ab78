import type { ElastiCacheControlPlane } from "../control-plane";
import type { CacheClusterRecord, NodeGroupRecord, RegionState, ReplicationGroupRecord, ServerlessCacheRecord, Tag } from "../state/model";
import type { Shard } from "../workflows/shards";
import { cacheClusterNotFound, fault, invalidValue, replicationGroupNotFound, serverlessCacheNotFound } from "./errors";

// Lookups and quota checks shared by operations (this and later ones such as TestFailover and scaling).
// Ids come from requests: own-property checks, so `constructor` is "not found" rather than Object's constructor.

export function requireReplicationGroup(state: RegionState, id: string): ReplicationGroupRecord {
  const rg = Object.hasOwn(state.replicationGroups, id) ? state.replicationGroups[id] : undefined;
  if (!rg) throw replicationGroupNotFound(id);
  return rg;
}

export function requireCacheCluster(state: RegionState, id: string): CacheClusterRecord {
  const cluster = Object.hasOwn(state.cacheClusters, id) ? state.cacheClusters[id] : undefined;
  if (!cluster) throw cacheClusterNotFound(id);
  return cluster;
}

export function requireServerlessCache(state: RegionState, name: string): ServerlessCacheRecord {
  const cache = Object.hasOwn(state.serverlessCaches, name) ? state.serverlessCaches[name] : undefined;
  if (!cache) throw serverlessCacheNotFound(name);
  return cache;
}

export const MAX_TAGS_PER_RESOURCE = 50;

/** `quota` is the control plane's settings.nodeQuotaPerRegion (AWS's default 300, raised for a scale fleet). */
export function checkNodeQuota(state: RegionState, adding: number, quota: number): void {
  const current = Object.values(state.cacheClusters).reduce((sum, c) => sum + c.nodes.length, 0);
  if (current + adding > quota) {
    throw fault(
      "NodeQuotaForCustomerExceededFault",
      `This request would bring the region to ${current + adding} cache nodes; the quota is ${quota}`,
    );
  }
}

/** `existing` with `tags` merged in (same key: new value), validated against AWS's rules and quota. */
export function mergeTags(arn: string, existing: Tag[], tags: Tag[]): Tag[] {
  const merged = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of tags) {
    if (t.Key.length < 1 || t.Key.length > 128 || t.Key.startsWith("aws:")) {
      throw invalidValue(`Invalid tag key "${t.Key}": keys have 1 to 128 characters and cannot start with aws:`);
    }
    if (t.Value.length > 256) throw invalidValue(`Invalid value for tag ${t.Key}: values have at most 256 characters`);
    merged.set(t.Key, t.Value);
  }
  if (merged.size > MAX_TAGS_PER_RESOURCE) {
    throw fault("TagQuotaPerResourceExceeded", `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; this request would give ${arn} ${merged.size}`);
  }
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

/** A replication group that may be changed now: AWS refuses every change to a group that is not `available`. */
export function requireAvailableGroup(state: RegionState, id: string, change: string): ReplicationGroupRecord {
  const rg = requireReplicationGroup(state, id);
  if (rg.status !== "available") {
    throw fault(
      "InvalidReplicationGroupStateFault",
      `Replication group ${rg.replicationGroupId} has status ${rg.status}; it can be ${change} only when it is available.`,
    );
  }
  return rg;
}

export function requireNodeGroup(rg: ReplicationGroupRecord, nodeGroupId: string): NodeGroupRecord {
  const id = nodeGroupId.padStart(4, "0");
  const nodeGroup = rg.nodeGroups.find((ng) => ng.nodeGroupId === id);
  if (!nodeGroup) {
    throw fault(
      "NodeGroupNotFoundFault",
      `Node group ${nodeGroupId} not found in replication group ${rg.replicationGroupId}; its node groups are ${rg.nodeGroups.map((ng) => ng.nodeGroupId).join(", ")}.`,
    );
  }
  return nodeGroup;
}

/** Changes that re-point nodes wait for every member to run (one being replaced after a fault is not available). */
export function requireRunningMembers(shards: Shard[]): void {
  const down = shards.flatMap((s) => s.members).find((m) => !m.running);
  if (down) throw fault("InvalidCacheClusterStateFault", `Cache cluster ${down.cluster.cacheClusterId} is not available: its node is being recovered.`);
}

/** New nodes cannot start in a zone without power (a fault): AWS answers InsufficientCacheClusterCapacity. */
export function requireZonesPowered(cp: ElastiCacheControlPlane, region: string, zones: string[], cacheNodeType: string): void {
  const dark = zones.find((zone) => !cp.zonePower.isPowered(region, zone));
  if (dark) {
    throw fault("InsufficientCacheClusterCapacityFault", `There is not enough capacity of cache node type ${cacheNodeType} in Availability Zone ${dark}; try another zone or later.`);
  }
}
