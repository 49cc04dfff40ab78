import type { MetricRequest, MetricSeries } from "@/lib/aws/cloudwatch";
import { onGrid, type Grid, type Values } from "./series";

/** A node as CloudWatch knows it: {CacheClusterId, CacheNodeId} (a member cluster has one node, 0001). */
export interface NodeRef {
  cacheClusterId: string;
  nodeId: string;
}

export interface NodeMetric {
  name: string;
  stat: string;
}

// The one table of CloudWatch's AWS/ElastiCache metrics CacheDeck reads, per engine, with the statistic the charts
// use; health (health-metrics.ts) and drills take their metrics from here.

export const redisNodeMetrics = {
  hits: { name: "CacheHits", stat: "Sum" },
  misses: { name: "CacheMisses", stat: "Sum" },
  evictions: { name: "Evictions", stat: "Sum" },
  lag: { name: "ReplicationLag", stat: "Maximum" },
  cpu: { name: "EngineCPUUtilization", stat: "Average" },
  memory: { name: "DatabaseMemoryUsagePercentage", stat: "Average" },
  connections: { name: "CurrConnections", stat: "Average" },
  networkIn: { name: "NetworkBytesIn", stat: "Sum" },
  networkOut: { name: "NetworkBytesOut", stat: "Sum" },
  items: { name: "CurrItems", stat: "Average" },
  isMaster: { name: "IsMaster", stat: "Average" },
  gets: { name: "GetTypeCmds", stat: "Sum" },
  sets: { name: "SetTypeCmds", stat: "Sum" },
} satisfies Record<string, NodeMetric>;

export const memcachedNodeMetrics = {
  hits: { name: "GetHits", stat: "Sum" },
  misses: { name: "GetMisses", stat: "Sum" },
  evictions: { name: "Evictions", stat: "Sum" },
  cpu: { name: "CPUUtilization", stat: "Average" },
  connections: { name: "CurrConnections", stat: "Average" },
  items: { name: "CurrItems", stat: "Average" },
  bytesUsed: { name: "BytesUsedForCacheItems", stat: "Average" },
  networkIn: { name: "NetworkBytesIn", stat: "Sum" },
  networkOut: { name: "NetworkBytesOut", stat: "Sum" },
} satisfies Record<string, NodeMetric>;

export const serverlessMetrics = {
  hitRate: { name: "CacheHitRate", stat: "Average" },
  bytesUsed: { name: "BytesUsedForCache", stat: "Average" },
  ecpus: { name: "ElastiCacheProcessingUnits", stat: "Sum" },
  readLatency: { name: "SuccessfulReadRequestLatency", stat: "Average" },
  writeLatency: { name: "SuccessfulWriteRequestLatency", stat: "Average" },
  commands: { name: "TotalCmdsCount", stat: "Sum" },
  throttled: { name: "ThrottledCmds", stat: "Sum" },
} satisfies Record<string, NodeMetric>;

const nodeKey = (node: NodeRef, metric: string) => `node:${node.cacheClusterId}/${node.nodeId}:${metric}`;

export function nodeRequests(nodes: NodeRef[], metrics: Record<string, NodeMetric>, period: number): MetricRequest[] {
  return nodes.flatMap((node) =>
    Object.entries(metrics).map(([metric, m]) => ({
      key: nodeKey(node, metric),
      namespace: "AWS/ElastiCache",
      metricName: m.name,
      dimensions: { CacheClusterId: node.cacheClusterId, CacheNodeId: node.nodeId },
      stat: m.stat,
      period,
    })),
  );
}

export function serverlessRequests(name: string, period: number): MetricRequest[] {
  return Object.entries(serverlessMetrics).map(([metric, m]) => ({
    key: `serverless:${name}:${metric}`,
    namespace: "AWS/ElastiCache",
    metricName: m.name,
    dimensions: { clusterId: name },
    stat: m.stat,
    period,
  }));
}

export type ReadNodeMetric = (node: NodeRef, metric: string) => Values;

/** Reads fetched node series back onto the chart grid. */
export function nodeValues(series: Map<string, MetricSeries>, grid: Grid): ReadNodeMetric {
  return (node: NodeRef, metric: string): Values => onGrid(series.get(nodeKey(node, metric)), grid);
}

/** A node's newest data point of `metric`, with its time: roles are decided by which evidence is newer. */
export function latestPoint(series: Map<string, MetricSeries>, node: NodeRef, metric: string): { at: number; value: number } | null {
  const found = series.get(nodeKey(node, metric));
  const last = found ? found.timestamps.length - 1 : -1;
  return found && last >= 0 ? { at: found.timestamps[last], value: found.values[last] } : null;
}

export function serverlessValues(series: Map<string, MetricSeries>, grid: Grid, name: string) {
  return (metric: keyof typeof serverlessMetrics): Values => onGrid(series.get(`serverless:${name}:${metric}`), grid);
}
