import "server-only";
import { asSharedReader, getMetricSeries, outsideCallScope, type Cache, type MetricSeries } from "@/lib/aws";
import { priceOf } from "@/lib/cost/prices";
import { CAPACITY_READ_EVERY_MS, capacityOf, capacityRequests, capacityWindow, type CacheCapacity } from "@/lib/data/capacity";
import { decodePoints, encodePoints, type EncodedPoints } from "./series-codec";

const retryAfterMs = 10 * 60_000;
/**
 * Series decoded between two turns of the event loop: all 18,000 at 1,000 groups took 117 ms in one go (24,000 now);
 * 2,000 took 15-24 ms of CPU on a quiet machine, the longest turn of a follower's snapshot.
 */
const seriesPerTurn = 1_000;

function decodeSeries(series: NonNullable<CapacityReadRecord["series"]>): Map<string, MetricSeries> {
  return new Map(series.map(([key, ...points]) => [key, { key, ...decodePoints(points, dayMs), complete: true }]));
}

/** A read's series decoded a slice at a time, `turn` handing the event loop back between slices. */
export async function decodeInTurns(record: CapacityReadRecord, turn: () => Promise<void>): Promise<Map<string, MetricSeries>> {
  const decoded = new Map<string, MetricSeries>();
  const series = record.series ?? [];
  for (let i = 0; i < series.length; i += seriesPerTurn) {
    for (const [key, value] of decodeSeries(series.slice(i, i + seriesPerTurn))) decoded.set(key, value);
    await turn();
  }
  return decoded;
}

/** What a cache's capacity depends on besides the read: engine, type, topology, roles, failover settings and limits. */
function shapeOf(cache: Cache): string {
  let nodes = "";
  for (const n of cache.nodes) nodes += `${n.cacheClusterId}/${n.nodeId}:${n.role},`;
  return `${cache.kind}|${cache.engine}|${cache.nodeType}|${cache.clusterMode}|${cache.multiAz}|${cache.automaticFailover}|${cache.shards.length}|${cache.usageLimits?.dataStorage?.maximum}|${nodes}`;
}

export interface CapacityReadStatus {
  metricsPerRead: number;
  everyMs: number;
  last: number | null;
}

/**
 * One capacity read as a watcher record carries it: each series' daily points encoded (./series-codec.ts: 20,000
 * series of 14 days at 1,100 caches); `series` null when the read failed.
 */
export interface CapacityReadRecord {
  at: number;
  metrics: number;
  series: [key: string, ...points: EncodedPoints][] | null;
}

const dayMs = 86_400_000;

/**
 * A watcher's capacity read: 14 days of daily statistics for every cache of the region (lib/data/capacity.ts says which), read
 * when a page first asks and again once CAPACITY_READ_EVERY_MS has passed — at most four times a day, whoever looks —
 * and the forecasts and recommendations computed from it, kept until the read or the caches change. Only the leading
 * instance reads; the answer comes back as a record the watcher commits (`onRead`), so followers apply the same
 * series (`apply`) and a new leader reads again only when the last read is due.
 */
export class CapacityRead {
  /** The last read applied (the previous one still serves while the next is under way). */
  private held: { record: CapacityReadRecord; series: Map<string, MetricSeries> } | null = null;
  /** When the next read is due: after the interval, or a few minutes after a failed read. */
  private nextAt = 0;
  private pending: number | null = null;
  /** Per cache, what was computed from which read, day and shape: a health read or a tag change recomputes nothing. */
  private memo = new Map<string, { series: Map<string, MetricSeries>; day: number; shape: string; capacity: CacheCapacity | null }>();
  private last: { caches: Cache[]; result: Map<string, CacheCapacity> } | null = null;

  constructor(
    private readonly place: { account: string; region: string },
    /** A read came in (or failed: `error`): the watcher commits it as a record, which applies it here and on the followers. */
    private readonly onRead: (record: CapacityReadRecord, error: unknown) => void,
  ) {}

  /** Capacity by cache id; null until the first read has answered. `mayRead`: this instance leads (starts a due read). */
  get(caches: Cache[], mayRead: boolean, now = Date.now()): Map<string, CacheCapacity> | null {
    if (mayRead && this.pending === null && now >= this.nextAt) this.start(caches, now);
    const series = this.held?.series;
    if (!series) return null;
    const day = capacityWindow(now).end;
    const result = new Map<string, CacheCapacity>();
    let changed = this.last === null || this.last.caches.length !== caches.length;
    const seen = new Set<string>();
    for (const cache of caches) {
      seen.add(cache.id);
      const shape = shapeOf(cache);
      let held = this.memo.get(cache.id);
      if (!held || held.series !== series || held.day !== day || held.shape !== shape) {
        held = { series, day, shape, capacity: this.compute(cache, series, now) };
        this.memo.set(cache.id, held);
        changed = true;
      }
      if (held.capacity) result.set(cache.id, held.capacity);
    }
    for (const id of this.memo.keys()) if (!seen.has(id)) this.memo.delete(id);
    // The same Map while nothing changed, so callers may memoise on it.
    if (!changed && this.last) return this.last.result;
    this.last = { caches, result };
    return result;
  }

  private compute(cache: Cache, series: Map<string, MetricSeries>, now: number): CacheCapacity | null {
    const price = (nodeType: string) => priceOf({ engine: cache.engine, nodeType, region: this.place.region });
    const c = capacityOf(cache, series, now, (nodeType) => price(nodeType)?.hourlyUsd ?? null);
    return c && { ...c, priceDate: cache.nodeType ? (price(cache.nodeType)?.date ?? null) : null };
  }

  status(): CapacityReadStatus {
    return { metricsPerRead: this.held?.record.metrics ?? this.pending ?? 0, everyMs: CAPACITY_READ_EVERY_MS, last: this.held?.record.at ?? null };
  }

  private start(caches: Cache[], now: number): void {
    const requests = capacityRequests(caches);
    const window = capacityWindow(now);
    this.pending = requests.length;
    const read = async () => {
      try {
        const series = requests.length ? await getMetricSeries(this.place, requests, { start: new Date(window.start), end: new Date(window.end) }) : new Map<string, MetricSeries>();
        this.onRead({ at: now, metrics: requests.length, series: [...series.values()].map((s) => [s.key, ...encodePoints(s.timestamps, s.values, dayMs)]) }, null);
      } catch (error) {
        this.onRead({ at: now, metrics: requests.length, series: null }, error);
      } finally {
        this.pending = null;
      }
    };
    // Outside the request that happened to ask first, and marked as the watcher's call.
    void outsideCallScope(() => asSharedReader("watcher", read));
  }

  /**
   * A read's record, from this instance's own read or the leader's; a failed one is tried again after a few minutes.
   * `series`: its series already decoded (`decodeInTurns`), as a follower applying a snapshot does.
   */
  apply(record: CapacityReadRecord, series = decodeSeries(record.series ?? [])): void {
    if (!record.series) {
      this.nextAt = record.at + retryAfterMs;
      return;
    }
    this.held = { record, series };
    this.nextAt = record.at + CAPACITY_READ_EVERY_MS;
  }

  /** The last read, for a snapshot (null before one answered). */
  dump(): CapacityReadRecord | null {
    return this.held?.record ?? null;
  }
}
