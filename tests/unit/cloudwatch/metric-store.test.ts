import { describe, expect, it } from "vitest";
import { identity } from "@/emulator/cloudwatch/dimensions";
import { LimitError, MetricStore, type Observation } from "@/emulator/cloudwatch/metric-store";
import { alignStart, bucketCount, parseStat, statValue, weightedPercentile, type Stat } from "@/emulator/cloudwatch/statistics";

const T = 1_700_000_040; // a whole minute (epoch seconds)
const R = "us-east-1";
const id = identity("App", "Latency", [{ Name: "Service", Value: "api" }]);

function clock(startSeconds = T + 3600) {
  let nowMs = startSeconds * 1000;
  return { now: () => nowMs, advance: (seconds: number) => (nowMs += seconds * 1000) };
}

const value = (timestamp: number, v: number, storageResolution: 1 | 60 = 1): Observation => ({
  timestamp, count: 1, sum: v, min: v, max: v, pairs: [v, 1], storageResolution,
});

function stats(store: MetricStore, start: number, end: number, period: number, statName: string) {
  const stat = parseStat(statName) as Stat;
  const series = store.get(R, id);
  if (!series) return [];
  const { timestamps, aggregates } = store.aggregate(series, alignStart(start, period), end, period, stat.kind === "percentile");
  return timestamps.map((t, i) => [t - T, statValue(aggregates[i], stat)]);
}

describe("statistics", () => {
  it("aligns minute periods on the minute and shorter ones on their own multiple", () => {
    expect(alignStart(T + 34, 60)).toBe(T);
    expect(alignStart(T + 150, 300)).toBe(T + 120);
    expect(alignStart(T + 7, 5)).toBe(T + 5);
    expect(alignStart(T + 7, 1)).toBe(T + 7);
    expect(bucketCount(T, T + 3 * 3600, 60)).toBe(180);
    expect(bucketCount(T + 30, T + 90, 60)).toBe(2);
  });

  it("knows CloudWatch's statistic names", () => {
    expect(parseStat("Average")).toEqual({ kind: "Average", name: "Average" });
    expect(parseStat("p99")).toEqual({ kind: "percentile", p: 99, name: "p99" });
    expect(parseStat("p99.9")).toMatchObject({ p: 99.9 });
    expect(parseStat("p100")).toMatchObject({ p: 100 });
    for (const bad of ["average", "p101", "p", "P50", "tm99", ""]) expect(parseStat(bad)).toBeUndefined();
  });

  it("computes nearest-rank percentiles over weighted values", () => {
    const pairs = [5, 1, 1, 1, 3, 2, 2, 1]; // 1, 2, 3, 3, 5
    expect(weightedPercentile(pairs, 0)).toBe(1);
    expect(weightedPercentile(pairs, 40)).toBe(2);
    expect(weightedPercentile(pairs, 50)).toBe(3);
    expect(weightedPercentile(pairs, 80)).toBe(3);
    expect(weightedPercentile(pairs, 81)).toBe(5);
    expect(weightedPercentile(pairs, 100)).toBe(5);
  });

  it("gives no percentile for a statistic set whose minimum and maximum differ", () => {
    const agg = { count: 4, sum: 10, min: 1, max: 4, pairs: null };
    expect(statValue(agg, parseStat("p50")!)).toBeUndefined();
    expect(statValue(agg, parseStat("Average")!)).toBe(2.5);
  });
});

