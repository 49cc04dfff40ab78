import type { MetricRequest, MetricSeries } from "@/lib/aws/cloudwatch";
import type { Cache } from "@/lib/aws/model";
import { DAY_MS, fitTrend, forecastCapacity, type CapacityForecast, type DailyPeaks } from "@/lib/capacity/forecast";
import { GIB, NODE_TYPE_FACTS } from "@/lib/capacity/node-types";
import { rightsize, type PriceOf, type Recommendation } from "@/lib/capacity/rightsizing";

// A cache's capacity from 14 days of CloudWatch daily statistics: one GetMetricData per region a few times a day
// (the watcher's capacity read), shaped here into daily peaks, a forecast and a rightsizing recommendation.

export const CAPACITY_DAYS = 14;
/** The capacity read repeats this often: daily peaks change once a day, so four reads a day are plenty. */
export const CAPACITY_READ_EVERY_MS = 6 * 3600_000;

const ns = "AWS/ElastiCache";
/**
 * What is read, with the statistic of its daily figure: for Redis OSS / Valkey per member cluster
 * ({CacheClusterId}, one node each), for Memcached per node ({CacheClusterId, CacheNodeId}), for a serverless cache
 * once ({clusterId}). NetworkBytesIn / Out are per-minute counters, so a day's Maximum is its busiest minute's bytes.
 */
const FIGURES = {
  bytes: { metricName: "BytesUsedForCache", stat: "Maximum" },
  memory: { metricName: "DatabaseMemoryUsagePercentage", stat: "Maximum" },
  fragmentation: { metricName: "MemoryFragmentationRatio", stat: "Average" },
  cpu: { metricName: "EngineCPUUtilization", stat: "Maximum" },
  connections: { metricName: "CurrConnections", stat: "Maximum" },
  keys: { metricName: "CurrItems", stat: "Maximum" },
  networkIn: { metricName: "NetworkBytesIn", stat: "Maximum" },
  networkOut: { metricName: "NetworkBytesOut", stat: "Maximum" },
  itemBytes: { metricName: "BytesUsedForCacheItems", stat: "Maximum" },
} as const;
type Figure = keyof typeof FIGURES;
type Basis = "redis" | "memcached" | "serverless";
const FIGURES_OF: Record<Basis, readonly Figure[]> = {
  redis: ["bytes", "memory", "fragmentation", "cpu", "connections", "keys", "networkIn", "networkOut"],
  memcached: ["itemBytes", "connections", "keys"],
  serverless: ["bytes"],
};

/**
 * Memcached's item memory (limit_maxbytes) is max_cache_memory, about the node's memory, less
 * memcached_connections_overhead: 100 MB by default in ElastiCache's Memcached parameters.
 */
export const MEMCACHED_OVERHEAD_BYTES = 100 * 2 ** 20;
const GB = 1e9;

/** Which figures a cache has: null for one without any (a node-based cache whose nodes or type were not read). */
export function capacityBasis(cache: Cache): Basis | null {
  if (cache.kind === "serverless") return "serverless";
  if (cache.nodeType === null || cache.nodes.length === 0) return null;
  return cache.engine === "memcached" ? "memcached" : "redis";
}

/** The 14 whole UTC days before `now`'s day: a day still under way would understate its peak. */
export function capacityWindow(now: number): { start: number; end: number } {
  const end = Math.floor(now / DAY_MS) * DAY_MS;
  return { start: end - CAPACITY_DAYS * DAY_MS, end };
}

const keyOf = (cacheId: string, member: string, figure: Figure) => `cap|${cacheId}|${member}|${figure}`;

/** The members a cache's figures are read for, with their dimensions and the key part naming them. */
function membersOf(cache: Cache, basis: Basis): { member: string; dimensions: Record<string, string>; node: Cache["nodes"][number] | null }[] {
  if (basis === "serverless") return [{ member: cache.id, dimensions: { clusterId: cache.id }, node: null }];
  if (basis === "memcached") return cache.nodes.map((n) => ({ member: `${n.cacheClusterId}/${n.nodeId}`, dimensions: { CacheClusterId: n.cacheClusterId, CacheNodeId: n.nodeId }, node: n }));
  return cache.nodes.map((n) => ({ member: n.cacheClusterId, dimensions: { CacheClusterId: n.cacheClusterId }, node: n }));
}

