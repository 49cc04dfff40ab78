import type { Cache } from "@/lib/aws/model";
import { placeSegment, type Place } from "@/lib/place";
import {
  memcachedHealthSource,
  redisHealthSource,
  serverlessHealthSource,
  type HealthPlan,
} from "./health-metrics";
import { postureOf } from "@/lib/posture/posture";
import type { ClusterSummary, ZoneCount } from "./model";

/** A summary before its health and tags are known. */
export type BareSummary = Omit<ClusterSummary, "health" | "tags" | "alarms">;

export function clusterHref(place: Place, kind: ClusterSummary["kind"], id: string): string {
  const segment = kind === "serverless" ? "serverless" : "clusters";
  return `/${segment}/${encodeURIComponent(placeSegment(place))}/${encodeURIComponent(id)}`;
}

export function countZones(zones: (string | undefined)[]): ZoneCount[] {
  const counts = new Map<string, number>();
  for (const zone of zones) if (zone) counts.set(zone, (counts.get(zone) ?? 0) + 1);
  return [...counts].map(([zone, nodes]) => ({ zone, nodes })).sort((a, b) => a.zone.localeCompare(b.zone));
}

/** What a cache is doing beyond its status word: pending changes, shards and nodes that are not available. */
export function activityOf(cache: Cache): string[] {
  const { pending } = cache;
  const activity: string[] = [];
  if (pending.primaryClusterId) activity.push(`Primary moving to ${pending.primaryClusterId}`);
  if (pending.automaticFailoverStatus) activity.push(`Automatic failover being ${pending.automaticFailoverStatus}`);
  if (pending.reshardingPercent !== null) activity.push(`Resharding: ${Math.round(pending.reshardingPercent)}% of slots moved`);
  for (const shard of cache.shards) if (shard.status !== "available") activity.push(`Shard ${shard.id} ${shard.status}`);
  activity.push(...pending.nodeTypes.map((type) => `Node type change to ${type} pending`));
  activity.push(...(pending.engineVersions ?? []).map((version) => `Engine upgrade to ${version} under way`));
  if (pending.nodeCount !== null) activity.push(`Node count changing to ${pending.nodeCount}`);
  // A group names its busy members; a cache cluster its busy nodes, unless the status word already says it.
  const busy = cache.nodes.filter((n) => n.status !== null && n.status !== "available");
  if (cache.kind === "replication-group") activity.push(...busy.map((n) => `${n.cacheClusterId} ${n.status}`));
  else activity.push(...busy.filter((n) => n.status !== cache.status).map((n) => `Node ${n.nodeId} ${n.status}`));
  return activity;
}

/** A replication group (with its members joined) or a standalone cache cluster as a fleet row. */
export function summarizeNodeCache(cache: Cache, place: Place, today = new Date()): { summary: BareSummary; plan: HealthPlan } {
  const memcached = cache.engine === "memcached";
  const group = cache.kind === "replication-group";
  const zones = cache.nodes.length ? cache.nodes.map((n) => n.zone ?? undefined) : [cache.preferredZone ?? undefined];
  const nodeIds = cache.nodes.length ? cache.nodes.map((n) => n.nodeId) : ["0001"];
  return {
    summary: {
      kind: cache.kind,
      id: cache.id,
      account: place.account,
      region: place.region,
      arn: cache.arn,
      engine: cache.engine,
      engineVersion: cache.engineVersion,
      clusterMode: memcached ? null : cache.clusterMode ? "enabled" : "disabled",
      nodeType: cache.nodeType,
      shards: memcached ? null : group ? Math.max(cache.shards.length, 1) : 1,
      nodes: cache.nodeCount,
      zones: countZones(zones.filter((z) => z !== "Multiple")),
      status: cache.status,
      activity: activityOf(cache),
      reshardingPercent: cache.pending.reshardingPercent,
      posture: postureOf(cache, today),
      href: clusterHref(place, cache.kind, cache.id),
    },
    plan: {
      key: `${group ? "rg" : "cc"}:${cache.id}`,
      sources: group
        ? cache.nodes.map((n) => redisHealthSource(n.cacheClusterId))
        : memcached
          ? nodeIds.map((n) => memcachedHealthSource(cache.id, n))
          : [redisHealthSource(cache.id)],
    },
  };
}

const bytesPerGB = 1e9;

export function summarizeServerless(cache: Cache, place: Place, today = new Date()): { summary: BareSummary; plan: HealthPlan } {
  const storage = cache.usageLimits?.dataStorage;
  return {
    summary: {
      kind: "serverless",
      id: cache.id,
      account: place.account,
      region: place.region,
      arn: cache.arn,
      engine: cache.engine,
      engineVersion: cache.engineVersion,
      clusterMode: null,
      nodeType: null,
      shards: null,
      nodes: 0,
      zones: [],
      status: cache.status,
      activity: [],
      reshardingPercent: null,
      posture: postureOf(cache, today),
      href: clusterHref(place, "serverless", cache.id),
    },
    plan: {
      key: `sl:${cache.id}`,
      sources: [serverlessHealthSource(cache.id)],
      memoryLimitBytes: storage && storage.unit === "GB" ? storage.maximum * bytesPerGB : undefined,
    },
  };
}
