import { z } from "zod";
import type { CacheClusterRecord, RegionState } from "../elasticache/state/model";
import { nodeType, realMemoryBytes } from "../elasticache/state/node-types";
import { NAMESPACE } from "./collector";
import { identity, type Dimension } from "./dimensions";
import type { MetricStore } from "./metric-store";
import type { StandardUnit } from "./validation";

// Seeded metric history (docs/cloudwatch.md, "Seeded history"): a fleet entry's `history` section gives a cache the
// last days of AWS/ElastiCache metrics from a workload model, so a fresh demo has the 14 days a capacity forecast and a
// rightsizing recommendation need. Seeded points are hourly statistic sets (60 samples each, at the start of each
// hour) that end at the last whole hour before seeding; the nodes' measured points start after that, so the two never
// share a bucket. Everything is a pure function of the cache's name and the hour (a seeded RNG), so every start seeds
// the same history relative to its own clock.

const MODELS = {
  /** A settled cache: memory flat at 40%, load follows the day. */
  steady: { memoryPercent: 40, growthPercentPerDay: 0.1, engineCpuPercent: 25, connections: 200 },
  /** Filling up: memory at 75% at the end, growing 0.9 points a day (100% about four weeks later). */
  growing: { memoryPercent: 75, growthPercentPerDay: 0.9, engineCpuPercent: 35, connections: 400 },
  /** Over-sized: a few percent of its memory and CPU used. */
  idle: { memoryPercent: 6, growthPercentPerDay: 0, engineCpuPercent: 4, connections: 40 },
} as const;

export const historySchema = z.strictObject({
  days: z.number().int().min(1).max(14).default(14),
  model: z.enum(Object.keys(MODELS) as [keyof typeof MODELS, ...(keyof typeof MODELS)[]]),
  /** Overrides of the model's figures at the end of the history (peak hour of the last day). */
  memoryPercent: z.number().min(0).max(100).optional(),
  growthPercentPerDay: z.number().min(-10).max(10).optional(),
  engineCpuPercent: z.number().min(0).max(100).optional(),
  connections: z.number().int().min(0).max(65_000).optional(),
});
export type HistorySpec = z.infer<typeof historySchema>;
interface Figures {
  memoryPercent: number;
  growthPercentPerDay: number;
  engineCpuPercent: number;
  connections: number;
}

