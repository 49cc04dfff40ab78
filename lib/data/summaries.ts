import type { CacheCluster, ReplicationGroup, ServerlessCache } from "@/lib/aws/elasticache";
import {
  memcachedHealthSource,
  redisHealthSource,
  serverlessHealthSource,
  type HealthPlan,
} from "./health-metrics";
import type { ClusterSummary, ZoneCount } from "./model";

/** A summary before its health and tags are known. */
export type BareSummary = Omit<ClusterSummary, "health" | "tags">;

export function clusterHref(region: string, kind: ClusterSummary["kind"], id: string): string {
  const segment = kind === "serverless" ? "serverless" : "clusters";
  return `/${segment}/${encodeURIComponent(region)}/${encodeURIComponent(id)}`;
}

export function countZones(zones: (string | undefined)[]): ZoneCount[] {
  const counts = new Map<string, number>();
  for (const zone of zones) if (zone) counts.set(zone, (counts.get(zone) ?? 0) + 1);
  return [...counts].map(([zone, nodes]) => ({ zone, nodes })).sort((a, b) => a.zone.localeCompare(b.zone));
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** What a replication group is doing beyond its status word. */
export function replicationGroupActivity(group: ReplicationGroup, members: CacheCluster[]): string[] {
  const pending = group.PendingModifiedValues;
  const activity: string[] = [];
  if (pending?.PrimaryClusterId) activity.push(`Primary moving to ${pending.PrimaryClusterId}`);
  if (pending?.AutomaticFailoverStatus) activity.push(`Automatic failover being ${pending.AutomaticFailoverStatus}`);
  const progress = pending?.Resharding?.SlotMigration?.ProgressPercentage;
  if (progress !== undefined) activity.push(`Resharding: ${Math.round(progress)}% of slots moved`);
  for (const shard of group.NodeGroups ?? []) {
    if (shard.Status && shard.Status !== "available") activity.push(`Shard ${shard.NodeGroupId} ${shard.Status}`);
  }
  activity.push(
    ...unique(members.flatMap((m) => (m.PendingModifiedValues?.CacheNodeType ? [`Node type change to ${m.PendingModifiedValues.CacheNodeType} pending`] : []))),
    ...members.filter((m) => m.CacheClusterStatus && m.CacheClusterStatus !== "available").map((m) => `${m.CacheClusterId} ${m.CacheClusterStatus}`),
  );
  return activity;
}

function engineVersionOf(clusters: CacheCluster[]): string | null {
  const versions = unique(clusters.flatMap((c) => (c.EngineVersion ? [c.EngineVersion] : [])));
  return versions.length ? versions.join(" / ") : null;
}

export function summarizeReplicationGroup(group: ReplicationGroup, allClusters: CacheCluster[], region: string): { summary: BareSummary; plan: HealthPlan } {
  const id = group.ReplicationGroupId ?? "";
  const members = allClusters.filter((c) => c.ReplicationGroupId === id);
  const memberIds = group.MemberClusters?.length ? group.MemberClusters : members.map((m) => m.CacheClusterId ?? "");
  const shardMembers = (group.NodeGroups ?? []).map((g) => g.NodeGroupMembers ?? []);
  const zoneOf = (memberId: string) =>
    shardMembers.flat().find((m) => m.CacheClusterId === memberId)?.PreferredAvailabilityZone ??
    members.find((m) => m.CacheClusterId === memberId)?.PreferredAvailabilityZone;
  const shards = group.NodeGroups?.length ?? 1;
  return {
    summary: {
      kind: "replication-group",
      id,
      region,
      arn: group.ARN ?? null,
      engine: group.Engine ?? members[0]?.Engine ?? "redis",
      engineVersion: engineVersionOf(members),
      clusterMode: group.ClusterEnabled || group.ClusterMode === "enabled" ? "enabled" : "disabled",
      nodeType: group.CacheNodeType ?? members[0]?.CacheNodeType ?? null,
      shards,
      nodes: memberIds.length,
      zones: countZones(memberIds.map(zoneOf)),
      status: group.Status ?? "unknown",
      activity: replicationGroupActivity(group, members),
      reshardingPercent: group.PendingModifiedValues?.Resharding?.SlotMigration?.ProgressPercentage ?? null,
      href: clusterHref(region, "replication-group", id),
    },
    plan: { key: `rg:${id}`, sources: memberIds.map(redisHealthSource) },
  };
}

export function summarizeCacheCluster(cluster: CacheCluster, region: string): { summary: BareSummary; plan: HealthPlan } {
  const id = cluster.CacheClusterId ?? "";
  const memcached = cluster.Engine === "memcached";
  const nodes = cluster.CacheNodes ?? [];
  const nodeIds = nodes.length ? nodes.map((n) => n.CacheNodeId ?? "") : ["0001"];
  const zones = nodes.length
    ? nodes.map((n) => n.CustomerAvailabilityZone ?? cluster.PreferredAvailabilityZone)
    : [cluster.PreferredAvailabilityZone];
  return {
    summary: {
      kind: "cache-cluster",
      id,
      region,
      arn: cluster.ARN ?? null,
      engine: cluster.Engine ?? "redis",
      engineVersion: cluster.EngineVersion ?? null,
      clusterMode: memcached ? null : "disabled",
      nodeType: cluster.CacheNodeType ?? null,
      shards: memcached ? null : 1,
      nodes: cluster.NumCacheNodes ?? nodes.length,
      zones: countZones(zones.filter((z) => z !== "Multiple")),
      status: cluster.CacheClusterStatus ?? "unknown",
      activity: [
        ...(cluster.PendingModifiedValues?.CacheNodeType ? [`Node type change to ${cluster.PendingModifiedValues.CacheNodeType} pending`] : []),
        ...(cluster.PendingModifiedValues?.NumCacheNodes !== undefined ? [`Node count changing to ${cluster.PendingModifiedValues.NumCacheNodes}`] : []),
        ...nodes.filter((n) => n.CacheNodeStatus && n.CacheNodeStatus !== "available").map((n) => `Node ${n.CacheNodeId} ${n.CacheNodeStatus}`),
      ],
      reshardingPercent: null,
      href: clusterHref(region, "cache-cluster", id),
    },
    plan: {
      key: `cc:${id}`,
      sources: memcached ? nodeIds.map((n) => memcachedHealthSource(id, n)) : [redisHealthSource(id)],
    },
  };
}

const bytesPerGB = 1e9;

export function summarizeServerless(cache: ServerlessCache, region: string): { summary: BareSummary; plan: HealthPlan } {
  const name = cache.ServerlessCacheName ?? "";
  const limit = cache.CacheUsageLimits?.DataStorage?.Maximum;
  const unit = cache.CacheUsageLimits?.DataStorage?.Unit;
  return {
    summary: {
      kind: "serverless",
      id: name,
      region,
      arn: cache.ARN ?? null,
      engine: cache.Engine ?? "redis",
      engineVersion: cache.FullEngineVersion ?? cache.MajorEngineVersion ?? null,
      clusterMode: null,
      nodeType: null,
      shards: null,
      nodes: 0,
      zones: [],
      status: (cache.Status ?? "unknown").toLowerCase(),
      activity: [],
      reshardingPercent: null,
      href: clusterHref(region, "serverless", name),
    },
    plan: {
      key: `sl:${name}`,
      sources: [serverlessHealthSource(name)],
      memoryLimitBytes: limit && (!unit || unit === "GB") ? limit * bytesPerGB : undefined,
    },
  };
}
