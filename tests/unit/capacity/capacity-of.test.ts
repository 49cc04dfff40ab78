import { describe, expect, it } from "vitest";
import type { MetricSeries } from "@/lib/aws/cloudwatch";
import type { Cache } from "@/lib/aws/model";
import { DAY_MS } from "@/lib/capacity/forecast";
import { GIB } from "@/lib/capacity/node-types";
import { capacityOf, capacityRequests, MEMCACHED_OVERHEAD_BYTES } from "@/lib/data/capacity";

// Memcached and serverless forecasts from a capacity read's answer, against hand-computed dates: five daily peaks
// from D0, seen from the day after the last (what the watcher's window gives).

const D0 = Date.UTC(2026, 10, 1);
const days = Array.from({ length: 5 }, (_, d) => D0 + d * DAY_MS);
const now = D0 + 5 * DAY_MS;
const noPrices = () => null;

function cache(over: Partial<Cache>): Cache {
  return {
    kind: "cache-cluster", id: "c", arn: null, engine: "memcached", engineVersion: "1.6.22", status: "available", nodeType: "cache.t4g.medium",
    clusterMode: false, multiAz: null, automaticFailover: null, replicationGroupId: null, description: null, nodeCount: 2, preferredZone: null,
    configurationEndpoint: null, endpoint: null, readerEndpoint: null, transitEncryption: false, authToken: false,
    settings: { snapshotRetentionLimit: null, autoMinorVersionUpgrade: true, atRestEncryption: false, subnetGroups: [] },
    shards: [],
    nodes: ["0001", "0002"].map((nodeId) => ({ cacheClusterId: "c", nodeId, shardId: null, role: "unknown" as const, status: "available", zone: null, endpoint: null })),
    pending: { names: [], primaryClusterId: null, automaticFailoverStatus: null, reshardingPercent: null, nodeTypes: [], nodeCount: null },
    usageLimits: null, createdAt: null,
    ...over,
  };
}

/** The read's answer: `values(request)` gives each requested series' five daily figures. */
function read(of: Cache, values: (metric: string, dims: Record<string, string>) => number[]): Map<string, MetricSeries> {
  return new Map(capacityRequests([of]).map((r) => [r.key, { key: r.key, timestamps: days, values: values(r.metricName, r.dimensions), complete: true }]));
}

describe("capacity of a Memcached cluster", () => {
  // cache.t4g.medium: 3.09 GiB less the 100 MiB connection overhead = 3,213,004,636 bytes of item memory a node.
  const limit = 3.09 * GIB - MEMCACHED_OVERHEAD_BYTES;
  const memcached = cache({});

  it("reads item memory, connections and items per node", () => {
    const requests = capacityRequests([memcached]);
    expect(requests.map((r) => `${r.metricName} ${JSON.stringify(r.dimensions)} ${r.stat}`)).toEqual(
      ["0001", "0002"].flatMap((n) => ["BytesUsedForCacheItems", "CurrConnections", "CurrItems"].map((m) => `${m} {"CacheClusterId":"c","CacheNodeId":"${n}"} Maximum`)),
    );
  });

  it("dates item memory against limit_maxbytes, follows connections and items", () => {
    // Node 0001 at 40, 41, … 44% of its item memory (node 0002 at half that): a point a day from 40% on D0 reaches
    // 100% on D0 + 60 days, 55 days after `now`. Connections flat at 300: no date. Items 1,000 + 10·d and
    // 2,000 + 10·d: 20 a day over the cluster.
    const c = capacityOf(
      memcached,
      read(memcached, (metric, dims) => {
        const share = dims.CacheNodeId === "0001" ? 1 : 0.5;
        if (metric === "BytesUsedForCacheItems") return days.map((_, d) => share * limit * (0.4 + 0.01 * d));
        if (metric === "CurrConnections") return days.map(() => 300 * share);
        return days.map((_, d) => 1_000 / share + 10 * d);
      }),
      now,
      noPrices,
    )!;
    expect(c.basis).toBe("memcached");
    expect(c.limitBytes).toBeCloseTo(3_213_004_636.16, 1);
    expect(c.memory.values.map((v) => Math.round(v * 1e6) / 1e6)).toEqual([40, 41, 42, 43, 44]);
    expect(c.forecast.memory!.trend.slopePerDay).toBeCloseTo(1, 9);
    expect(c.forecast.fillsUp).toBe("memory");
    expect(c.forecast.fillsUpAt).toBeCloseTo(D0 + 60 * DAY_MS, -3);
    expect(c.forecast.connections!.latest).toBe(300);
    expect(c.forecast.connections!.reachesAt).toBeNull();
    expect(c.forecast.keys!.slopePerDay).toBeCloseTo(20, 9);
    expect(c.recommendation).toBeNull();
  });
});

describe("capacity of a serverless cache", () => {
  const serverless = (maximum: number | null) =>
    cache({ kind: "serverless", id: "s", engine: "valkey", nodeType: null, nodes: [], nodeCount: 0, usageLimits: { dataStorage: maximum === null ? null : { maximum, unit: "GB" }, ecpuPerSecond: null } });
  const stored = (of: Cache) => read(of, () => days.map((_, d) => 1e9 + 0.1e9 * d));

  it("reads data stored once a cache, by its clusterId", () => {
    expect(capacityRequests([serverless(10)]).map((r) => [r.metricName, r.dimensions, r.stat])).toEqual([["BytesUsedForCache", { clusterId: "s" }, "Maximum"]]);
  });

  it("dates data stored against its maximum", () => {
    // 1 GB + 0.1 GB a day of a 10 GB maximum: 10% + 1 point a day, 100% on D0 + 90 days, 85 days after `now`.
    const c = capacityOf(serverless(10), stored(serverless(10)), now, noPrices)!;
    expect(c.basis).toBe("serverless");
    expect(c.limitBytes).toBe(10e9);
    expect(c.forecast.fillsUp).toBe("memory");
    expect(c.forecast.fillsUpAt).toBeCloseTo(D0 + 90 * DAY_MS, -3);
    expect(c.forecast.connections).toBeNull();
    expect(c.forecast.keys).toBeNull();
    // A 100 GB maximum is 900 days away at that pace: not within 90.
    expect(capacityOf(serverless(100), stored(serverless(100)), now, noPrices)!.forecast.fillsUpAt).toBeNull();
  });

  it("without a maximum, gives the trend and no date", () => {
    const c = capacityOf(serverless(null), stored(serverless(null)), now, noPrices)!;
    expect(c.limitBytes).toBeNull();
    expect(c.forecast.memory).toBeNull();
    expect(c.forecast.fillsUpAt).toBeNull();
    expect(c.memory.days).toEqual([]);
    expect(c.stored!.latestBytes).toBe(1.4e9);
    expect(c.stored!.slopeBytesPerDay).toBeCloseTo(1e8, 0);
  });
});
