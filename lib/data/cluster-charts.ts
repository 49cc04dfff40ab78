import type { ChartLine, ChartModel, ChartUnit, NodeView, ShardView } from "./model";
import type { NodeRef, ReadNodeMetric } from "./node-metrics";
import { combine, hitRatePercent, latest, mean, perSecond, present, toChartRows, type Combine, type Grid, type Values } from "./series";
import { formatPeriod } from "./time-range";

type Read = ReadNodeMetric;
type ChartNode = NodeRef & { name: string };

interface NodeSeriesSpec {
  id: string;
  title: string;
  unit: ChartUnit;
  /** One node's line. */
  value: (node: ChartNode) => Values;
  /** The cluster line, if the chart has one. */
  aggregate?: { label: string; values: (nodes: ChartNode[]) => Values };
  emptyText?: string;
}

const lineKey = (i: number) => `n${i}`;

/** One chart with a line per node (or only the focused node) and, when defined, a heavier cluster line. */
function nodeChart(spec: NodeSeriesSpec, nodes: ChartNode[], grid: Grid, focus: string | null): ChartModel {
  const shown = focus ? nodes.filter((n) => n.name === focus) : nodes;
  const lines: ChartLine[] = [];
  const data: Record<string, Values> = {};
  shown.forEach((node, i) => {
    lines.push({ key: lineKey(i), label: node.name });
    data[lineKey(i)] = spec.value(node);
  });
  // Last, so the cluster line is drawn over the nodes' lines.
  if (spec.aggregate && !focus && shown.length > 1) {
    lines.push({ key: "cluster", label: spec.aggregate.label, emphasis: true });
    data.cluster = spec.aggregate.values(shown);
  }
  return { id: spec.id, title: spec.title, unit: spec.unit, rows: toChartRows(grid, data), lines, emptyText: shown.length ? undefined : spec.emptyText };
}

function sumOf(read: Read, metric: string, how: Combine = "sum") {
  return (nodes: NodeRef[]) => combine(nodes.map((n) => read(n, metric)), how);
}

/** Charts for a Redis/Valkey group or standalone node: hit rate, evictions, lag per replica, CPU, memory, connections, network. */
export function redisCharts(nodes: NodeView[], read: Read, grid: Grid, period: number, focus: string | null): ChartModel[] {
  const refs: ChartNode[] = nodes;
  // Replicas now, nodes whose role is not known yet (cluster mode reports it only through IsMaster), and a primary
  // that was a replica earlier in the window (after a failover), so its lag history stays on the chart.
  const replicas = nodes.filter((n) => n.role === "replica" || n.role === "unknown" || (n.role === "primary" && present(read(n, "lag")).length > 0));
  const rate = (values: Values) => perSecond(values, period);
  const hitRate = (ns: NodeRef[]) => hitRatePercent(sumOf(read, "hits")(ns), sumOf(read, "misses")(ns));
  return [
    nodeChart({ id: "hit-rate", title: "Hit rate", unit: "percent", value: (n) => hitRate([n]), aggregate: { label: "Cluster", values: hitRate } }, refs, grid, focus),
    nodeChart({ id: "evictions", title: `Evictions per ${formatPeriod(period)}`, unit: "count", value: (n) => read(n, "evictions"), aggregate: { label: "Cluster total", values: sumOf(read, "evictions") } }, refs, grid, focus),
    nodeChart({ id: "replication-lag", title: "Replication lag (replicas)", unit: "seconds", value: (n) => read(n, "lag"), emptyText: "No replicas: nothing replicates from this node." }, replicas, grid, focus && replicas.some((r) => r.name === focus) ? focus : null),
    nodeChart({ id: "engine-cpu", title: "Engine CPU", unit: "percent", value: (n) => read(n, "cpu") }, refs, grid, focus),
    nodeChart({ id: "memory", title: "Memory used", unit: "percent", value: (n) => read(n, "memory") }, refs, grid, focus),
    nodeChart({ id: "connections", title: "Client connections", unit: "count", value: (n) => read(n, "connections"), aggregate: { label: "Cluster total", values: sumOf(read, "connections") } }, refs, grid, focus),
    networkChart(refs, read, grid, focus, rate),
  ];
}

function networkChart(refs: ChartNode[], read: Read, grid: Grid, focus: string | null, rate: (v: Values) => Values): ChartModel {
  const shown = focus ? refs.filter((n) => n.name === focus) : refs;
  const inbound = rate(sumOf(read, "networkIn")(shown));
  const outbound = rate(sumOf(read, "networkOut")(shown));
  return {
    id: "network",
    title: focus ? `Network (${focus})` : "Network (all nodes)",
    unit: "bytesPerSecond",
    rows: toChartRows(grid, { in: inbound, out: outbound }),
    lines: [{ key: "in", label: "In" }, { key: "out", label: "Out" }],
  };
}

