import "server-only";
import {
  describeCacheClusters,
  describeEvents,
  describeReplicationGroups,
  getMetricSeries,
  type CacheCluster,
  type ReplicationGroup,
} from "@/lib/aws";
import type { MemberFacts, MemberRole } from "@/lib/drills/checklist";
import type { NodeRef, Topology } from "@/lib/drills/model";

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
  group: ReplicationGroup;
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

function toEndpoint(endpoint: { Address?: string; Port?: number } | undefined): Endpoint | null {
  return endpoint?.Address && endpoint.Port ? { host: endpoint.Address, port: endpoint.Port } : null;
}

function roleOf(role: string | undefined): MemberRole {
  return role === "primary" || role === "replica" ? role : "unknown";
}

/** The member clusters as DescribeCacheClusters reports them (one call each); a cluster that cannot be read is left out. */
export async function memberClusters(region: string, ids: Iterable<string>): Promise<Map<string, CacheCluster>> {
  const clusters = new Map<string, CacheCluster>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      const [cluster] = await describeCacheClusters(region, { id }).catch(() => []);
      if (cluster) clusters.set(id, cluster);
    }),
  );
  return clusters;
}

/** Whether a member cluster and each of its nodes are available. */
export function clusterAvailable(cluster: CacheCluster | undefined): boolean {
  return cluster?.CacheClusterStatus === "available" && (cluster.CacheNodes ?? []).every((n) => n.CacheNodeStatus === "available");
}

/** "available" only when the cluster and every node are; otherwise what is not ("rebooting node", "modifying"). */
function memberStatus(cluster: CacheCluster): string {
  if (clusterAvailable(cluster)) return "available";
  const node = (cluster.CacheNodes ?? []).find((n) => n.CacheNodeStatus !== "available");
  return cluster.CacheClusterStatus !== "available" ? (cluster.CacheClusterStatus ?? "unknown") : `${node?.CacheNodeStatus ?? "unknown"} node`;
}

export async function observeGroup(region: string, replicationGroupId: string, options: ObserveOptions = {}): Promise<ObservedGroup> {
  const [group] = await describeReplicationGroups(region, replicationGroupId);
  const clusters = await memberClusters(region, options.statusOf ?? []);
  const shards = (group.NodeGroups ?? []).map((ng) => ({
    id: ng.NodeGroupId ?? "",
    status: ng.Status ?? null,
    members: (ng.NodeGroupMembers ?? []).map((m): ObservedMember => {
      const cluster = clusters.get(m.CacheClusterId ?? "");
      return {
        cacheClusterId: m.CacheClusterId ?? "",
        availabilityZone: m.PreferredAvailabilityZone ?? null,
        role: roleOf(m.CurrentRole),
        status: cluster ? memberStatus(cluster) : null,
        lagSeconds: null,
      };
    }),
  }));
  const nodes = group.ClusterEnabled ? [...clusters.values()].flatMap((c) => (c.CacheNodes ?? []).map((n) => toEndpoint(n.Endpoint))) : [];
  const endpoints = [toEndpoint(group.ClusterEnabled ? group.ConfigurationEndpoint : group.NodeGroups?.[0]?.PrimaryEndpoint), ...nodes].filter((e): e is Endpoint => e !== null);
  return { at: new Date().toISOString(), group, shards, clusterMode: Boolean(group.ClusterEnabled), endpoints };
}

export function memberIds(observed: ObservedGroup, shards?: string[]): string[] {
  return observed.shards.filter((s) => !shards || shards.includes(s.id)).flatMap((s) => s.members.map((m) => m.cacheClusterId));
}

/** Names of the changes under way that PendingModifiedValues lists (node type, resharding, …). */
export function pendingChanges(group: ReplicationGroup): string[] {
  return Object.entries(group.PendingModifiedValues ?? {})
    .filter(([, value]) => value !== undefined && value !== null && !(typeof value === "object" && Object.keys(value).length === 0))
    .map(([name]) => name);
}

/** Metric queries for the roles and lag: IsMaster at 10 s where CloudWatch has it (high resolution) and at 60 s. */
const metricQueries = [
  { name: "ReplicationLag", suffix: "lag", period: 60 },
  { name: "IsMaster", suffix: "master10", period: 10 },
  { name: "IsMaster", suffix: "master60", period: 60 },
] as const;

/** A role only when exactly one member of the shard is the primary; a failover inside the window leaves it open. */
function rolesFromMetrics(members: ObservedMember[], isMaster: (id: string) => number | null): MemberRole[] {
  if (members.some((m) => m.role !== "unknown")) return members.map((m) => m.role);
  const readings = members.map((m) => isMaster(m.cacheClusterId));
  if (readings.some((r) => r === null) || readings.filter((r) => r === 1).length !== 1) return members.map(() => "unknown");
  return readings.map((r) => (r === 1 ? "primary" : "replica"));
}

/**
 * Fills in each member's replication lag (latest ReplicationLag of the last minutes, Maximum) and, where AWS gives no
 * role (cluster mode enabled), the role from the latest IsMaster — in one GetMetricData call for the whole group.
 */
export async function withMetrics(region: string, observed: ObservedGroup, now = Date.now()): Promise<ObservedGroup> {
  const members = observed.shards.flatMap((s) => s.members);
  const requests = members.flatMap((m) =>
    metricQueries.map((q) => ({
      key: `${m.cacheClusterId}:${q.suffix}`,
      namespace: "AWS/ElastiCache",
      metricName: q.name,
      dimensions: { CacheClusterId: m.cacheClusterId, CacheNodeId: "0001" },
      stat: q.name === "IsMaster" ? "Minimum" : "Maximum",
      period: q.period,
    })),
  );
  if (requests.length === 0) return observed;
  const series = await getMetricSeries(region, requests, { start: new Date(now - 5 * 60_000), end: new Date(now + 60_000) });
  const latest = (key: string) => series.get(key)?.values.at(-1) ?? null;
  const isMaster = (id: string) => latest(`${id}:master10`) ?? latest(`${id}:master60`);
  return {
    ...observed,
    shards: observed.shards.map((s) => {
      const roles = rolesFromMetrics(s.members, isMaster);
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
export async function groupEvents(region: string, replicationGroupId: string, members: Set<string>, since: Date, until: Date): Promise<ObservedEvent[]> {
  const events = await describeEvents(region, { start: since, end: until });
  // DescribeEvents answers newest first; reversed, the order of same-millisecond events is kept.
  return events
    .reverse()
    .filter((e) => e.SourceIdentifier === replicationGroupId || members.has(e.SourceIdentifier ?? ""))
    .map((e) => ({
      date: (e.Date ? new Date(e.Date) : until).toISOString(),
      sourceType: String(e.SourceType ?? ""),
      sourceIdentifier: e.SourceIdentifier ?? "",
      message: e.Message ?? "",
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
