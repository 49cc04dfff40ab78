import type { MetricRequest, MetricSeries } from "@/lib/aws/cloudwatch";
import { memcachedNodeMetrics, redisNodeMetrics, serverlessMetrics, type NodeMetric } from "./node-metrics";
import type { HealthFigures } from "./health";
import type { Trends } from "./model";
import { combine, hitRatePercent, longestRun, mean, onGrid, peak, timeGrid, total, type Values } from "./series";
import type { TimeWindow } from "./time-range";

export type HealthRole = "hits" | "misses" | "evictions" | "lag" | "cpu" | "memory" | "hitRate" | "bytesUsed" | "commands";

/** Where one cluster's health figures come from: a set of dimensions and the metric that plays each role there. */
export interface HealthSource {
  dimensions: Record<string, string>;
  metrics: Partial<Record<HealthRole, NodeMetric>>;
}

const ns = "AWS/ElastiCache";

/** The same metric at its worst point of the period: health is judged on peaks, charts show averages. */
const worst = (metric: NodeMetric): NodeMetric => ({ ...metric, stat: "Maximum" });

/** A Redis/Valkey member cluster (one node), by its {CacheClusterId} dimension. */
export function redisHealthSource(cacheClusterId: string): HealthSource {
  const m = redisNodeMetrics;
  return {
    dimensions: { CacheClusterId: cacheClusterId },
    metrics: { hits: m.hits, misses: m.misses, evictions: m.evictions, lag: m.lag, cpu: worst(m.cpu), memory: worst(m.memory) },
  };
}

/** A Memcached node: Memcached publishes per node and has no memory percentage. */
export function memcachedHealthSource(cacheClusterId: string, cacheNodeId: string): HealthSource {
  const m = memcachedNodeMetrics;
  return {
    dimensions: { CacheClusterId: cacheClusterId, CacheNodeId: cacheNodeId },
    metrics: { hits: m.hits, misses: m.misses, evictions: m.evictions, cpu: worst(m.cpu) },
  };
}

/** A serverless cache, by its camelCase {clusterId} dimension. */
export function serverlessHealthSource(name: string): HealthSource {
  const m = serverlessMetrics;
  return {
    dimensions: { clusterId: name },
    metrics: { hitRate: m.hitRate, bytesUsed: worst(m.bytesUsed), commands: m.commands },
  };
}

export interface HealthPlan {
  /** Identifies the cluster among the plans of one fetch. */
  key: string;
  sources: HealthSource[];
  /** Serverless: the data storage limit, to turn bytes used into a percentage. */
  memoryLimitBytes?: number;
}

const requestKey = (plan: string, source: number, role: string) => `${plan}#${source}#${role}`;

export function healthRequests(plans: HealthPlan[], period: number): MetricRequest[] {
  return plans.flatMap((plan) =>
    plan.sources.flatMap((source, i) =>
      Object.entries(source.metrics).map(([role, metric]) => ({
        key: requestKey(plan.key, i, role),
        namespace: ns,
        metricName: metric.name,
        dimensions: source.dimensions,
        stat: metric.stat,
        period,
      })),
    ),
  );
}

/** Turns the fetched series of one plan into window figures and trend lines. */
export function healthFromSeries(
  plan: HealthPlan,
  series: Map<string, MetricSeries>,
  window: TimeWindow,
): { figures: HealthFigures; trends: Trends } {
  const grid = timeGrid(window.start, window.end, window.period);
  const role = (r: HealthRole): Values[] =>
    plan.sources.flatMap((s, i) => (s.metrics[r] ? [onGrid(series.get(requestKey(plan.key, i, r)), grid)] : []));
  const hits = combine(role("hits"), "sum");
  const misses = combine(role("misses"), "sum");
  const evictions = combine(role("evictions"), "sum");
  const lag = combine(role("lag"), "max");
  const cpu = combine(role("cpu"), "max");
  const bytes = combine(role("bytesUsed"), "max");
  const memory =
    plan.memoryLimitBytes && role("bytesUsed").length
      ? bytes.map((b) => (b === null ? null : (100 * b) / plan.memoryLimitBytes!))
      : combine(role("memory"), "max");
  const servedRate = combine(role("hitRate"), "avg");
  const hitRate = role("hitRate").length ? servedRate : hitRatePercent(hits, misses);

  const hitTotal = total(hits);
  const missTotal = total(misses);
  const lookups = role("hitRate").length ? total(combine(role("commands"), "sum")) : hitTotal === null && missTotal === null ? null : (hitTotal ?? 0) + (missTotal ?? 0);
  const windowHitRate = role("hitRate").length
    ? mean(servedRate)
    : lookups ? (100 * (hitTotal ?? 0)) / lookups : null;

  return {
    figures: {
      hitRate: windowHitRate,
      lookups,
      evictions: total(evictions),
      evictionRun: longestRun(evictions, (v) => v > 0),
      replicationLag: peak(lag),
      engineCpu: peak(cpu),
      memory: peak(memory),
    },
    trends: { hitRate, evictions, replicationLag: lag, engineCpu: cpu, memory },
  };
}
