import type { ElastiCacheControlPlane } from "../elasticache/control-plane";
import type { Fleet } from "../fleet";
import type { MetricStore } from "./metric-store";
import { DEFAULT_SERVERLESS_STORAGE_GB } from "../elasticache/api/create-serverless-cache";
import { clustersOf, parseHistory, seedClusters, seedServerless, type HistorySpec } from "./seeded-history";

const SEED_CHECK_MS = 50;

interface Pending {
  region: string;
  kind: "replicationGroups" | "cacheClusters" | "serverlessCaches";
  id: string;
  spec: HistorySpec;
}

/**
 * Gives the fleet entries that carry a `history` section their seeded metrics once the control plane has their
 * nodes (on a first start they are created after the parts start; on a restart they are there at once). Each cache is
 * seeded once per emulator run: the store is in memory, so a restart seeds again, relative to its own clock.
 * A serverless cache gets its data stored only; simulated nodes are not seeded (their metrics are computed:
 * ./simulated-metrics.ts).
 */
export class HistorySeeder {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: MetricStore,
    private readonly controlPlane: ElastiCacheControlPlane,
    fleet: Fleet | undefined,
    fleetPlace: string,
    private readonly log: (message: string) => void,
  ) {
    for (const [region, resources] of Object.entries(fleet?.regions ?? {})) {
      for (const kind of ["replicationGroups", "cacheClusters", "serverlessCaches"] as const) {
        const idKey = kind === "replicationGroups" ? "ReplicationGroupId" : kind === "cacheClusters" ? "CacheClusterId" : "ServerlessCacheName";
        resources[kind].forEach((entry, index) => {
          if (entry.history === undefined) return;
          const spec = parseHistory(entry.history, `${fleetPlace}regions.${region}.${kind}[${index}]`);
          this.pending.push({ region, kind, id: String(entry[idKey]), spec });
        });
      }
    }
    this.seedReady();
    // The fleet is created right after the parts start: look for its caches often until every one is seeded, so a
    // client never reads a cache before its history is in.
    if (this.pending.length > 0) {
      this.timer = setInterval(() => this.seedReady(), SEED_CHECK_MS);
      this.timer.unref();
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Seeds the pending caches whose nodes now exist. */
  private seedReady(): void {
    const known = new Set(this.controlPlane.store.regionNames());
    this.pending = this.pending.filter((p) => {
      if (!known.has(p.region)) return true;
      if (p.kind === "serverlessCaches") return !this.seedServerlessCache(p);
      const clusters = clustersOf(this.controlPlane.regionState(p.region), p.kind, p.id);
      if (!clusters) return true;
      if (clusters.some((c) => c.simulated)) return false;
      const result = seedClusters(this.store, p.region, p.id, clusters, p.spec, this.store.nowSeconds());
      this.log(`metrics: seeded ${p.spec.days} days of "${p.spec.model}" history for ${p.id} (${result.series} series, ${result.points} hourly points, until ${new Date(result.until * 1000).toISOString()})`);
      return false;
    });
    if (this.pending.length === 0) this.stop();
  }

  /** Seeds a serverless cache once the control plane has it; false while it has not. */
  private seedServerlessCache(p: Pending): boolean {
    const cache = this.controlPlane.regionState(p.region).serverlessCaches[p.id];
    if (!cache) return false;
    const storageGB = (cache.cacheUsageLimits as { DataStorage?: { Maximum?: number } } | undefined)?.DataStorage?.Maximum ?? DEFAULT_SERVERLESS_STORAGE_GB;
    const result = seedServerless(this.store, p.region, p.id, storageGB * 1e9, p.spec, this.store.nowSeconds());
    this.log(`metrics: seeded ${p.spec.days} days of "${p.spec.model}" data stored for serverless ${p.id} (${result.points} hourly points, until ${new Date(result.until * 1000).toISOString()})`);
    return true;
  }
}
