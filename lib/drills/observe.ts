import "server-only";
import {
  describeCacheClusters,
  describeEvents,
  describeReplicationGroups,
  getMetricSeries,
  memberRoles,
  shardNodes,
  withMembers,
  type Cache,
  type Endpoint as CacheEndpoint,
} from "@/lib/aws";
import { redisNodeMetrics } from "@/lib/data/node-metrics";
import type { MemberFacts, MemberRole } from "@/lib/drills/checklist";
import type { NodeRef, Topology } from "@/lib/drills/model";
import type { Place } from "@/lib/place";

// What the runner and the pre-flight read from AWS about one replication group: DescribeReplicationGroups for shards,
// members and (cluster mode disabled) roles; DescribeCacheClusters for member statuses; CloudWatch for replication
// lag and, where AWS reports no roles (cluster mode enabled), IsMaster; DescribeEvents for the group's events.

export type ObservedMember = MemberFacts;

export interface ObservedShard {
  id: string;
  status: string | null;
  members: ObservedMember[];
}

export interface Endpoint {
  host: string;
  port: number;
}

export interface ObservedGroup {
  at: string;
  group: Cache;
  shards: ObservedShard[];
  clusterMode: boolean;
  /**
   * Where a client connects: the primary endpoint (cluster mode disabled), or the configuration endpoint followed by
   * every node read (cluster mode enabled), so a cluster client still finds the cluster when one node is down.
   */
  endpoints: Endpoint[];
}

export interface ObserveOptions {
  /** Member clusters whose status to read (DescribeCacheClusters, one call each); others keep status null. */
  statusOf?: Iterable<string>;
}

function toEndpoint(endpoint: CacheEndpoint | null): Endpoint | null {
  return endpoint?.port ? { host: endpoint.host, port: endpoint.port } : null;
}

function memberRole(role: string): MemberRole {
  return role === "primary" || role === "replica" ? role : "unknown";
}

/** The member clusters as DescribeCacheClusters reports them (one call each); a cluster that cannot be read is left out. */
export async function memberClusters(place: Place, ids: Iterable<string>): Promise<Map<string, Cache>> {
  const clusters = new Map<string, Cache>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const [cluster] = await describeCacheClusters(place, { id }).catch(() => []);
      if (cluster) clusters.set(id, cluster);
    }),
  );
  return clusters;
}

/** Whether a member cluster and each of its nodes are available. */
export function clusterAvailable(cluster: Cache | undefined): boolean {
  return cluster?.status === "available" && cluster.nodes.every((n) => n.status === "available");
}

export async function observeGroup(place: Place, replicationGroupId: string, options: ObserveOptions = {}): Promise<ObservedGroup> {
  const [described] = await describeReplicationGroups(place, replicationGroupId);
  const clusters = await memberClusters(place, options.statusOf ?? []);
  const group = withMembers(described, [...clusters.values()]);
  const shards = group.shards.map((shard) => ({
    id: shard.id,
    status: shard.status,
    members: shardNodes(group, shard.id).map((n): ObservedMember => ({
      cacheClusterId: n.cacheClusterId,
      availabilityZone: n.zone,
      role: memberRole(n.role),
      status: n.status,
      lagSeconds: null,
    })),
  }));
  const nodes = group.clusterMode ? [...clusters.values()].flatMap((c) => c.nodes.map((n) => toEndpoint(n.endpoint))) : [];
  const endpoints = [toEndpoint(group.clusterMode ? group.configurationEndpoint : (group.shards[0]?.primaryEndpoint ?? null)), ...nodes].filter((e): e is Endpoint => e !== null);
  return { at: new Date().toISOString(), group, shards, clusterMode: group.clusterMode, endpoints };
}

export function memberIds(observed: ObservedGroup, shards?: string[]): string[] {
  return observed.shards.filter((s) => !shards || shards.includes(s.id)).flatMap((s) => s.members.map((m) => m.cacheClusterId));
}

/** Metric queries for the roles and lag: IsMaster at 10 s where CloudWatch has it (high resolution) and at 60 s. */
const metricQueries = [
  { name: redisNodeMetrics.lag.name, suffix: "lag", period: 60 },
  { name: redisNodeMetrics.isMaster.name, suffix: "master10", period: 10 },
  { name: redisNodeMetrics.isMaster.name, suffix: "master60", period: 60 },
] as const;

/**
 * Fills in each member's replication lag (latest ReplicationLag of the last minutes, Maximum) and, where AWS gives no
 * role (cluster mode enabled), the role from the latest IsMaster — in one GetMetricData call for the whole group.
 */
export async function withMetrics(place: Place, observed: ObservedGroup, now = Date.now()): Promise<ObservedGroup> {
  const members = observed.shards.flatMap((s) => s.members);
  const requests = members.flatMap((m) =>
    metricQueries.map((q) => ({
      key: `${m.cacheClusterId}:${q.suffix}`,
      namespace: "AWS/ElastiCache",
      metricName: q.name,
      dimensions: { CacheClusterId: m.cacheClusterId, CacheNodeId: "0001" },
      stat: q.name === redisNodeMetrics.isMaster.name ? "Minimum" : "Maximum",
      period: q.period,
    })),
  );
  if (requests.length === 0) return observed;
  const series = await getMetricSeries(place, requests, { start: new Date(now - 5 * 60_000), end: new Date(now + 60_000) });
  const latest = (key: string) => series.get(key)?.values.at(-1) ?? null;
  const point = (key: string) => {
    const found = series.get(key);
    return found?.values.length ? { at: found.timestamps.at(-1)!, value: found.values.at(-1)! } : null;
  };
  const isMaster = (id: string) => point(`${id}:master10`) ?? point(`${id}:master60`);
  return {
    ...observed,
    shards: observed.shards.map((s) => {
      const roles = observed.clusterMode ? memberRoles(true, s.members.map((m) => m.cacheClusterId), { isMaster }).map(memberRole) : s.members.map((m) => m.role);
      return {
        ...s,
        members: s.members.map((m, i) => ({ ...m, role: roles[i], lagSeconds: roles[i] === "primary" ? null : latest(`${m.cacheClusterId}:lag`) })),
      };
    }),
  };
}

export function nodeRef(member: { cacheClusterId: string; availabilityZone: string | null }): NodeRef {
  return { cacheClusterId: member.cacheClusterId, availabilityZone: member.availabilityZone };
}

export function topologyOf(observed: ObservedGroup): Topology {
  return {
    capturedAt: observed.at,
    shards: observed.shards.map((s) => {
      const primary = s.members.find((m) => m.role === "primary");
      return { id: s.id, primary: primary ? nodeRef(primary) : null, replicas: s.members.filter((m) => m !== primary).map(nodeRef) };
    }),
  };
}

export interface ObservedEvent {
  date: string;
  sourceType: string;
  sourceIdentifier: string;
  message: string;
}

/** The events of the group and its members since `since`, oldest first (one DescribeEvents call, filtered here). */
export async function groupEvents(place: Place, replicationGroupId: string, members: Set<string>, since: Date, until: Date): Promise<ObservedEvent[]> {
  const events = await describeEvents(place, { start: since, end: until });
  // DescribeEvents answers newest first; reversed, the order of same-millisecond events is kept.
  return events
    .reverse()
    .filter((e) => e.sourceId === replicationGroupId || members.has(e.sourceId))
    .map((e) => ({
      date: new Date(e.at || until.getTime()).toISOString(),
      sourceType: e.sourceType,
      sourceIdentifier: e.sourceId,
      message: e.message,
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