export function memcachedCharts(nodes: NodeView[], read: Read, grid: Grid, period: number, focus: string | null): ChartModel[] {
  const refs: ChartNode[] = nodes;
  const hitRate = (ns: NodeRef[]) => hitRatePercent(sumOf(read, "hits")(ns), sumOf(read, "misses")(ns));
  return [
    nodeChart({ id: "hit-rate", title: "Hit rate (gets)", unit: "percent", value: (n) => hitRate([n]), aggregate: { label: "Cluster", values: hitRate } }, refs, grid, focus),
    nodeChart({ id: "evictions", title: `Evictions per ${formatPeriod(period)}`, unit: "count", value: (n) => read(n, "evictions"), aggregate: { label: "Cluster total", values: sumOf(read, "evictions") } }, refs, grid, focus),
    nodeChart({ id: "cpu", title: "CPU", unit: "percent", value: (n) => read(n, "cpu") }, refs, grid, focus),
    nodeChart({ id: "bytes-used", title: "Memory used by items", unit: "bytes", value: (n) => read(n, "bytesUsed"), aggregate: { label: "Cluster total", values: sumOf(read, "bytesUsed") } }, refs, grid, focus),
    nodeChart({ id: "items", title: "Items", unit: "count", value: (n) => read(n, "items"), aggregate: { label: "Cluster total", values: sumOf(read, "items") } }, refs, grid, focus),
    nodeChart({ id: "connections", title: "Client connections", unit: "count", value: (n) => read(n, "connections"), aggregate: { label: "Cluster total", values: sumOf(read, "connections") } }, refs, grid, focus),
    networkChart(refs, read, grid, focus, (v) => perSecond(v, period)),
  ];
}

/** Operations per second of each shard side by side, so a hot shard shows as the line above the rest. */
export function shardOpsChart(shards: ShardView[], nodes: NodeView[], read: Read, grid: Grid, period: number): ChartModel {
  const data: Record<string, Values> = {};
  const lines: ChartLine[] = shards.map((s, i) => {
    const members = nodes.filter((n) => n.shardId === s.id);
    data[`s${i}`] = perSecond(combine(members.flatMap((n) => [read(n, "gets"), read(n, "sets")]), "sum"), period);
    return { key: `s${i}`, label: `Shard ${s.id}` };
  });
  return { id: "shard-ops", title: "Commands per second by shard", unit: "perSecond", rows: toChartRows(grid, data), lines };
}

/** The figures of the shard table: keys from the primary, load summed over the shard's nodes. */
export function shardFigures(shard: Omit<ShardView, "keys" | "opsPerSecond" | "cpu" | "memory" | "networkOutPerSecond" | "hot">, nodes: NodeView[], read: Read, period: number): ShardView {
  const members = nodes.filter((n) => n.shardId === shard.id);
  const primary = members.find((n) => n.role === "primary") ?? members[0];
  const ops = combine(members.flatMap((n) => [read(n, "gets"), read(n, "sets")]), "sum");
  return {
    ...shard,
    keys: primary ? latest(read(primary, "items")) : null,
    opsPerSecond: mean(perSecond(ops, period)),
    cpu: primary ? mean(read(primary, "cpu")) : null,
    memory: primary ? latest(read(primary, "memory")) : null,
    networkOutPerSecond: mean(perSecond(combine(members.map((n) => read(n, "networkOut")), "sum"), period)),
    hot: [],
  };
}

/** A shard is hot on a measure when it carries at least 1.5× the median of the shards (and a non-trivial amount). */
export const hotShardFactor = 1.5;

export function markHotShards(shards: ShardView[]): ShardView[] {
  if (shards.length < 2) return shards;
  const measures: [keyof ShardView, string, number][] = [
    ["opsPerSecond", "commands/s", 1],
    ["cpu", "CPU", 1],
    ["keys", "keys", 10],
    ["networkOutPerSecond", "network out", 1024],
  ];
  return shards.map((shard) => ({
    ...shard,
    hot: measures.flatMap(([field, label, floor]) => {
      const values = shards.map((s) => s[field] as number | null).filter((v): v is number => v !== null).sort((a, b) => a - b);
      const value = shard[field] as number | null;
      if (value === null || values.length < 2) return [];
      const median = values[Math.floor((values.length - 1) / 2)];
      return value >= floor && value >= hotShardFactor * Math.max(median, Number.EPSILON) ? [`${label} ${(value / Math.max(median, Number.EPSILON)).toFixed(1)}× median`] : [];
    }),
  }));
}
