import type { DrillHistoryItem } from "@/lib/drills/model";
import { formatDuration } from "@/lib/duration";

// Is recovery getting slower? The latest drills are compared with the ones before them, medians against medians so
// one odd run does not swing the answer, and a change under 20% counts as steady.

export type TrendMetric = "newPrimaryMs" | "healthyMs" | "writeOutageMs";
export type TrendDirection = "slower" | "faster" | "steady" | "insufficient-data";

export const trendMetricLabels: Record<TrendMetric, string> = {
  newPrimaryMs: "Time to new primary",
  healthyMs: "Time to fully healthy",
  writeOutageMs: "Longest write outage",
};

export interface TrendPoint {
  drillId: number;
  at: string;
  value: number;
}

export interface Trend {
  metric: TrendMetric;
  /** Oldest first. */
  points: TrendPoint[];
  recentMedian: number | null;
  baselineMedian: number | null;
  /** recent ÷ baseline; null without both. */
  ratio: number | null;
  direction: TrendDirection;
  summary: string;
}

/** A change smaller than this factor either way is noise. */
export const TREND_THRESHOLD = 1.2;
const BASELINE_SIZE = 5;

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** How many of the latest points form "recent": one until there are enough to smooth out a single run. */
function recentSize(points: number): number {
  if (points >= 6) return 3;
  if (points >= 4) return 2;
  return 1;
}

export function computeTrend(history: DrillHistoryItem[], metric: TrendMetric): Trend {
  const points = history
    .filter((d) => d.status === "completed" && d[metric] !== null)
    .map((d) => ({ drillId: d.id, at: d.requestedAt, value: d[metric] as number }))
    .sort((a, b) => a.at.localeCompare(b.at) || a.drillId - b.drillId);
  const label = trendMetricLabels[metric];
  if (points.length < 2) {
    return {
      metric,
      points,
      recentMedian: points.length === 1 ? points[0].value : null,
      baselineMedian: null,
      ratio: null,
      direction: "insufficient-data",
      summary: `${label}: ${points.length === 0 ? "no completed drill yet" : "one completed drill so far"}; a trend needs two.`,
    };
  }
  const size = recentSize(points.length);
  const recent = points.slice(-size).map((p) => p.value);
  const baseline = points.slice(Math.max(0, points.length - size - BASELINE_SIZE), points.length - size).map((p) => p.value);
  const recentMedian = median(recent)!;
  const baselineMedian = median(baseline)!;
  const ratio = baselineMedian === 0 ? (recentMedian === 0 ? 1 : Number.POSITIVE_INFINITY) : recentMedian / baselineMedian;
  const direction: TrendDirection = ratio >= TREND_THRESHOLD ? "slower" : ratio <= 1 / TREND_THRESHOLD ? "faster" : "steady";
  const change = Number.isFinite(ratio) ? `${Math.round(Math.abs(ratio - 1) * 100)}%` : "much";
  const comparison = `${formatDuration(recentMedian)} lately against ${formatDuration(baselineMedian)} before`;
  const summary =
    direction === "steady"
      ? `${label} is steady: ${comparison}.`
      : `${label} is getting ${direction} (${change} ${direction === "slower" ? "longer" : "shorter"}): ${comparison}.`;
  return { metric, points, recentMedian, baselineMedian, ratio, direction, summary };
}
