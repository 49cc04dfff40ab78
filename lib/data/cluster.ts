import "server-only";
import {
  describeCacheClusters,
  describeReplicationGroups,
  type CacheCluster,
  type ReplicationGroup,
} from "@/lib/aws";
import { markHotShards, memcachedCharts, redisCharts, shardFigures, shardOpsChart } from "./cluster-charts";
import { healthRequests } from "./health-metrics";
import type { ClusterDetail, NodeView } from "./model";
import { memcachedNodeMetrics, nodeRequests, nodeValues, redisNodeMetrics, type ReadNodeMetric } from "./node-metrics";
import { latest, latestCount, timeGrid } from "./series";
import { address, loadExtras, orNull, withHealth } from "./cluster-extras";
import { summarizeCacheCluster, summarizeReplicationGroup } from "./summaries";
import { healthWindow, type TimeWindow } from "./time-range";

function memberStatus(member: CacheCluster | undefined): string {
  const node = member?.CacheNodes?.[0];
  if (node?.CacheNodeStatus && node.CacheNodeStatus !== "available") return node.CacheNodeStatus;
  return member?.CacheClusterStatus ?? "unknown";
}

function groupNodes(group: ReplicationGroup, members: CacheCluster[]): NodeView[] {
  const listed = (group.NodeGroups ?? []).flatMap((shard) =>
    (shard.NodeGroupMembers ?? []).map((m) => ({ shard: shard.NodeGroupId ?? null, member: m })),
  );
  const ids = listed.length ? listed.map((l) => l.member.CacheClusterId ?? "") : group.MemberClusters ?? [];
  return ids.map((id) => {
    const entry = listed.find((l) => l.member.CacheClusterId === id);
    const cluster = members.find((c) => c.CacheClusterId === id);
    const role = entry?.member.CurrentRole;
    return {
      name: id,
      cacheClusterId: id,
      nodeId: entry?.member.CacheNodeId ?? cluster?.CacheNodes?.[0]?.CacheNodeId ?? "0001",
      shardId: entry?.shard ?? null,
      role: role === "primary" || role === "replica" ? role : "unknown",
      status: memberStatus(cluster),
      zone: entry?.member.PreferredAvailabilityZone ?? cluster?.PreferredAvailabilityZone ?? null,
      endpoint: address(entry?.member.ReadEndpoint) ?? address(cluster?.CacheNodes?.[0]?.Endpoint),
      lag: null, memory: null, cpu: null, items: null, connections: null,
    };
  });
}

/** Latest figures on each card; roles the API leaves out (cluster mode) come from the IsMaster metric. */
function withLatest(nodes: NodeView[], read: ReadNodeMetric): NodeView[] {
  return nodes.map((n) => {
    const isMaster = latest(read(n, "isMaster"));
    const role = n.role !== "unknown" ? n.role : isMaster === null ? "unknown" : isMaster >= 0.5 ? "primary" : "replica";
    return {
      ...n,
      role,
      lag: role === "replica" ? latest(read(n, "lag")) : null,
      memory: latest(read(n, "memory")),
      cpu: latest(read(n, "cpu")),
      items: latestCount(read(n, "items")),
      connections: latestCount(read(n, "connections")),
    };
  });
}

function endpointsOf(group: ReplicationGroup): ClusterDetail["endpoints"] {
  const endpoints: ClusterDetail["endpoints"] = [];
  const config = address(group.ConfigurationEndpoint);
  if (config) endpoints.push({ label: "Configuration endpoint", address: config });
  for (const shard of group.NodeGroups ?? []) {
    const multi = (group.NodeGroups?.length ?? 0) > 1 ? ` (shard ${shard.NodeGroupId})` : "";
    const primary = address(shard.PrimaryEndpoint);
    const reader = address(shard.ReaderEndpoint);
    if (primary) endpoints.push({ label: `Primary endpoint${multi}`, address: primary });
    if (reader) endpoints.push({ label: `Reader endpoint${multi}`, address: reader });
  }
  return endpoints;
}

async function replicationGroupDetail(region: string, group: ReplicationGroup, window: TimeWindow, focus: string | null): Promise<ClusterDetail> {
  const allClusters = await describeCacheClusters(region);
  const { summary, plan } = summarizeReplicationGroup(group, allClusters, region);
  const members = allClusters.filter((c) => c.ReplicationGroupId === summary.id);
  const baseNodes = groupNodes(group, members);
  const judged = healthWindow(window, Date.now());
  const requests = [...nodeRequests(baseNodes, redisNodeMetrics, window.period), ...healthRequests([plan], judged.period)];
  const extras = await loadExtras(region, summary.arn, requests, window, new Set([summary.id, ...baseNodes.map((n) => n.cacheClusterId)]));
  const grid = timeGrid(window.start, window.end, window.period);
  const read = nodeValues(extras.series, grid);
  const nodes = withLatest(baseNodes, read);
  const shards = markHotShards(
    (group.NodeGroups ?? []).map((g) =>
      shardFigures({
        id: g.NodeGroupId ?? "",
        status: g.Status ?? "unknown",
        slots: g.Slots ?? null,
        slotCount: g.Slots ? slotCount(g.Slots) : null,
        primary: null,
        nodeCount: g.NodeGroupMembers?.length ?? 0,
      }, nodes, read, window.period),
    ).map((s) => ({ ...s, primary: nodes.find((n) => n.shardId === s.id && n.role === "primary")?.cacheClusterId ?? null })),
  );
  const clusterMode = summary.clusterMode === "enabled";
  const charts = redisCharts(nodes, read, grid, window.period, focus);
  return {
    summary: withHealth(summary, plan, extras, judged, nodes),
    description: group.Description ?? null,
    multiAz: group.MultiAZ ? group.MultiAZ === "enabled" : null,
    automaticFailover: group.AutomaticFailover ?? null,
    endpoints: endpointsOf(group),
    nodes,
    shards: clusterMode ? shards : [],
    zones: zonesOf(nodes),
    charts: clusterMode ? [...charts, shardOpsChart(shards, nodes, read, grid, window.period)] : charts,
    events: extras.events,
    window,
    problems: extras.problems,
    facts: [],
  };
}

