import { BUCKET_BYTES, BucketColumns, COLUMNS_OVERHEAD_BYTES } from "./bucket-columns";
import { metricKey, type MetricIdentity } from "./dimensions";
import type { Aggregate } from "./statistics";

/**
 * Retention, by time and by memory:
 * - fine tier: every series keeps 1-second buckets (count, sum, min, max, plus raw values for percentiles) for
 *   `fineRetentionSeconds` (3 h, as CloudWatch keeps high-resolution data);
 * - coarse tier: 60-second buckets (count, sum, min, max) for `coarseRetentionSeconds` (15 days, as CloudWatch keeps
 *   1-minute data);
 * - memory: when the estimated footprint passes `memoryBudgetBytes`, retention shrinks (coarse tier first, then the
 *   fine tier down to 10 minutes) until it fits; it grows back once usage falls under half the budget;
 * - at most `maxSeries` series across all regions; a new series past the cap is refused.
 * Like CloudWatch, the store is regional: each region has its own metrics; the budgets are shared.
 */
export interface MetricStoreOptions {
  fineRetentionSeconds?: number;
  coarseRetentionSeconds?: number;
  memoryBudgetBytes?: number;
  maxSeries?: number;
  /** Wall clock in milliseconds; tests move it. */
  now?: () => number;
}

export const DEFAULT_STORE_OPTIONS = {
  fineRetentionSeconds: 3 * 3600,
  coarseRetentionSeconds: 15 * 86400,
  memoryBudgetBytes: 256 * 1024 * 1024,
  maxSeries: 50_000,
} as const;

const MIN_FINE_RETENTION_SECONDS = 600;
/** Above this many distinct values in one second of one series, neighbouring values merge (percentiles turn approximate). */
const MAX_PAIRS_PER_BUCKET = 512;
// What a series costs besides its buckets and strings, measured on Node 20 with --expose-gc (heap and array buffers
// after a full GC, per series, over 20,000 series of one point and 5,000 of a hundred): the StoredSeries, its identity
// and raw-values Map, its entries in the store's maps, plus one object per dimension. The store's estimate stays
// within a few percent of that measured heap (tests/unit/cloudwatch/metric-store-memory.test.ts).
const SERIES_OVERHEAD_BYTES = 500;
const DIMENSION_BYTES = 48;
const PRUNE_EVERY_SECONDS = 10;

export interface Observation {
  /** Epoch seconds. */
  timestamp: number;
  count: number;
  sum: number;
  min: number;
  max: number;
  /** (value, count) pairs, flattened; null for a statistic set that cannot give percentiles. */
  pairs: number[] | null;
  unit?: string;
  /** 60 (standard) stores the point on its minute, 1 (high resolution) on its second. */
  storageResolution: 1 | 60;
}

export class StoredSeries {
  readonly fine = new BucketColumns(1);
  readonly coarse = new BucketColumns(60);
  /** Raw (value, count) pairs of fine buckets that got more than one distinct value; null = percentiles unknowable. */
  readonly raw = new Map<number, number[] | null>();
  rawValues = 0;
  unit: string | undefined;
  /** Wall-clock ms of the last write (ListMetrics RecentlyActive). */
  lastWrite = 0;
  /** Points before this time (epoch seconds) were seeded from a workload model, not measured (./seeded-history.ts). */
  seededUntil: number | undefined;
  seedModel: string | undefined;

  constructor(
    readonly key: string,
    readonly id: MetricIdentity,
  ) {}

  estimatedBytes(): number {
    return (
      SERIES_OVERHEAD_BYTES +
      this.id.dimensions.length * DIMENSION_BYTES +
      // the key, and the identity's strings it repeats
      this.key.length * 2 +
      2 * COLUMNS_OVERHEAD_BYTES +
      (this.fine.capacity + this.coarse.capacity) * BUCKET_BYTES +
      this.raw.size * 48 +
      this.rawValues * 8
    );
  }
}

/** A series computed on demand: identified and aggregated like a stored one. */
export interface ComputedSeries {
  readonly key: string;
  readonly id: MetricIdentity;
  readonly unit: string | undefined;
  readonly lastWrite: number;
  aggregate(alignedStart: number, end: number, period: number, withPairs: boolean): { timestamps: number[]; aggregates: Aggregate[] };
}

export type SeriesView = StoredSeries | ComputedSeries;

export interface SeriesModel {
  get(region: string, id: MetricIdentity): ComputedSeries | undefined;
  all(region: string): Iterable<ComputedSeries>;
}

export class LimitError extends Error {}

export class MetricStore {
  readonly options: Required<Omit<MetricStoreOptions, "now">>;
  private readonly now: () => number;
  /** Series by region, then by metric key: CloudWatch is regional. */
  private readonly regions = new Map<string, Map<string, StoredSeries>>();
  private seriesCount = 0;
  private fineRetention: number;
  private coarseRetention: number;
  /** Fine data before this time has been dropped (by retention or memory); older queries read the coarse tier. */
  private fineDroppedBefore = -Infinity;
  private lastPrune = 0;
  private bytes = 0;
  private model: SeriesModel | undefined;

