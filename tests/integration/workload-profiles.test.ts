import path from "node:path";
import { CloudWatchClient, GetMetricDataCommand, type Dimension, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from "@/tests/helpers/emulator";

// The demo's health profiles come from traffic and node sizes: a fleet file with workload sections, the emulator's
// own generator and collector, and nothing but CloudWatch to look at the result.

const FLEET = path.join(__dirname, "fixtures", "workload-fleet.json");
let emulator: TestEmulator;
let cw: CloudWatchClient;
const started = Date.now();

beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: FLEET, metricsIntervalMs: 500, workload: true });
  cw = new CloudWatchClient({ endpoint: emulator.url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});

afterAll(async () => {
  cw?.destroy();
  await emulator?.dispose();
});

const dims = (cluster: string, node?: string): Dimension[] => [
  { Name: "CacheClusterId", Value: cluster },
  ...(node ? [{ Name: "CacheNodeId", Value: node }] : []),
];
const stat = (id: string, metric: string, dimensions: Dimension[], statName: string): MetricDataQuery => ({
  Id: id,
  MetricStat: { Metric: { Namespace: "AWS/ElastiCache", MetricName: metric, Dimensions: dimensions }, Period: 3600, Stat: statName },
});

/** Every result's values from `from` (by default: since before the test began) until now, by Id. */
async function since(queries: MetricDataQuery[], from = started - 60_000): Promise<Record<string, number[]>> {
  const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date(from), EndTime: new Date(Date.now() + 60_000), MetricDataQueries: queries }));
  const byId: Record<string, number[]> = {};
  for (const r of out.MetricDataResults!) byId[r.Id!] = [...(byId[r.Id!] ?? []), ...(r.Values ?? [])];
  return byId;
}

function eventually<T>(probe: () => Promise<T | undefined>, description: string): Promise<T> {
  return waitFor(probe, { timeoutMs: 90_000, intervalMs: 1_000, description });
}

describe("demo traffic profiles, measured through CloudWatch", () => {
  it("a healthy Memcached cluster: hit rate above 95%, no evictions", async () => {
    const v = await eventually(async () => {
      const r = await since([stat("hits", "GetHits", dims("wl-healthy"), "Sum"), stat("misses", "GetMisses", dims("wl-healthy"), "Sum"), stat("evictions", "Evictions", dims("wl-healthy"), "Sum")]);
      return (r.hits?.[0] ?? 0) >= 500 ? r : undefined;
    }, "the healthy cluster to serve 500 hits");
    const rate = v.hits[0] / (v.hits[0] + (v.misses?.[0] ?? 0));
    expect(rate).toBeGreaterThan(0.95);
    expect(v.evictions[0]).toBe(0);
  });

  it("memory pressure: evictions climbing and memory above 90% on an undersized node", async () => {
    const v = await eventually(async () => {
      const r = await since([stat("evictions", "Evictions", dims("wl-pressure", "0001"), "Sum"), stat("memory", "DatabaseMemoryUsagePercentage", dims("wl-pressure", "0001"), "Maximum")]);
      return (r.evictions?.[0] ?? 0) > 100 && (r.memory?.[0] ?? 0) > 90 ? r : undefined;
    }, "evictions and memory above 90%");
    const later = await eventually(async () => {
      const r = await since([stat("evictions", "Evictions", dims("wl-pressure", "0001"), "Sum")]);
      return r.evictions[0] > v.evictions[0] ? r : undefined;
    }, "evictions to keep climbing");
    expect(later.evictions[0]).toBeGreaterThan(v.evictions[0]);
  });

  it("a cold, mis-keyed cache: hit rate below 50%", async () => {
    const cold = [{ Name: "clusterId", Value: "wl-cold" }];
    const v = await eventually(async () => {
      const r = await since([
        stat("hits", "CacheHits", cold, "Sum"),
        stat("misses", "CacheMisses", cold, "Sum"),
        { Id: "rate", Expression: "100 * hits / (hits + misses)" },
      ]);
      return (r.hits?.[0] ?? 0) + (r.misses?.[0] ?? 0) >= 500 ? r : undefined;
    }, "500 lookups on the cold cache");
    expect(v.rate[0]).toBeLessThan(50);
  });

  it("a cluster-mode group with one hot shard", async () => {
    const search: MetricDataQuery = {
      Id: "perShard",
      Expression: `SEARCH('{AWS/ElastiCache,CacheClusterId} MetricName="GetTypeCmds" wl-hot', 'Sum', 3600)`,
    };
    const v = await eventually(async () => {
      const r = await since([search]);
      return r.perShard?.length === 3 && Math.min(...r.perShard) > 100 ? r : undefined;
    }, "reads on all three shards");
    const [hottest, ...others] = [...v.perShard].sort((a, b) => b - a);
    for (const other of others) expect(hottest).toBeGreaterThan(2.5 * other);
  });

  it("replica lag rising during write bursts over a slow link, and falling after them", async () => {
    const lag = stat("lag", "ReplicationLag", dims("wl-lag-002", "0001"), "Maximum");
    const peak = await eventually(async () => {
      const r = await since([lag]);
      return (r.lag?.[0] ?? 0) >= 2 ? r.lag[0] : undefined;
    }, "the replica's lag to reach 2 s");
    expect(peak).toBeGreaterThanOrEqual(2);
    await eventually(async () => {
      const r = await since([{ ...lag, MetricStat: { ...lag.MetricStat!, Period: 1 } }], Date.now() - 2_000);
      return r.lag?.length && r.lag.every((value) => value < 1) ? true : undefined;
    }, "the lag to fall back under 1 s between bursts");
    const primaryLag = await since([stat("primaryLag", "ReplicationLag", dims("wl-lag-001", "0001"), "Maximum")]);
    expect(primaryLag.primaryLag).toEqual([]);
  });
});
