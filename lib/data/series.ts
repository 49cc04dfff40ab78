/** A value per grid slot; null where CloudWatch had no data point. */
export type Values = (number | null)[];

export interface RawSeries {
  timestamps: number[];
  values: number[];
}

export interface Grid {
  /** Epoch ms of each slot's start, ascending, one per period. */
  times: number[];
  periodMs: number;
}

/** Slots covering [start, end) at `period` seconds, aligned to the period like CloudWatch's own buckets. */
export function timeGrid(start: number, end: number, period: number): Grid {
  const periodMs = period * 1000;
  const times: number[] = [];
  for (let t = Math.floor(start / periodMs) * periodMs; t < end; t += periodMs) times.push(t);
  return { times, periodMs };
}

/** Places each point in the slot that contains it, so series line up whatever their exact timestamps. */
export function onGrid(series: RawSeries | undefined, grid: Grid): Values {
  const values: Values = grid.times.map(() => null);
  if (!series || grid.times.length === 0) return values;
  const first = grid.times[0];
  series.timestamps.forEach((t, i) => {
    const slot = Math.floor((t - first) / grid.periodMs);
    if (slot >= 0 && slot < values.length) values[slot] = (values[slot] ?? 0) + series.values[i];
  });
  return values;
}

export type Combine = "sum" | "max" | "avg";

/** Combines several aligned series slot by slot; a slot with no value in any series stays null. */
export function combine(all: Values[], how: Combine): Values {
  const length = Math.max(0, ...all.map((v) => v.length));
  return Array.from({ length }, (_, i) => {
    const present = all.map((v) => v[i]).filter((v): v is number => v !== null && v !== undefined);
    if (present.length === 0) return null;
    if (how === "max") return Math.max(...present);
    const sum = present.reduce((a, b) => a + b, 0);
    return how === "sum" ? sum : sum / present.length;
  });
}

/** 100·hits/(hits+misses) per slot; null where there were no lookups. */
export function hitRatePercent(hits: Values, misses: Values): Values {
  return hits.map((h, i) => {
    const total = (h ?? 0) + (misses[i] ?? 0);
    return total > 0 ? (100 * (h ?? 0)) / total : null;
  });
}

/** Turns per-period counts into per-second rates. */
export function perSecond(values: Values, periodSeconds: number): Values {
  return values.map((v) => (v === null ? null : v / periodSeconds));
}

export function present(values: Values): number[] {
  return values.filter((v): v is number => v !== null);
}

export function total(values: Values): number | null {
  const p = present(values);
  return p.length ? p.reduce((a, b) => a + b, 0) : null;
}

export function peak(values: Values): number | null {
  const p = present(values);
  return p.length ? Math.max(...p) : null;
}

export function mean(values: Values): number | null {
  const p = present(values);
  return p.length ? p.reduce((a, b) => a + b, 0) / p.length : null;
}

export function latest(values: Values): number | null {
  for (let i = values.length - 1; i >= 0; i -= 1) if (values[i] !== null) return values[i];
  return null;
}

/** A count gauge (keys, connections) as of the last slot with data: CloudWatch averages it over the period, so the
 * slot's value can be a fraction no node ever held; the nearest whole count is what the node reports. */
export function latestCount(values: Values): number | null {
  const value = latest(values);
  return value === null ? null : Math.round(value);
}

/** The longest run of consecutive slots with data whose value satisfies `test` (empty slots break a run). */
export function longestRun(values: Values, test: (v: number) => boolean): number {
  let best = 0;
  let run = 0;
  for (const v of values) {
    run = v !== null && test(v) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

export type ChartRow = { t: number } & Record<string, number | null>;

/** recharts wants one object per x value with a property per line. */
export function toChartRows(grid: Grid, lines: Record<string, Values>): ChartRow[] {
  return grid.times.map((t, i) => {
    const row: ChartRow = { t };
    for (const [key, values] of Object.entries(lines)) row[key] = values[i] ?? null;
    return row;
  });
}

/**
 * At most `maxRows` rows for a chart `maxRows`-ish pixels wide: drawing more points than pixels costs time and shows
 * nothing more. Rows fall into equal buckets; each line keeps, per bucket, the value farthest from the one it kept
 * before, so spikes and dips survive (an average would flatten the failover's spike the chart is there to show).
 */
export function downsampleRows(rows: ChartRow[], keys: string[], maxRows: number): ChartRow[] {
  const target = Math.max(2, Math.floor(maxRows));
  if (rows.length <= target) return rows;
  const size = rows.length / target;
  const previous: Record<string, number | null> = {};
  const out: ChartRow[] = [];
  for (let b = 0; b < target; b += 1) {
    const bucket = rows.slice(Math.floor(b * size), Math.floor((b + 1) * size));
    const row: ChartRow = { t: bucket[0].t };
    for (const key of keys) {
      let kept: number | null = null;
      let from = previous[key] ?? null;
      for (const r of bucket) {
        const v = r[key];
        if (v === null || v === undefined) continue;
        from ??= v;
        if (kept === null || Math.abs(v - from) > Math.abs(kept - from)) kept = v;
      }
      row[key] = kept;
      if (kept !== null) previous[key] = kept;
    }
    out.push(row);
  }
  return out;
}