describe("metric store: periods", () => {
  it("aggregates 1 s points into 1, 5 and 60 s periods", () => {
    const store = new MetricStore({ now: clock().now });
    for (let i = 0; i < 10; i++) store.put(R, id, value(T + i, i + 1));
    expect(stats(store, T, T + 10, 5, "Sum")).toEqual([[0, 15], [5, 40]]);
    expect(stats(store, T, T + 10, 5, "Average")).toEqual([[0, 3], [5, 8]]);
    expect(stats(store, T + 2, T + 4, 1, "Maximum")).toEqual([[2, 3], [3, 4]]);
    expect(stats(store, T, T + 60, 60, "SampleCount")).toEqual([[0, 10]]);
    expect(stats(store, T, T + 60, 60, "Minimum")).toEqual([[0, 1]]);
    expect(stats(store, T, T + 60, 60, "p90")).toEqual([[0, 9]]);
  });

  it("rounds StartTime down to the minute and keeps EndTime exclusive", () => {
    const store = new MetricStore({ now: clock().now });
    store.put(R, id, value(T + 10, 1));
    store.put(R, id, value(T + 70, 2));
    store.put(R, id, value(T + 120, 4));
    expect(stats(store, T + 30, T + 120, 60, "Sum")).toEqual([[0, 1], [60, 2]]);
    expect(stats(store, T + 30, T + 121, 60, "Sum")).toEqual([[0, 1], [60, 2], [120, 4]]);
  });

  it("starts 5-minute periods on the minute StartTime falls in", () => {
    const store = new MetricStore({ now: clock().now });
    for (let m = 0; m < 10; m++) store.put(R, id, value(T + m * 60, m));
    expect(stats(store, T + 120, T + 600, 300, "Sum")).toEqual([[120, 2 + 3 + 4 + 5 + 6], [420, 7 + 8 + 9]]);
  });

  it("stores a standard-resolution point on its minute", () => {
    const store = new MetricStore({ now: clock().now });
    store.put(R, id, value(T + 10, 1, 60));
    store.put(R, id, value(T + 50, 3, 60));
    expect(stats(store, T, T + 60, 1, "Sum")).toEqual([[0, 4]]);
    expect(stats(store, T, T + 60, 1, "p50")).toEqual([[0, 1]]);
  });

  it("accepts points out of order", () => {
    const store = new MetricStore({ now: clock().now });
    for (const i of [5, 1, 3, 9, 0, 2]) store.put(R, id, value(T + i, i));
    expect(stats(store, T, T + 10, 1, "Sum")).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [5, 5], [9, 9]]);
  });

  it("keeps percentiles exact across several puts in the same second", () => {
    const store = new MetricStore({ now: clock().now });
    store.put(R, id, value(T, 10));
    store.put(R, id, { timestamp: T, count: 3, sum: 6, min: 1, max: 3, pairs: [1, 1, 2, 1, 3, 1], storageResolution: 1 });
    store.put(R, id, value(T, 20));
    expect(stats(store, T, T + 1, 1, "p50")).toEqual([[0, 3]]);
    expect(stats(store, T, T + 1, 1, "p80")).toEqual([[0, 10]]);
    expect(stats(store, T, T + 1, 1, "Average")).toEqual([[0, 36 / 5]]);
    store.put(R, id, { timestamp: T, count: 2, sum: 3, min: 1, max: 2, pairs: null, storageResolution: 1 });
    expect(stats(store, T, T + 1, 1, "p50")).toEqual([[0, undefined]]);
  });
});

describe("metric store: retention", () => {
  it("answers old minute queries from the 60 s tier once the 1 s tier has expired", () => {
    const c = clock(T + 60);
    const store = new MetricStore({ now: c.now });
    for (let i = 0; i < 60; i += 5) store.put(R, id, value(T + i, i));
    c.advance(4 * 3600);
    store.prune();
    expect(stats(store, T, T + 60, 60, "Sum")).toEqual([[0, 330]]);
    expect(stats(store, T, T + 60, 60, "SampleCount")).toEqual([[0, 12]]);
    expect(stats(store, T, T + 60, 5, "Sum")).toEqual([]);
    expect(stats(store, T, T + 60, 60, "p50")).toEqual([[0, undefined]]);
    c.advance(15 * 86400);
    store.prune();
    expect(store.get(R, id)).toBeUndefined();
  });

  it("writes points older than the fine tier's horizon to the 60 s tier only", () => {
    const c = clock(T + 86400);
    const store = new MetricStore({ now: c.now });
    store.put(R, id, value(T + 5, 2));
    store.put(R, id, value(T + 50, 4));
    expect(stats(store, T, T + 60, 60, "Sum")).toEqual([[0, 6]]);
    expect(stats(store, T, T + 60, 1, "Sum")).toEqual([]);
  });

  it("shortens retention to stay within its memory budget", () => {
    const c = clock(T);
    const budget = 600_000;
    const store = new MetricStore({ now: c.now, memoryBudgetBytes: budget });
    const ids = Array.from({ length: 10 }, (_, i) => identity("App", "M", [{ Name: "N", Value: String(i) }]));
    for (let step = 0; step < 2 * 3600; step += 5) {
      for (const each of ids) store.put(R, each, value(T + step, step));
      c.advance(5);
    }
    store.prune();
    const usage = store.usage();
    expect(usage.bytes).toBeLessThanOrEqual(budget);
    expect(usage.fineRetentionSeconds).toBeLessThan(3 * 3600);
    expect(usage.series).toBe(10);
    const recent = store.get(R, ids[0])!;
    expect(recent.fine.timeAt(recent.fine.length - 1)).toBe(T + 2 * 3600 - 5);
  });

  it("refuses a new series past the cap", () => {
    const store = new MetricStore({ now: clock().now, maxSeries: 2 });
    store.put(R, identity("App", "a"), value(T, 1));
    store.put(R, identity("App", "b"), value(T, 1));
    store.put(R, identity("App", "a"), value(T + 1, 1));
    expect(() => store.put(R, identity("App", "c"), value(T, 1))).toThrow(LimitError);
    expect(() => store.put("eu-west-1", identity("App", "a"), value(T, 1))).toThrow(LimitError);
  });

  it("keeps each region's metrics apart", () => {
    const store = new MetricStore({ now: clock().now });
    store.put(R, id, value(T, 1));
    store.put("eu-west-1", id, value(T, 2));
    expect(store.get(R, id)!.fine.sumAt(0)).toBe(1);
    expect(store.get("eu-west-1", id)!.fine.sumAt(0)).toBe(2);
    expect([...store.all("ap-south-1")]).toEqual([]);
    expect(store.usage().series).toBe(2);
  });
});
