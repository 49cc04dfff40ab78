import { describe, expect, it } from "vitest";
import { healthFromSeries, healthRequests, memcachedHealthSource, redisHealthSource, serverlessHealthSource } from "@/lib/data/health-metrics";
import { combine, downsampleRows, hitRatePercent, longestRun, onGrid, timeGrid, toChartRows, type ChartRow } from "@/lib/data/series";
import type { MetricSeries } from "@/lib/aws/cloudwatch";

const t0 = Date.parse("2026-03-10T12:00:00Z");
const min = 60_000;

describe("series shaping", () => {
  it("aligns points to period slots and leaves gaps as null", () => {
    const grid = timeGrid(t0 + 5_000, t0 + 4 * min, 60);
    expect(grid.times).toEqual([t0, t0 + min, t0 + 2 * min, t0 + 3 * min]);
    expect(onGrid({ timestamps: [t0 + min, t0 + 3 * min + 30_000], values: [4, 7] }, grid)).toEqual([null, 4, null, 7]);
  });

  it("combines nodes slot by slot", () => {
    expect(combine([[1, null, 3], [2, null, null]], "sum")).toEqual([3, null, 3]);
    expect(combine([[1, 5], [4, 2]], "max")).toEqual([4, 5]);
    expect(combine([[1, 5], [3, null]], "avg")).toEqual([2, 5]);
  });

  it("computes hit rate from hits and misses, with no value where there were no lookups", () => {
    expect(hitRatePercent([90, 0, null], [10, 0, 5])).toEqual([90, null, 0]);
  });

  it("measures the longest run of matching slots", () => {
    expect(longestRun([1, 2, 0, 3, 4, 5, null, 6], (v) => v > 0)).toBe(3);
  });

  it("shapes rows for recharts", () => {
    const grid = timeGrid(t0, t0 + 2 * min, 60);
    expect(toChartRows(grid, { a: [1, null], b: [2, 3] })).toEqual([{ t: t0, a: 1, b: 2 }, { t: t0 + min, a: null, b: 3 }]);
  });
});

describe("health from CloudWatch series", () => {
  const window = { range: "15m" as const, start: t0, end: t0 + 5 * min, period: 60, label: "" };
  const series = (key: string, values: (number | null)[]): [string, MetricSeries] => {
    const points = values.flatMap((v, i) => (v === null ? [] : [[t0 + i * min, v] as const]));
    return [key, { key, timestamps: points.map((p) => p[0]), values: points.map((p) => p[1]), complete: true }];
  };

  it("asks for six metrics per Redis member and aggregates a group: hit rate over the union, worst lag, peak memory", () => {
    const plan = { key: "rg:orders", sources: [redisHealthSource("orders-001"), redisHealthSource("orders-002")] };
    const requests = healthRequests([plan], 60);
    expect(requests).toHaveLength(12);
    expect(requests[0]).toMatchObject({ namespace: "AWS/ElastiCache", metricName: "CacheHits", stat: "Sum", dimensions: { CacheClusterId: "orders-001" } });
    const data = new Map([
      series("rg:orders#0#hits", [90, 90, 90, 90, 90]),
      series("rg:orders#0#misses", [10, 10, 10, 10, 10]),
      series("rg:orders#1#hits", [0, 0, 0, 0, 0]),
      series("rg:orders#1#misses", [100, 100, 100, 100, 100]),
      series("rg:orders#0#evictions", [0, 5, 5, 5, 0]),
      series("rg:orders#1#lag", [0, 0, 3, 1, 0]),
      series("rg:orders#0#memory", [50, 91, 60, 50, 50]),
      series("rg:orders#1#memory", [40, 40, 40, 40, 40]),
    ]);
    const { figures, trends } = healthFromSeries(plan, data, window);
    expect(figures).toEqual({ hitRate: 45, lookups: 1000, evictions: 15, evictionRun: 3, replicationLag: 3, engineCpu: null, memory: 91 });
    expect(trends.hitRate).toEqual([45, 45, 45, 45, 45]);
    expect(trends.replicationLag).toEqual([0, 0, 3, 1, 0]);
  });

  it("reads Memcached per node (GetHits/GetMisses) and serverless by clusterId with memory against its limit", () => {
    expect(healthRequests([{ key: "m", sources: [memcachedHealthSource("sessions", "0002")] }], 60).map((r) => r.metricName)).toEqual([
      "GetHits", "GetMisses", "Evictions", "CPUUtilization",
    ]);
    const plan = { key: "sl:feed", sources: [serverlessHealthSource("feed")], memoryLimitBytes: 1e9 };
    expect(healthRequests([plan], 60)[0].dimensions).toEqual({ clusterId: "feed" });
    const data = new Map([series("sl:feed#0#hitRate", [90, 96]), series("sl:feed#0#bytesUsed", [2e8, 5e8]), series("sl:feed#0#commands", [500, 500])]);
    expect(healthFromSeries(plan, data, window).figures).toMatchObject({ hitRate: 93, memory: 50, lookups: 1000 });
  });
});

describe("chart rows for the pixels available", () => {
  const rows: ChartRow[] = Array.from({ length: 300 }, (_, i) => ({ t: i * 10_000, cpu: i === 157 ? 95 : 20, lag: i < 100 ? null : i === 250 ? 0 : 1 }));

  it("keeps at most one row per bucket, and a spike or a dip within it", () => {
    const out = downsampleRows(rows, ["cpu", "lag"], 60);
    expect(out).toHaveLength(60);
    expect(out[0].t).toBe(0);
    expect(out.filter((r) => r.cpu === 95)).toHaveLength(1);
    expect(out.filter((r) => r.lag === 0)).toHaveLength(1);
    expect(out.slice(0, 20).every((r) => r.lag === null)).toBe(true);
    expect(Math.max(...out.map((r) => r.t))).toBeLessThan(300 * 10_000);
  });

  it("leaves rows alone when they fit", () => {
    expect(downsampleRows(rows, ["cpu"], 300)).toBe(rows);
  });
});
