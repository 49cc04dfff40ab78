// When a cache runs out of room: a straight line through its daily peaks and the day that line crosses the limit.
// Pure arithmetic (no AWS, no clock), so the figures are checked against hand-computed cases in unit tests and a
// fleet of a thousand caches takes a few milliseconds (docs/cost.md, "Capacity and rightsizing").

export const DAY_MS = 86_400_000;
/** Further than this, a date is a guess: "not within 90 days". */
export const HORIZON_DAYS = 90;
/** A line through fewer days says nothing. */
export const MIN_DAYS = 3;
/** ElastiCache accepts at most this many client connections per node (maxclients). */
export const CONNECTION_LIMIT = 65_000;

/** One figure's daily peaks: `days[i]` is the UTC midnight (epoch ms) of the day whose peak is `values[i]`. */
export interface DailyPeaks {
  days: number[];
  values: number[];
}

export interface Trend {
  /** Change per day. */
  slopePerDay: number;
  /** The line's value at `origin`. */
  intercept: number;
  /** Epoch ms the line is measured from (the first day). */
  origin: number;
}

/** Ordinary least squares of the peaks against their day; null with fewer than MIN_DAYS days. */
export function fitTrend(peaks: DailyPeaks): Trend | null {
  const n = peaks.days.length;
  if (n < MIN_DAYS) return null;
  const origin = peaks.days[0];
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += (peaks.days[i] - origin) / DAY_MS;
    sy += peaks.values[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = (peaks.days[i] - origin) / DAY_MS - mx;
    sxy += dx * (peaks.values[i] - my);
    sxx += dx * dx;
  }
  const slopePerDay = sxx === 0 ? 0 : sxy / sxx;
  return { slopePerDay, intercept: my - slopePerDay * mx, origin };
}

export function trendAt(trend: Trend, t: number): number {
  return trend.intercept + (trend.slopePerDay * (t - trend.origin)) / DAY_MS;
}

export interface LimitForecast {
  trend: Trend;
  limit: number;
  /** The newest day's peak. */
  latest: number;
  /**
   * Epoch ms when the trend reaches the limit: the newest day when its peak already did, null when the trend does
   * not reach it within HORIZON_DAYS of `now` (flat, falling or slow).
   */
  reachesAt: number | null;
}

/** When `peaks` reach `limit` at their trend, seen from `now`. */
export function forecastLimit(peaks: DailyPeaks, limit: number, now: number): LimitForecast | null {
  const trend = fitTrend(peaks);
  if (!trend) return null;
  const latest = peaks.values[peaks.values.length - 1];
  if (latest >= limit) return { trend, limit, latest, reachesAt: peaks.days[peaks.days.length - 1] };
  if (trend.slopePerDay <= 0) return { trend, limit, latest, reachesAt: null };
  const at = trend.origin + ((limit - trend.intercept) / trend.slopePerDay) * DAY_MS;
  const reachesAt = Math.max(at, now);
  return { trend, limit, latest, reachesAt: reachesAt - now <= HORIZON_DAYS * DAY_MS ? reachesAt : null };
}

/** The figures a capacity forecast follows, with the limit each is held to (null: a trend without a limit). */
export type CapacityFigure = "memory" | "connections" | "keys";

export interface CapacityPeaks {
  /**
   * Memory in percent of its limit, the busiest node's: Redis OSS / Valkey DatabaseMemoryUsagePercentage (used_memory
   * over maxmemory), Memcached BytesUsedForCacheItems over limit_maxbytes, serverless BytesUsedForCache over the
   * cache's data-storage maximum; null when there is no limit to hold it to.
   */
  memory: DailyPeaks | null;
  /** CurrConnections of the busiest node; null where not followed (serverless). */
  connections: DailyPeaks | null;
  /** CurrItems of the cache (all shards); null where not followed. */
  keys: DailyPeaks | null;
}

export interface CapacityForecast {
  memory: LimitForecast | null;
  connections: LimitForecast | null;
  /** Keys have no limit of their own (they take memory): their trend only. */
  keys: Trend | null;
  /** The earliest date a limit is reached, and which; null when none is within the horizon. */
  fillsUpAt: number | null;
  fillsUp: Exclude<CapacityFigure, "keys"> | null;
}

/** A cache's forecast: memory against 100% of maxmemory (evictions start), connections against 65,000 a node. */
export function forecastCapacity(peaks: CapacityPeaks, now: number): CapacityForecast {
  const memory = peaks.memory && forecastLimit(peaks.memory, 100, now);
  const connections = peaks.connections && forecastLimit(peaks.connections, CONNECTION_LIMIT, now);
  const candidates = [
    ["memory", memory?.reachesAt ?? null],
    ["connections", connections?.reachesAt ?? null],
  ] as const;
  let fillsUp: CapacityForecast["fillsUp"] = null;
  let fillsUpAt: number | null = null;
  for (const [figure, at] of candidates) {
    if (at !== null && (fillsUpAt === null || at < fillsUpAt)) {
      fillsUp = figure;
      fillsUpAt = at;
    }
  }
  return { memory, connections, keys: peaks.keys && fitTrend(peaks.keys), fillsUpAt, fillsUp };
}