  constructor(options: MetricStoreOptions = {}) {
    const { now, ...rest } = options;
    this.options = { ...DEFAULT_STORE_OPTIONS, ...stripUndefined(rest) };
    this.now = now ?? Date.now;
    this.fineRetention = this.options.fineRetentionSeconds;
    this.coarseRetention = this.options.coarseRetentionSeconds;
    this.lastPrune = this.nowSeconds();
  }

  nowSeconds(): number {
    return this.now() / 1000;
  }

  /** Records one observation. Throws LimitError when it would start a series past the cap. */
  put(region: string, id: MetricIdentity, obs: Observation): void {
    const now = this.nowSeconds();
    const sincePrune = now - this.lastPrune;
    if (sincePrune >= PRUNE_EVERY_SECONDS || (this.bytes > this.options.memoryBudgetBytes && sincePrune >= 1)) this.prune();
    if (obs.timestamp < now - this.coarseRetention) return;
    const series = this.seriesFor(region, id);
    const before = series.estimatedBytes();
    const at = obs.storageResolution === 60 ? Math.floor(obs.timestamp / 60) * 60 : obs.timestamp;
    if (at >= this.fineHorizon()) {
      const previous = this.previousPairs(series, at);
      const { bucket } = series.fine.add(at, obs.count, obs.sum, obs.min, obs.max);
      this.mergeRaw(series, bucket, previous, obs);
    }
    series.coarse.add(at, obs.count, obs.sum, obs.min, obs.max);
    if (obs.unit) series.unit = obs.unit;
    series.lastWrite = this.now();
    this.bytes += series.estimatedBytes() - before;
  }

  /** Series that are computed rather than stored (simulated nodes' metrics); they answer after the stored ones. */
  attachModel(model: SeriesModel): void {
    this.model = model;
  }

  /** Marks a series' points before `until` as seeded from `model` (GetMetricData says so in its Messages). */
  markSeeded(region: string, id: MetricIdentity, until: number, model: string): void {
    const series = this.get(region, id);
    if (!series) return;
    series.seededUntil = until;
    series.seedModel = model;
  }

  get(region: string, id: MetricIdentity): StoredSeries | undefined {
    return this.regions.get(region)?.get(metricKey(id));
  }

  /** A stored series, else a computed one: what queries read. */
  find(region: string, id: MetricIdentity): SeriesView | undefined {
    return this.get(region, id) ?? this.model?.get(region, id);
  }

  *all(region: string): Iterable<SeriesView> {
    yield* this.regions.get(region)?.values() ?? [];
    if (this.model) yield* this.model.all(region);
  }

  /** The time from which the fine (1 s) tier is complete. */
  fineHorizon(): number {
    return Math.max(this.nowSeconds() - this.fineRetention, this.fineDroppedBefore);
  }

  /**
   * Aggregates `series` into buckets of `period` seconds starting at `alignedStart`, up to `end` (exclusive). Minute
   * periods read the 60 s tier (its buckets are exact sums of the 1 s ones), unless a percentile needs the raw values
   * the 1 s tier still holds for the window; shorter periods read the 1 s tier.
   */
  aggregate(series: SeriesView, alignedStart: number, end: number, period: number, withPairs: boolean): { timestamps: number[]; aggregates: Aggregate[] } {
    if (!(series instanceof StoredSeries)) return series.aggregate(alignedStart, end, period, withPairs);
    const useFine = period % 60 !== 0 || (withPairs && alignedStart >= this.fineHorizon());
    const columns = useFine ? series.fine : series.coarse;
    const timestamps: number[] = [];
    const aggregates: Aggregate[] = [];
    let current: Aggregate | undefined;
    let currentStart = NaN;
    for (let i = columns.lowerBound(alignedStart); i < columns.length; i++) {
      const t = columns.timeAt(i);
      if (t >= end) break;
      const bucketStart = alignedStart + Math.floor((t - alignedStart) / period) * period;
      if (bucketStart !== currentStart) {
        current = { count: 0, sum: 0, min: Infinity, max: -Infinity, pairs: withPairs ? [] : null };
        currentStart = bucketStart;
        timestamps.push(bucketStart);
        aggregates.push(current);
      }
      const a = current!;
      const count = columns.countAt(i);
      const min = columns.minAt(i);
      const max = columns.maxAt(i);
      a.count += count;
      a.sum += columns.sumAt(i);
      if (min < a.min) a.min = min;
      if (max > a.max) a.max = max;
      if (a.pairs) {
        const pairs = useFine && series.raw.has(t) ? series.raw.get(t)! : derivablePairs(count, min, max);
        if (pairs) for (const v of pairs) a.pairs.push(v);
        else a.pairs = null;
      }
    }
    return { timestamps, aggregates };
  }

