// Statistics over periods: which names and periods CloudWatch accepts, how a period's buckets are aligned, and how a
// statistic is computed from an aggregate.

export type Stat =
  | { kind: "SampleCount" | "Average" | "Sum" | "Minimum" | "Maximum"; name: string }
  | { kind: "percentile"; p: number; name: string };

export const BASIC_STATISTICS = ["SampleCount", "Average", "Sum", "Minimum", "Maximum"] as const;

/** Periods below a minute that high-resolution metrics support; anything longer is a multiple of 60. */
export const HIGH_RESOLUTION_PERIODS: readonly number[] = [1, 5, 10, 20, 30];

export function parseStat(name: string): Stat | undefined {
  if ((BASIC_STATISTICS as readonly string[]).includes(name)) return { kind: name as (typeof BASIC_STATISTICS)[number], name };
  const m = /^p(\d{1,2}(\.\d{1,10})?|100(\.0{1,10})?)$/.exec(name);
  return m ? { kind: "percentile", p: Number(m[1]), name } : undefined;
}

export function isValidPeriod(period: number): boolean {
  return Number.isInteger(period) && period > 0 && (period % 60 === 0 || HIGH_RESOLUTION_PERIODS.includes(period));
}

/**
 * The first bucket's start for a query starting at `startSeconds`. Like CloudWatch for data younger than 15 days,
 * minute periods start on the whole minute at or before StartTime; sub-minute periods start on a multiple of the period,
 * so 5 s points sit on :00, :05, ... Buckets then follow every `period` seconds from there.
 */
export function alignStart(startSeconds: number, period: number): number {
  const grain = period % 60 === 0 ? 60 : period;
  return Math.floor(startSeconds / grain) * grain;
}

/** How many buckets a window holds (the last one may be partial: EndTime is exclusive). */
export function bucketCount(startSeconds: number, endSeconds: number, period: number): number {
  const first = alignStart(startSeconds, period);
  return Math.max(0, Math.ceil((endSeconds - first) / period));
}

/**
 * The observations of one period. `pairs` holds (value, weight) pairs, flattened, for percentiles; null when a
 * statistic set with distinct minimum and maximum makes percentiles unknowable (CloudWatch's own rule).
 */
export interface Aggregate {
  count: number;
  sum: number;
  min: number;
  max: number;
  pairs: number[] | null;
}

export function statValue(a: Aggregate, stat: Stat): number | undefined {
  if (a.count <= 0) return undefined;
  switch (stat.kind) {
    case "SampleCount":
      return a.count;
    case "Sum":
      return a.sum;
    case "Average":
      return a.sum / a.count;
    case "Minimum":
      return a.min;
    case "Maximum":
      return a.max;
    case "percentile":
      return a.pairs ? weightedPercentile(a.pairs, stat.p) : undefined;
  }
}

/** Nearest-rank percentile over weighted values: the smallest value whose cumulative weight reaches p% of the total. */
export function weightedPercentile(pairs: readonly number[], p: number): number | undefined {
  const n = pairs.length / 2;
  if (n === 0) return undefined;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => pairs[2 * a] - pairs[2 * b]);
  let total = 0;
  for (let i = 0; i < n; i++) total += pairs[2 * i + 1];
  const rank = (p / 100) * total;
  let cumulative = 0;
  for (const i of order) {
    cumulative += pairs[2 * i + 1];
    if (cumulative >= rank && cumulative > 0) return pairs[2 * i];
  }
  return pairs[2 * order[n - 1]];
}
