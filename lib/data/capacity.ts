import type { MetricRequest, MetricSeries } from "@/lib/aws/cloudwatch";
import type { Cache } from "@/lib/aws/model";
import { DAY_MS, forecastCapacity, type CapacityForecast, type DailyPeaks } from "@/lib/capacity/forecast";
import { rightsize, type PriceOf, type Recommendation } from "@/lib/capacity/rightsizing";

// A cache's capacity from 14 days of CloudWatch daily statistics: one GetMetricData per region a few times a day
// (the watcher's capacity read), shaped here into daily peaks, a forecast and a rightsizing recommendation.

export const CAPACITY_DAYS = 14;
/** The capacity read repeats this often: daily peaks change once a day, so four reads a day are plenty. */
export const CAPACITY_READ_EVERY_MS = 6 * 3600_000;

const ns = "AWS/ElastiCache";
/** What is read per member cluster ({CacheClusterId}, one node each), with the statistic of its daily figure. */
const FIGURES = {
  bytes: { metricName: "BytesUsedForCache", stat: "Maximum" },
  memory: { metricName: "DatabaseMemoryUsagePercentage", stat: "Maximum" },
  fragmentation: { metricName: "MemoryFragmentationRatio", stat: "Average" },
  cpu: { metricName: "EngineCPUUtilization", stat: "Maximum" },
  connections: { metricName: "CurrConnections", stat: "Maximum" },
  keys: { metricName: "CurrItems", stat: "Maximum" },
} as const;
type Figure = keyof typeof FIGURES;

/** Redis OSS and Valkey node-based caches: what a forecast and a rightsizing cover (not Memcached, not serverless). */
export function hasCapacityFigures(cache: Cache): boolean {
  return cache.kind !== "serverless" && cache.engine !== "memcached" && cache.nodeType !== null && cache.nodes.length > 0;
}

/** The 14 whole UTC days before `now`'s day: a day still under way would understate its peak. */
export function capacityWindow(now: number): { start: number; end: number } {
  const end = Math.floor(now / DAY_MS) * DAY_MS;
  return { start: end - CAPACITY_DAYS * DAY_MS, end };
}

const keyOf = (cacheId: string, member: string, figure: Figure) => `cap|${cacheId}|${member}|${figure}`;

export function capacityRequests(caches: Cache[]): MetricRequest[] {
  return caches.filter(hasCapacityFigures).flatMap((cache) =>
    cache.nodes.flatMap((node) =>
      (Object.keys(FIGURES) as Figure[]).map((figure) => ({
        key: keyOf(cache.id, node.cacheClusterId, figure),
        namespace: ns,
        metricName: FIGURES[figure].metricName,
        dimensions: { CacheClusterId: node.cacheClusterId },
        stat: FIGURES[figure].stat,
        period: 86_400,
      })),
    ),
  );
}

export interface CacheCapacity {
  forecast: CapacityForecast;
  recommendation: Recommendation | null;
  /** Daily memory peaks (percent of maxmemory), for the chart. */
  memory: DailyPeaks;
  /** Date of the price the saving uses (the current node type's); null without a price. */
  priceDate: string | null;
}

/** Per day, the largest (or summed) value over the members that have one. */
function acrossMembers(series: (MetricSeries | undefined)[], how: "max" | "sum" | "mean"): DailyPeaks {
  const byDay = new Map<number, { max: number; sum: number; n: number }>();
  for (const s of series) {
    if (!s) continue;
    for (let i = 0; i < s.timestamps.length; i++) {
      const v = s.values[i];
      const day = byDay.get(s.timestamps[i]);
      if (day) {
        day.max = Math.max(day.max, v);
        day.sum += v;
        day.n++;
      } else byDay.set(s.timestamps[i], { max: v, sum: v, n: 1 });
    }
  }
  const days = [...byDay.keys()].sort((a, b) => a - b);
  const values = days.map((d) => {
    const { max, sum, n } = byDay.get(d)!;
    return how === "max" ? max : how === "sum" ? sum : sum / n;
  });
  return { days, values };
}

const peakOf = (p: DailyPeaks): number => (p.values.length ? Math.max(...p.values) : 0);

/** A cache's forecast and recommendation from the capacity read; null when it has no figures (or none came back). */
export function capacityOf(cache: Cache, read: Map<string, MetricSeries>, now: number, priceOf: PriceOf): Omit<CacheCapacity, "priceDate"> | null {
  if (!hasCapacityFigures(cache)) return null;
  const members = (role: "primary" | "replica" | null, figure: Figure) =>
    cache.nodes.filter((n) => role === null || n.role === role).map((n) => read.get(keyOf(cache.id, n.cacheClusterId, figure)));
  const memory = acrossMembers(members(null, "memory"), "max");
  if (memory.days.length === 0) return null;
  const shards = Math.max(1, cache.shards.length);
  const keysAll = acrossMembers(members(null, "keys"), "sum");
  // Every node of a shard holds its keys: the cache's keys are the members' sum over the nodes a shard has.
  const perShard = cache.nodes.length / shards;
  const keys = { days: keysAll.days, values: keysAll.values.map((v) => v / perShard) };
  const forecast = forecastCapacity({ memory, connections: acrossMembers(members(null, "connections"), "max"), keys }, now);
  const replicas = members("replica", "cpu");
  const recommendation = rightsize(
    {
      shape: { nodeType: cache.nodeType!, shards, replicasPerShard: Math.max(0, Math.round(perShard) - 1) },
      clusterMode: cache.clusterMode,
      multiAz: cache.multiAz === true,
      automaticFailover: cache.automaticFailover === "enabled" || cache.automaticFailover === "enabling",
      peaks: {
        memoryBytes: peakOf(acrossMembers(members(null, "bytes"), "max")),
        memoryPercent: peakOf(memory) || null,
        fragmentation: peakOf(acrossMembers(members(null, "fragmentation"), "mean")) || 1,
        primaryEngineCpu: peakOf(acrossMembers(members(cache.nodes.some((n) => n.role === "primary") ? "primary" : null, "cpu"), "max")),
        replicaEngineCpu: replicas.some((s) => s?.values.length) ? peakOf(acrossMembers(replicas, "max")) : null,
      },
    },
    priceOf,
  );
  return { forecast, recommendation, memory };
}