  usage(): { series: number; buckets: number; bytes: number; fineRetentionSeconds: number; coarseRetentionSeconds: number } {
    let buckets = 0;
    let bytes = 0;
    for (const series of this.regions.values()) {
      for (const s of series.values()) {
        buckets += s.fine.length + s.coarse.length;
        bytes += s.estimatedBytes();
      }
    }
    return { series: this.seriesCount, buckets, bytes, fineRetentionSeconds: this.fineRetention, coarseRetentionSeconds: this.coarseRetention };
  }

  /** Applies retention, shrinking it while the store is over its memory budget, and forgets empty series. */
  prune(): void {
    const now = this.nowSeconds();
    this.lastPrune = now;
    const budget = this.options.memoryBudgetBytes;
    this.bytes = this.dropOlderThan(now);
    if (this.bytes < budget / 2) {
      this.coarseRetention = Math.min(this.options.coarseRetentionSeconds, this.coarseRetention * 1.25);
      this.fineRetention = Math.min(this.options.fineRetentionSeconds, this.fineRetention * 1.25);
    }
    while (this.bytes > budget) {
      if (this.coarseRetention > this.fineRetention) this.coarseRetention = Math.max(this.fineRetention, this.coarseRetention * 0.8);
      else if (this.fineRetention > MIN_FINE_RETENTION_SECONDS) {
        this.fineRetention = Math.max(MIN_FINE_RETENTION_SECONDS, this.fineRetention * 0.8);
        this.coarseRetention = this.fineRetention;
      } else break;
      this.bytes = this.dropOlderThan(now);
    }
  }

  private dropOlderThan(now: number): number {
    const fineCutoff = now - this.fineRetention;
    const coarseCutoff = now - this.coarseRetention;
    this.fineDroppedBefore = Math.max(this.fineDroppedBefore, fineCutoff);
    let bytes = 0;
    for (const series of this.regions.values()) {
      for (const [key, s] of series) {
        s.fine.dropBefore(fineCutoff);
        s.coarse.dropBefore(coarseCutoff);
        for (const [t, pairs] of s.raw) {
          if (t >= fineCutoff) continue;
          s.rawValues -= pairs?.length ?? 0;
          s.raw.delete(t);
        }
        if (s.fine.length === 0 && s.coarse.length === 0) {
          series.delete(key);
          this.seriesCount--;
        } else bytes += s.estimatedBytes();
      }
    }
    return bytes;
  }

  private seriesFor(region: string, id: MetricIdentity): StoredSeries {
    const key = metricKey(id);
    let inRegion = this.regions.get(region);
    const existing = inRegion?.get(key);
    if (existing) return existing;
    if (this.seriesCount >= this.options.maxSeries) {
      this.prune();
      if (this.seriesCount >= this.options.maxSeries) throw new LimitError(`The metric store holds its maximum of ${this.options.maxSeries} metrics`);
    }
    if (!inRegion) this.regions.set(region, (inRegion = new Map()));
    const series = new StoredSeries(key, id);
    inRegion.set(key, series);
    this.seriesCount++;
    return series;
  }

  /** The (value, count) pairs already in the fine bucket holding `at`; undefined when there is no such bucket yet. */
  private previousPairs(series: StoredSeries, at: number): number[] | null | undefined {
    const bucket = series.fine.bucketOf(at);
    const i = series.fine.lowerBound(bucket);
    if (i >= series.fine.length || series.fine.timeAt(i) !== bucket) return undefined;
    const raw = series.raw.get(bucket);
    return raw !== undefined ? raw : derivablePairs(series.fine.countAt(i), series.fine.minAt(i), series.fine.maxAt(i));
  }

  private mergeRaw(series: StoredSeries, bucket: number, previous: number[] | null | undefined, obs: Observation) {
    let merged: number[] | null;
    if (previous === undefined) {
      if (obs.pairs && obs.pairs.length <= 2) return; // one distinct value: the aggregate already says it all
      merged = obs.pairs ? compress([...obs.pairs]) : null;
    } else {
      merged = previous && obs.pairs ? compress([...previous, ...obs.pairs]) : null;
    }
    series.rawValues += (merged?.length ?? 0) - (series.raw.get(bucket)?.length ?? 0);
    series.raw.set(bucket, merged);
  }
}

/** A bucket without raw pairs still gives percentiles when all its observations were one value. */
function derivablePairs(count: number, min: number, max: number): number[] | null {
  return count === 1 || min === max ? [min, count] : null;
}

function compress(pairs: number[]): number[] {
  if (pairs.length <= MAX_PAIRS_PER_BUCKET * 2) return pairs;
  const points = [];
  for (let i = 0; i < pairs.length; i += 2) points.push([pairs[i], pairs[i + 1]] as const);
  points.sort((a, b) => a[0] - b[0]);
  let merged: (readonly [number, number])[] = points;
  while (merged.length > MAX_PAIRS_PER_BUCKET / 2) {
    const next: (readonly [number, number])[] = [];
    for (let i = 0; i < merged.length; i += 2) {
      const a = merged[i];
      const b = merged[i + 1];
      if (!b) next.push(a);
      else next.push([(a[0] * a[1] + b[0] * b[1]) / (a[1] + b[1]), a[1] + b[1]]);
    }
    merged = next;
  }
  return merged.flat();
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