export function capacityRequests(caches: Cache[]): MetricRequest[] {
  return caches.flatMap((cache) => {
    const basis = capacityBasis(cache);
    if (!basis) return [];
    return membersOf(cache, basis).flatMap(({ member, dimensions }) =>
      FIGURES_OF[basis].map((figure) => ({
        key: keyOf(cache.id, member, figure),
        namespace: ns,
        metricName: FIGURES[figure].metricName,
        dimensions,
        stat: FIGURES[figure].stat,
        period: 86_400,
      })),
    );
  });
}

export interface CacheCapacity {
  /** Which figures the forecast follows: Redis OSS / Valkey, Memcached or serverless (docs/cost.md). */
  basis: Basis;
  forecast: CapacityForecast;
  /** Redis OSS / Valkey node-based caches only. */
  recommendation: Recommendation | null;
  /** Daily memory peaks in percent of the limit, for the chart (empty for a serverless cache without a maximum). */
  memory: DailyPeaks;
  /**
   * What 100% of `memory` is, in bytes: Memcached's item memory per node, a serverless cache's data-storage maximum;
   * null for Redis OSS / Valkey (maxmemory, through DatabaseMemoryUsagePercentage) and serverless without a maximum.
   */
  limitBytes: number | null;
  /** Data stored (a serverless cache's BytesUsedForCache): latest daily peak and its trend a day; null elsewhere. */
  stored: { latestBytes: number; slopeBytesPerDay: number | null } | null;
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

/** Per member and day, (`a` + `b`) × `scale` (days missing from either are left out). */
function addSeries(a: (MetricSeries | undefined)[], b: (MetricSeries | undefined)[], scale: number): MetricSeries[] {
  return a.flatMap((s, i) => {
    const other = b[i];
    if (!s || !other) return [];
    // Both series of a member nearly always have the same days: add them in place without a lookup.
    const sameDays = s.timestamps.length === other.timestamps.length && s.timestamps.every((t, j) => t === other.timestamps[j]);
    if (sameDays) return [{ ...s, values: s.values.map((v, j) => (v + other.values[j]) * scale) }];
    const byDay = new Map(other.timestamps.map((t, j) => [t, other.values[j]]));
    const timestamps: number[] = [];
    const values: number[] = [];
    s.timestamps.forEach((t, j) => {
      const v = byDay.get(t);
      if (v === undefined) return;
      timestamps.push(t);
      values.push((s.values[j] + v) * scale);
    });
    return [{ ...s, timestamps, values }];
  });
}

const percentOf = (p: DailyPeaks, limit: number): DailyPeaks => ({ days: p.days, values: p.values.map((v) => (100 * v) / limit) });
const nonEmpty = (p: DailyPeaks) => (p.days.length ? p : null);

/** A cache's forecast (and for Redis OSS / Valkey its recommendation) from the capacity read; null without figures. */
export function capacityOf(cache: Cache, read: Map<string, MetricSeries>, now: number, priceOf: PriceOf): Omit<CacheCapacity, "priceDate"> | null {
  const basis = capacityBasis(cache);
  if (!basis) return null;
  const members = membersOf(cache, basis);
  const series = (figure: Figure, role: "primary" | "replica" | null = null) =>
    members.filter((m) => role === null || m.node?.role === role).map((m) => read.get(keyOf(cache.id, m.member, figure)));
  if (basis === "serverless") return serverlessCapacity(cache, acrossMembers(series("bytes"), "max"), now);
  if (basis === "memcached") return memcachedCapacity(cache, series, now);
  return redisCapacity(cache, series, now, priceOf);
}

type SeriesOf = (figure: Figure, role?: "primary" | "replica" | null) => (MetricSeries | undefined)[];

/** Data stored against the maximum the cache was given (CacheUsageLimits.DataStorage), else a trend without a date. */
function serverlessCapacity(cache: Cache, stored: DailyPeaks, now: number): Omit<CacheCapacity, "priceDate"> | null {
  if (stored.days.length === 0) return null;
  const storage = cache.usageLimits?.dataStorage;
  const limitBytes = storage ? storage.maximum * GB : null;
  const memory = limitBytes ? percentOf(stored, limitBytes) : { days: [], values: [] };
  const trend = fitTrend(stored);
  return {
    basis: "serverless",
    forecast: forecastCapacity({ memory: nonEmpty(memory), connections: null, keys: null }, now),
    recommendation: null,
    memory,
    limitBytes,
    stored: { latestBytes: stored.values[stored.values.length - 1], slopeBytesPerDay: trend?.slopePerDay ?? null },
  };
}

/** Each node's item bytes against its limit_maxbytes, connections per node, items over the nodes (they partition the keys). */
function memcachedCapacity(cache: Cache, series: SeriesOf, now: number): Omit<CacheCapacity, "priceDate"> | null {
  const bytes = acrossMembers(series("itemBytes"), "max");
  const connections = acrossMembers(series("connections"), "max");
  if (bytes.days.length === 0 && connections.days.length === 0) return null;
  const type = NODE_TYPE_FACTS.get(cache.nodeType!);
  const limitBytes = type ? type.memoryGiB * GIB - MEMCACHED_OVERHEAD_BYTES : null;
  const memory = limitBytes ? percentOf(bytes, limitBytes) : { days: [], values: [] };
  return {
    basis: "memcached",
    forecast: forecastCapacity({ memory: nonEmpty(memory), connections: nonEmpty(connections), keys: nonEmpty(acrossMembers(series("keys"), "sum")) }, now),
    recommendation: null,
    memory,
    limitBytes,
    stored: null,
  };
}

function redisCapacity(cache: Cache, series: SeriesOf, now: number, priceOf: PriceOf): Omit<CacheCapacity, "priceDate"> | null {
  const memory = acrossMembers(series("memory"), "max");
  if (memory.days.length === 0) return null;
  const shards = Math.max(1, cache.shards.length);
  const keysAll = acrossMembers(series("keys"), "sum");
  // Every node of a shard holds its keys: the cache's keys are the members' sum over the nodes a shard has.
  const perShard = cache.nodes.length / shards;
  const keys = { days: keysAll.days, values: keysAll.values.map((v) => v / perShard) };
  const forecast = forecastCapacity({ memory, connections: acrossMembers(series("connections"), "max"), keys }, now);
  const hasPrimary = cache.nodes.some((n) => n.role === "primary");
  const primaries = hasPrimary ? "primary" : null;
  const replicaPeak = (figure: Figure) => {
    const s = series(figure, "replica");
    return s.some((x) => x?.values.length) ? peakOf(acrossMembers(s, "max")) : null;
  };
  // Bytes a second of the busiest minute: the day's largest per-minute NetworkBytesIn plus NetworkBytesOut, over 60.
  const network = (role: "primary" | "replica" | null) => {
    const s = addSeries(series("networkIn", role), series("networkOut", role), 1 / 60);
    return s.some((x) => x.values.length) ? peakOf(acrossMembers(s, "max")) : null;
  };
  const connectionsOf = (role: "primary" | "replica" | null) => {
    const s = series("connections", role);
    return s.some((x) => x?.values.length) ? peakOf(acrossMembers(s, "max")) : null;
  };
  const recommendation = rightsize(
    {
      shape: { nodeType: cache.nodeType!, shards, replicasPerShard: Math.max(0, Math.round(perShard) - 1) },
      clusterMode: cache.clusterMode,
      multiAz: cache.multiAz === true,
      automaticFailover: cache.automaticFailover === "enabled" || cache.automaticFailover === "enabling",
      peaks: {
        memoryBytes: peakOf(acrossMembers(series("bytes"), "max")),
        memoryPercent: peakOf(memory) || null,
        fragmentation: peakOf(acrossMembers(series("fragmentation"), "mean")) || 1,
        primaryEngineCpu: peakOf(acrossMembers(series("cpu", primaries), "max")),
        replicaEngineCpu: replicaPeak("cpu"),
        primaryNetwork: network(primaries),
        replicaNetwork: hasPrimary ? network("replica") : null,
        primaryConnections: connectionsOf(primaries),
        replicaConnections: hasPrimary ? connectionsOf("replica") : null,
      },
    },
    priceOf,
  );
  return { basis: "redis", forecast, recommendation, memory, limitBytes: null, stored: null };
}
