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

export interface ObservedMember extends MemberFacts {
  /** Every node of the member cluster is available (false while one is being replaced). */
  nodesAvailable: boolean | null;
}

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
  /** Primary endpoint (cluster mode disabled) or configuration endpoint (enabled). */
  endpoint: Endpoint | null;
}

export interface ObserveOptions {
  /** Member clusters whose status to read (DescribeCacheClusters, one call each); others keep status null. */
  statusOf?: Iterable<string>;
}

function endpointOf(group: ReplicationGroup): Endpoint | null {
  const endpoint = group.ClusterEnabled ? group.ConfigurationEndpoint : group.NodeGroups?.[0]?.PrimaryEndpoint;
  return endpoint?.Address && endpoint.Port ? { host: endpoint.Address, port: endpoint.Port } : null;
}

function roleOf(role: string | undefined): MemberRole {
  return role === "primary" || role === "replica" ? role : "unknown";
}

export async function observeGroup(region: string, replicationGroupId: string, options: ObserveOptions = {}): Promise<ObservedGroup> {
  const [group] = await describeReplicationGroups(region, replicationGroupId);
  const wanted = new Set(options.statusOf ?? []);
  const clusters = new Map<string, CacheCluster>();
  await Promise.all(
    [...wanted].map(async (id) => {
      const [cluster] = await describeCacheClusters(region, { id }).catch(() => []);
      if (cluster) clusters.set(id, cluster);
    }),
  );
  const shards = (group.NodeGroups ?? []).map((ng) => ({
    id: ng.NodeGroupId ?? "",
    status: ng.Status ?? null,
    members: (ng.NodeGroupMembers ?? []).map((m): ObservedMember => {
      const cluster = clusters.get(m.CacheClusterId ?? "");
      return {
        cacheClusterId: m.CacheClusterId ?? "",
        availabilityZone: m.PreferredAvailabilityZone ?? null,
        role: roleOf(m.CurrentRole),
        status: cluster?.CacheClusterStatus ?? null,
        nodesAvailable: cluster ? (cluster.CacheNodes ?? []).every((n) => n.CacheNodeStatus === "available") : null,
        lagSeconds: null,
      };
    }),
  }));
  return { at: new Date().toISOString(), group, shards, clusterMode: Boolean(group.ClusterEnabled), endpoint: endpointOf(group) };
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

/**
 * Fills in each member's replication lag (latest ReplicationLag of the last minutes, Maximum) and, where AWS gives no
 * role, the role from IsMaster — in one GetMetricData call for the whole group.
 */
export async function withMetrics(region: string, observed: ObservedGroup, now = Date.now()): Promise<ObservedGroup> {
  const members = observed.shards.flatMap((s) => s.members);
  const requests = members.flatMap((m) =>
    ["ReplicationLag", "IsMaster"].map((metricName) => ({
      key: `${m.cacheClusterId}:${metricName}`,
      namespace: "AWS/ElastiCache",
      metricName,
      dimensions: { CacheClusterId: m.cacheClusterId, CacheNodeId: "0001" },
      stat: "Maximum",
      period: 60,
    })),
  );
  if (requests.length === 0) return observed;
  const series = await getMetricSeries(region, requests, { start: new Date(now - 5 * 60_000), end: new Date(now + 60_000) });
  const latest = (key: string) => series.get(key)?.values.at(-1) ?? null;
  return {
    ...observed,
    shards: observed.shards.map((s) => ({
      ...s,
      members: s.members.map((m) => {
        const isMaster = latest(`${m.cacheClusterId}:IsMaster`);
        const role: MemberRole = m.role !== "unknown" || isMaster === null ? m.role : isMaster >= 1 ? "primary" : "replica";
        return { ...m, role, lagSeconds: role === "primary" ? null : latest(`${m.cacheClusterId}:ReplicationLag`) };
      }),
    })),
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

/** The group's and its members' events since `since`, oldest first (two DescribeEvents calls). */
export async function groupEvents(region: string, replicationGroupId: string, members: Set<string>, since: Date, until: Date): Promise<ObservedEvent[]> {
  const [groupLevel, clusterLevel] = await Promise.all([
    describeEvents(region, { start: since, end: until, sourceType: "replication-group", sourceIdentifier: replicationGroupId }),
    describeEvents(region, { start: since, end: until, sourceType: "cache-cluster" }),
  ]);
  // DescribeEvents answers newest first; reversed, a stable sort keeps same-millisecond events in the order they came.
  return [...groupLevel.reverse(), ...clusterLevel.reverse().filter((e) => members.has(e.SourceIdentifier ?? ""))]
    .map((e) => ({
      date: (e.Date ? new Date(e.Date) : until).toISOString(),
      sourceType: String(e.SourceType ?? ""),
      sourceIdentifier: e.SourceIdentifier ?? "",
      message: e.Message ?? "",
    }))
    .sort((a, b) => a.date.localeCompare(b.date));
}