export function parseHistory(raw: unknown, where: string): HistorySpec {
  const parsed = historySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${where}.history.${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}

const HOUR = 3600;
const DAY = 86_400;
/** Bytes per key the item count assumes. */
const BYTES_PER_KEY = 900;

/** FNV-1a of a name: the seed of the cache's random numbers. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniform number in [0, 1) for (seed, hour, salt): mulberry32's mixing step, so any hour can be drawn alone. */
function random(seed: number, hour: number, salt: number): number {
  let t = (seed + Math.imul(hour, 0x6d2b79f5) + Math.imul(salt, 0x9e3779b1)) >>> 0;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/**
 * How busy the cache is at `t` relative to its daily peak (1): a daily cycle peaking at 14:00 UTC and bottoming at
 * 02:00 (0.4), weekends 25% quieter, ±5% noise.
 */
export function activityAt(seed: number, t: number): number {
  const hourOfDay = (t % DAY) / HOUR;
  const daily = 0.7 + 0.3 * Math.cos((2 * Math.PI * (hourOfDay - 14)) / 24);
  const weekday = new Date(t * 1000).getUTCDay();
  const weekly = weekday === 0 || weekday === 6 ? 0.75 : 1;
  return daily * weekly * (0.95 + 0.1 * random(seed, Math.floor(t / HOUR), 1));
}

/** Memory use in percent at `t`, `daysBeforeEnd` days before the history ends: the trend plus a ±1 point daily wobble. */
export function memoryPercentAt(figures: Figures, seed: number, t: number, daysBeforeEnd: number): number {
  const wobble = Math.sin((2 * Math.PI * ((t % DAY) / HOUR - 14)) / 24) + (random(seed, Math.floor(t / HOUR), 2) - 0.5);
  return Math.max(0.5, Math.min(100, figures.memoryPercent - figures.growthPercentPerDay * daysBeforeEnd + wobble));
}

interface SeededMetric {
  name: string;
  unit: StandardUnit;
  /** The hour's mean; the hour's statistic set spreads ±spread around it. */
  value: (h: HourFacts) => number;
  spread: number;
  /** Counters: the value is per minute, and the hour's Sum is 60 times it. */
  counter?: boolean;
  memcached?: boolean;
  redis?: boolean;
}

interface HourFacts {
  activity: number;
  memoryPercent: number;
  memoryBytes: number;
  figures: Figures;
  replica: boolean;
  vcpus: number;
}

const usedBytes = (h: HourFacts) => (h.memoryBytes * h.memoryPercent) / 100;
const engineCpu = (h: HourFacts) => h.figures.engineCpuPercent * h.activity * (h.replica ? 0.5 : 1);
const connections = (h: HourFacts) => Math.round(h.figures.connections * h.activity * (h.replica ? 0.5 : 1));
/** Commands per minute: a cache at 35% engine CPU serves about 50,000 a second. */
const commandsPerMinute = (h: HourFacts) => 60 * 1500 * engineCpu(h);

/** The metrics seeded: what capacity and cost figures read, not every metric the collector publishes. */
const SEEDED: readonly SeededMetric[] = [
  { name: "BytesUsedForCache", unit: "Bytes", value: usedBytes, spread: 0.01, redis: true },
  { name: "BytesUsedForCacheItems", unit: "Bytes", value: usedBytes, spread: 0.01, memcached: true },
  { name: "DatabaseMemoryUsagePercentage", unit: "Percent", value: (h) => h.memoryPercent, spread: 0.01, redis: true },
  { name: "FreeableMemory", unit: "Bytes", value: (h) => h.memoryBytes - usedBytes(h), spread: 0.01, redis: true, memcached: true },
  { name: "MemoryFragmentationRatio", unit: "None", value: () => 1.1, spread: 0.02, redis: true },
  { name: "CurrItems", unit: "Count", value: (h) => Math.round(usedBytes(h) / BYTES_PER_KEY), spread: 0.01, redis: true, memcached: true },
  { name: "EngineCPUUtilization", unit: "Percent", value: engineCpu, spread: 0.15, redis: true },
  { name: "CPUUtilization", unit: "Percent", value: (h) => Math.min(100, 2 + engineCpu(h) / h.vcpus), spread: 0.15, redis: true, memcached: true },
  { name: "CurrConnections", unit: "Count", value: connections, spread: 0.1, redis: true, memcached: true },
  { name: "NetworkBytesIn", unit: "Bytes", counter: true, value: (h) => commandsPerMinute(h) * 200, spread: 0.2, redis: true, memcached: true },
  { name: "NetworkBytesOut", unit: "Bytes", counter: true, value: (h) => commandsPerMinute(h) * 700, spread: 0.2, redis: true, memcached: true },
];

/** What the store holds for one cache after seeding, for the log. */
export interface SeedResult {
  series: number;
  points: number;
  until: number;
}

/**
 * Seeds `spec.days` days of hourly history, ending at the last whole hour before `nowSeconds`, for every node of the
 * member clusters (or the cluster) `clusters`, per node and per cluster.
 */
export function seedClusters(store: MetricStore, region: string, cacheName: string, clusters: CacheClusterRecord[], spec: HistorySpec, nowSeconds: number): SeedResult {
  const figures: Figures = { ...MODELS[spec.model], ...definedOnly(spec) };
  const until = Math.floor(nowSeconds / HOUR) * HOUR;
  const from = until - spec.days * DAY;
  const seed = hash(`${region}/${cacheName}`);
  let series = 0;
  let points = 0;
  for (const cluster of clusters) {
    const type = nodeType(cluster.cacheNodeType);
    const memoryBytes = type ? realMemoryBytes(type) : 2 ** 30;
    const metrics = SEEDED.filter((m) => (cluster.engine === "memcached" ? m.memcached : m.redis));
    for (const metric of metrics) {
      const perCluster = new Map<number, { mean: number; n: number }>();
      for (const node of cluster.nodes) {
        const dims: Dimension[] = [
          { Name: "CacheClusterId", Value: cluster.cacheClusterId },
          { Name: "CacheNodeId", Value: node.cacheNodeId },
        ];
        const id = identity(NAMESPACE, metric.name, dims);
        for (let t = from; t < until; t += HOUR) {
          const facts: HourFacts = {
            activity: activityAt(seed, t),
            memoryPercent: memoryPercentAt(figures, seed, t, (until - t) / DAY),
            memoryBytes,
            figures,
            replica: node.role === "replica",
            vcpus: type?.vcpus ?? 2,
          };
          const mean = metric.value(facts);
          putHour(store, region, id, metric, t, mean);
          const sum = perCluster.get(t) ?? { mean: 0, n: 0 };
          perCluster.set(t, { mean: sum.mean + mean, n: sum.n + 1 });
          points++;
        }
        store.markSeeded(region, id, until, spec.model);
        series++;
      }
      // The member cluster's figure: ratios average over its nodes, amounts add up (as the collector aggregates).
      const id = identity(NAMESPACE, metric.name, [{ Name: "CacheClusterId", Value: cluster.cacheClusterId }]);
      const averaged = metric.unit === "Percent" || metric.unit === "None";
      for (const [t, { mean, n }] of perCluster) putHour(store, region, id, metric, t, averaged ? mean / n : mean);
      store.markSeeded(region, id, until, spec.model);
      series++;
      points += perCluster.size;
    }
  }
  return { series, points, until };
}

/**
 * Seeds a serverless cache's data stored (BytesUsedForCache under {clusterId}: the one figure its capacity forecast
 * reads) as `memoryPercent` of `storageBytes`, its data-storage maximum. The range ends at the start of the UTC day, and
 * at least an hour before the last whole hour, so the hour a serverless cost reads (the last whole one) is always
 * measured, never seeded.
 */
export function seedServerless(store: MetricStore, region: string, name: string, storageBytes: number, spec: HistorySpec, nowSeconds: number): SeedResult {
  const figures: Figures = { ...MODELS[spec.model], ...definedOnly(spec) };
  const until = Math.min(Math.floor(nowSeconds / DAY) * DAY, Math.floor(nowSeconds / HOUR) * HOUR - HOUR);
  const from = until - spec.days * DAY;
  const seed = hash(`${region}/${name}`);
  const metric: SeededMetric = { name: "BytesUsedForCache", unit: "Bytes", value: usedBytes, spread: 0.01 };
  const id = identity(NAMESPACE, metric.name, [{ Name: "clusterId", Value: name }]);
  let points = 0;
  for (let t = from; t < until; t += HOUR) {
    const facts: HourFacts = { activity: activityAt(seed, t), memoryPercent: memoryPercentAt(figures, seed, t, (until - t) / DAY), memoryBytes: storageBytes, figures, replica: false, vcpus: 2 };
    putHour(store, region, id, metric, t, metric.value(facts));
    points++;
  }
  store.markSeeded(region, id, until, spec.model);
  return { series: 1, points, until };
}

/** One hour as a statistic set of 60 one-minute samples spread around `mean`. */
function putHour(store: MetricStore, region: string, id: ReturnType<typeof identity>, metric: SeededMetric, t: number, mean: number) {
  const low = mean * (1 - metric.spread);
  const high = metric.unit === "Percent" ? Math.min(100, mean * (1 + metric.spread)) : mean * (1 + metric.spread);
  store.put(region, id, { timestamp: t, count: 60, sum: mean * 60, min: low, max: high, pairs: null, unit: metric.unit, storageResolution: 60 });
}

function definedOnly(spec: HistorySpec): Partial<Figures> {
  const out: Record<string, number> = {};
  for (const key of ["memoryPercent", "growthPercentPerDay", "engineCpuPercent", "connections"] as const) {
    if (spec[key] !== undefined) out[key] = spec[key];
  }
  return out;
}

/** The member clusters of a fleet entry once the control plane has created them; null while it has not. */
export function clustersOf(state: RegionState, kind: "replicationGroups" | "cacheClusters", id: string): CacheClusterRecord[] | null {
  if (kind === "cacheClusters") {
    const cluster = state.cacheClusters[id.toLowerCase()];
    return cluster && cluster.nodes.length > 0 ? [cluster] : null;
  }
  const group = state.replicationGroups[id.toLowerCase()];
  if (!group) return null;
  const members = group.nodeGroups.flatMap((ng) => ng.memberClusterIds.map((m) => state.cacheClusters[m]));
  if (members.length === 0 || members.some((m) => !m || m.nodes.length === 0)) return null;
  return members as CacheClusterRecord[];
}
