import "server-only";
import {
  addressOf,
  describeCacheClusters,
  describeReplicationGroups,
  primaryOf,
  shardNodes,
  withMembers,
  withRoleEvidence,
  type Cache,
} from "@/lib/aws";
import { markHotShards, memcachedCharts, redisCharts, shardFigures, shardOpsChart } from "./cluster-charts";
import { healthRequests } from "./health-metrics";
import type { ClusterDetail, NodeView } from "./model";
import { latestPoint, memcachedNodeMetrics, nodeRequests, nodeValues, redisNodeMetrics, type ReadNodeMetric } from "./node-metrics";
import { latest, latestCount, timeGrid } from "./series";
import { loadExtras, orNull, withHealth, type Extras, type KnownTags } from "./cluster-extras";
import { summarizeNodeCache } from "./summaries";
import { healthWindow, type TimeWindow } from "./time-range";
import type { Place } from "@/lib/place";

/** The node cards before their figures: a group names each node by its member cluster, Memcached by node id. */
function nodeViews(cache: Cache): NodeView[] {
  const memcached = cache.engine === "memcached";
  return cache.nodes.map((n) => ({
    name: cache.kind === "replication-group" ? n.cacheClusterId : memcached ? `node ${n.nodeId}` : cache.id,
    cacheClusterId: n.cacheClusterId,
    nodeId: n.nodeId,
    shardId: n.shardId,
    role: n.role,
    status: n.status ?? "unknown",
    zone: n.zone,
    endpoint: addressOf(n.endpoint),
    lag: null, memory: null, cpu: null, items: null, connections: null,
  }));
}

/** Latest figures on each card; a replica's also its replication lag. */
function withLatest(nodes: NodeView[], read: ReadNodeMetric): NodeView[] {
  return nodes.map((n) => ({
    ...n,
    lag: n.role === "replica" ? latest(read(n, "lag")) : null,
    memory: latest(read(n, "memory")),
    cpu: latest(read(n, "cpu")),
    items: latestCount(read(n, "items")),
    connections: latestCount(read(n, "connections")),
  }));
}

/** Cluster mode's roles, from the fetched IsMaster points and failover events (lib/aws/roles.ts decides). */
function withRoles(cache: Cache, extras: Extras): Cache {
  return withRoleEvidence(cache, {
    isMaster: (id) => latestPoint(extras.series, { cacheClusterId: id, nodeId: cache.nodes.find((n) => n.cacheClusterId === id)?.nodeId ?? "0001" }, "isMaster"),
    events: extras.cacheEvents,
  });
}

function endpointsOf(group: Cache): ClusterDetail["endpoints"] {
  const endpoints: ClusterDetail["endpoints"] = [];
  const config = addressOf(group.configurationEndpoint);
  if (config) endpoints.push({ label: "Configuration endpoint", address: config });
  for (const shard of group.shards) {
    const multi = group.shards.length > 1 ? ` (shard ${shard.id})` : "";
    const primary = addressOf(shard.primaryEndpoint);
    const reader = addressOf(shard.readerEndpoint);
    if (primary) endpoints.push({ label: `Primary endpoint${multi}`, address: primary });
    if (reader) endpoints.push({ label: `Reader endpoint${multi}`, address: reader });
  }
  return endpoints;
}

async function replicationGroupDetail(place: Place, described: Cache, window: TimeWindow, focus: string | null, watched: KnownState): Promise<ClusterDetail> {
  const group = withMembers(described, watched.clusters ?? (await describeCacheClusters(place)));
  const { summary, plan } = summarizeNodeCache(group, place);
  const baseNodes = nodeViews(group);
  const judged = healthWindow(window, Date.now());
  const requests = [...nodeRequests(baseNodes, redisNodeMetrics, window.period), ...healthRequests([plan], judged.period)];
  const extras = await loadExtras(place, watched.tags(summary.arn), requests, window, new Set([summary.id, ...baseNodes.map((n) => n.cacheClusterId)]));
  const grid = timeGrid(window.start, window.end, window.period);
  const read = nodeValues(extras.series, grid);
  const known = withRoles(group, extras);
  const nodes = withLatest(nodeViews(known), read);
  const shards = markHotShards(
    known.shards.map((g) =>
      shardFigures({
        id: g.id,
        status: g.status,
        slots: g.slots,
        slotCount: g.slots ? slotCount(g.slots) : null,
        primary: primaryOf(known, g.id)?.cacheClusterId ?? null,
        nodeCount: shardNodes(known, g.id).length,
      }, nodes, read, window.period),
    ),
  );
  const charts = redisCharts(nodes, read, grid, window.period, focus);
  return {
    summary: withHealth(summary, plan, extras, judged, nodes),
    description: group.description,
    multiAz: group.multiAz,
    automaticFailover: group.automaticFailover,
    endpoints: endpointsOf(group),
    nodes,
    shards: group.clusterMode ? shards : [],
    zones: zonesOf(nodes),
    charts: group.clusterMode ? [...charts, shardOpsChart(shards, nodes, read, grid, window.period)] : charts,
    events: extras.events,
    window,
    problems: extras.problems,
    facts: [],
  };
}

async function cacheClusterDetail(place: Place, cluster: Cache, window: TimeWindow, focus: string | null, known: KnownState): Promise<ClusterDetail> {
  const { summary, plan } = summarizeNodeCache(cluster, place);
  const memcached = summary.engine === "memcached";
  const baseNodes = nodeViews(cluster);
  const metrics = memcached ? memcachedNodeMetrics : redisNodeMetrics;
  const judged = healthWindow(window, Date.now());
  const requests = [...nodeRequests(baseNodes, metrics, window.period), ...healthRequests([plan], judged.period)];
  const extras = await loadExtras(place, known.tags(summary.arn), requests, window, new Set([summary.id]));
  const grid = timeGrid(window.start, window.end, window.period);
  const read = nodeValues(extras.series, grid);
  const nodes = withLatest(baseNodes, read);
  const config = addressOf(cluster.configurationEndpoint);
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

/**
 * The lookup that decides whether the page exists: a replication group, or a standalone cache cluster (a member
 * cluster's id resolves to its group), or null.
 */
export async function findCluster(place: Place, id: string): Promise<Cache | null> {
  const groups = await orNull(describeReplicationGroups(place, id));
  if (groups?.[0]) return groups[0];
  const clusters = await orNull(describeCacheClusters(place, { id }));
  if (!clusters?.[0]) return null;
  if (clusters[0].replicationGroupId) return (await describeReplicationGroups(place, clusters[0].replicationGroupId))[0];
  return clusters[0];
}

/** What the region's watcher already holds for a cluster page: its cache clusters (when described) and the tags. */
export interface KnownState {
  clusters?: Cache[];
  tags: (arn: string | null) => KnownTags;
}

/** A found cluster with its nodes, charts and events; `known` spares the page the region-wide describe and tag calls. */
export async function clusterDetail(place: Place, found: Cache, window: TimeWindow, focus: string | null, known: KnownState): Promise<ClusterDetail> {
  return found.kind === "replication-group" ? replicationGroupDetail(place, found, window, focus, known) : cacheClusterDetail(place, found, window, focus, known);
}
