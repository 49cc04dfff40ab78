import type { StandardUnit } from "./validation";

// What the collector's per-engine calculators share: the shape of a computed metric and the arithmetic of counters.

/** A gauge or a per-interval counter value, or (for latencies) a statistic set over the interval's calls. */
export interface MetricValue {
  name: string;
  unit: StandardUnit;
  value?: number;
  stats?: { count: number; sum: number; min: number; max: number };
}

/** Two consecutive readings of a node's counters; `restarted` when the process changed in between. */
export interface CounterReadings {
  current: Record<string, string>;
  previous: Record<string, string>;
  restarted: boolean;
}

export function num(fields: Record<string, string>, name: string): number {
  const v = Number(fields[name]);
  return Number.isFinite(v) ? v : 0;
}

/**
 * How much a counter grew between two readings. A restarted process (or a counter reset) starts again from 0, so
 * the growth is then the current reading itself: never negative.
 */
export function counterDelta(r: CounterReadings, name: string): number {
  const now = num(r.current, name);
  if (r.restarted) return now;
  const before = num(r.previous, name);
  return now >= before ? now - before : now;
}

export function gauge(name: string, unit: StandardUnit, value: number): MetricValue {
  return { name, unit, value };
}

export function hitRate(hits: number, misses: number): MetricValue[] {
  return hits + misses > 0 ? [gauge("CacheHitRate", "Percent", (100 * hits) / (hits + misses))] : [];
}

/** CPU seconds over wall seconds, as a percentage of `cores` cores. */
export function cpuPercent(cpuSecondsDelta: number, intervalSeconds: number, cores: number): number {
  if (intervalSeconds <= 0 || cores <= 0) return 0;
  return Math.min(100, Math.max(0, (100 * cpuSecondsDelta) / (intervalSeconds * cores)));
}
