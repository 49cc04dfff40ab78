import { describe, expect, it } from "vitest";
import { mergeMetricResults } from "@/lib/aws/cloudwatch";
import { maxQueriesPerCall, planMetricBatches, type MetricRequest } from "@/lib/aws/metric-batches";

function requests(n: number): MetricRequest[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `cluster-${Math.floor(i / 6)}/metric-${i % 6}`,
    namespace: "AWS/ElastiCache",
    metricName: "CacheHits",
    dimensions: { CacheClusterId: `c-${i}` },
    stat: "Sum",
    period: 60,
  }));
}

describe("planMetricBatches", () => {
  it("packs 1,234 queries into 3 calls of at most 500", () => {
    const batches = planMetricBatches(requests(1234));
    expect(batches.map((b) => b.queries.length)).toEqual([500, 500, 234]);
    expect(batches.every((b) => b.queries.length <= maxQueriesPerCall)).toBe(true);
  });

  it("uses one call for a fleet that fits, with valid unique CloudWatch ids mapped back to the callers' keys", () => {
    const input = requests(70);
    const [batch, ...rest] = planMetricBatches(input);
    expect(rest).toHaveLength(0);
    const ids = batch.queries.map((q) => q.Id!);
    expect(new Set(ids).size).toBe(70);
    expect(ids.every((id) => /^[a-z][A-Za-z0-9_]*$/.test(id))).toBe(true);
    expect(batch.keys.get(ids[7])).toBe(input[7].key);
    expect(batch.queries[7].MetricStat?.Metric?.Dimensions).toEqual([{ Name: "CacheClusterId", Value: "c-7" }]);
  });

  it("plans nothing for no requests", () => {
    expect(planMetricBatches([])).toEqual([]);
  });
});

describe("mergeMetricResults", () => {
  it("joins a series split over pages, sorts it and flags partial data", () => {
    const [batch] = planMetricBatches(requests(2));
    const merged = mergeMetricResults(batch, [
      { Id: "m0", Timestamps: [new Date(120_000), new Date(60_000)], Values: [2, 1], StatusCode: "PartialData" },
      { Id: "m1", Timestamps: [], Values: [], StatusCode: "Complete" },
      { Id: "m0", Timestamps: [new Date(180_000)], Values: [3], StatusCode: "Complete" },
    ]);
    expect(merged[0]).toEqual({ key: batch.keys.get("m0"), timestamps: [60_000, 120_000, 180_000], values: [1, 2, 3], complete: false });
    expect(merged[1]).toMatchObject({ timestamps: [], values: [], complete: true });
  });
});
