import "server-only";
import { getMetricSeries, type Cache, type MetricSeries } from "@/lib/aws";
import { priceOf } from "@/lib/cost/prices";
import { CAPACITY_READ_EVERY_MS, capacityOf, capacityRequests, capacityWindow, type CacheCapacity } from "@/lib/data/capacity";

const retryAfterMs = 10 * 60_000;

/** What a cache's capacity depends on besides the read: engine, type, topology, roles and failover settings. */
function shapeOf(cache: Cache): string {
  let nodes = "";
  for (const n of cache.nodes) nodes += `${n.cacheClusterId}:${n.role},`;
  return `${cache.engine}|${cache.nodeType}|${cache.clusterMode}|${cache.multiAz}|${cache.automaticFailover}|${cache.shards.length}|${nodes}`;
}

export interface CapacityReadStatus {
  metricsPerRead: number;
  everyMs: number;
  last: number | null;
}

/**
 * A watcher's capacity read: 14 days of daily statistics for every Redis / Valkey node-based cache of the region, read
 * when a page first asks and again once CAPACITY_READ_EVERY_MS has passed — at most four times a day, whoever looks —
 * and the forecasts and recommendations computed from it, kept until the read or the caches change.
 */
export class CapacityRead {
  private held: { at: number; metrics: number; read: Promise<Map<string, MetricSeries>>; series: Map<string, MetricSeries> | null } | null = null;
  /** Per cache, what was computed from which read, day and shape: a health read or a tag change recomputes nothing. */
  private memo = new Map<string, { series: Map<string, MetricSeries>; day: number; shape: string; capacity: CacheCapacity | null }>();
  private last: { caches: Cache[]; result: Map<string, CacheCapacity> } | null = null;

  constructor(
    private readonly place: { account: string; region: string },
    /** The read came in: the watcher's pages should render again. */
    private readonly onRead: () => void,
    private readonly onProblem: (error: unknown | null) => void,
  ) {}

  /** Capacity by cache id; null until the first read has answered (the read starts now if due). */
  get(caches: Cache[], now = Date.now()): Map<string, CacheCapacity> | null {
    if (!this.held || now - this.held.at >= CAPACITY_READ_EVERY_MS) this.start(caches, now);
    const series = this.held!.series;
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
    return { metricsPerRead: this.held?.metrics ?? 0, everyMs: CAPACITY_READ_EVERY_MS, last: this.held?.at ?? null };
  }

  private start(caches: Cache[], now: number): void {
    const requests = capacityRequests(caches);
    const window = capacityWindow(now);
    const previous = this.held?.series ?? null;
    const read = requests.length ? getMetricSeries(this.place, requests, { start: new Date(window.start), end: new Date(window.end) }) : Promise.resolve(new Map<string, MetricSeries>());
    // Until the new read answers, the previous one still serves.
    const held = { at: now, metrics: requests.length, read, series: previous };
    this.held = held;
    read.then(
      (series) => {
        held.series = series;
        this.onProblem(null);
        this.onRead();
      },
      (error) => {
        // A failed read is tried again after a few minutes, not after the whole interval.
        held.at = Math.min(held.at, Date.now() - CAPACITY_READ_EVERY_MS + retryAfterMs);
        this.onProblem(error);
      },
    );
  }
}