async function cacheClusterDetail(region: string, cluster: CacheCluster, window: TimeWindow, focus: string | null): Promise<ClusterDetail> {
  const { summary, plan } = summarizeCacheCluster(cluster, region);
  const memcached = summary.engine === "memcached";
  const baseNodes: NodeView[] = (cluster.CacheNodes ?? []).map((n) => ({
    name: memcached ? `node ${n.CacheNodeId}` : summary.id,
    cacheClusterId: summary.id,
    nodeId: n.CacheNodeId ?? "0001",
    shardId: null,
    role: "node",
    status: n.CacheNodeStatus ?? cluster.CacheClusterStatus ?? "unknown",
    zone: n.CustomerAvailabilityZone ?? cluster.PreferredAvailabilityZone ?? null,
    endpoint: address(n.Endpoint),
    lag: null, memory: null, cpu: null, items: null, connections: null,
  }));
  const metrics = memcached ? memcachedNodeMetrics : redisNodeMetrics;
  const judged = healthWindow(window, Date.now());
  const requests = [...nodeRequests(baseNodes, metrics, window.period), ...healthRequests([plan], judged.period)];
  const extras = await loadExtras(region, summary.arn, requests, window, new Set([summary.id]));
  const grid = timeGrid(window.start, window.end, window.period);
  const read = nodeValues(extras.series, grid);
  const nodes = withLatest(baseNodes, read).map((n) => ({ ...n, role: "node" as const }));
  const config = address(cluster.ConfigurationEndpoint);
  return {
    summary: withHealth(summary, plan, extras, judged, []),
    description: null,
    multiAz: null,
    automaticFailover: null,
    endpoints: config ? [{ label: "Configuration endpoint", address: config }] : nodes.flatMap((n) => (n.endpoint ? [{ label: `Node ${n.nodeId}`, address: n.endpoint }] : [])),
    nodes,
    shards: [],
    zones: zonesOf(nodes),
    charts: (memcached ? memcachedCharts : redisCharts)(nodes, read, grid, window.period, focus),
    events: extras.events,
    window,
    problems: extras.problems,
    facts: [],
  };
}

function zonesOf(nodes: NodeView[]): string[] {
  return [...new Set(nodes.map((n) => n.zone ?? "unknown"))].sort();
}

/** "0-5460,10923-16383" → 10,922 slots. */
export function slotCount(slots: string): number {
  return slots.split(",").reduce((sum, range) => {
    const [from, to = from] = range.trim().split("-").map(Number);
    return Number.isFinite(from) && Number.isFinite(to) ? sum + (to - from + 1) : sum;
  }, 0);
}

/** What an id names in a region: a replication group, or a standalone cache cluster. */
export type ClusterResource = { kind: "replication-group"; group: ReplicationGroup } | { kind: "cache-cluster"; cluster: CacheCluster };

/** The lookup that decides whether the page exists (a member cluster's id resolves to its group), or null. */
export async function findCluster(region: string, id: string): Promise<ClusterResource | null> {
  const groups = await orNull(describeReplicationGroups(region, id));
  if (groups?.[0]) return { kind: "replication-group", group: groups[0] };
  const clusters = await orNull(describeCacheClusters(region, { id }));
  if (!clusters?.[0]) return null;
  if (clusters[0].ReplicationGroupId) return { kind: "replication-group", group: (await describeReplicationGroups(region, clusters[0].ReplicationGroupId))[0] };
  return { kind: "cache-cluster", cluster: clusters[0] };
}

/** A found cluster with its nodes, charts and events. */
export async function clusterDetail(region: string, found: ClusterResource, window: TimeWindow, focus: string | null): Promise<ClusterDetail> {
  return found.kind === "replication-group" ? replicationGroupDetail(region, found.group, window, focus) : cacheClusterDetail(region, found.cluster, window, focus);
}

/** A replication group or standalone cache cluster with its nodes, charts and events, or null when the region has
 * neither by that id. */
export async function loadClusterDetail(region: string, id: string, window: TimeWindow, focus: string | null): Promise<ClusterDetail | null> {
  const found = await findCluster(region, id);
  return found ? clusterDetail(region, found, window, focus) : null;
}
