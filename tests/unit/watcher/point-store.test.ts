import { describe, expect, it } from "vitest";
import { metricId, PointStore, type PointDump } from "@/lib/watcher/point-store";

const minute = 60_000;
const t0 = Date.parse("2026-12-03T12:00:00Z");

describe("the watcher's metric points", () => {
  it("names a metric by name, dimensions (in any order) and statistic", () => {
    const a = metricId({ metricName: "CPUUtilization", dimensions: { CacheClusterId: "c", CacheNodeId: "0001" }, stat: "Maximum" });
    expect(metricId({ metricName: "CPUUtilization", dimensions: { CacheNodeId: "0001", CacheClusterId: "c" }, stat: "Maximum" })).toBe(a);
    expect(metricId({ metricName: "CPUUtilization", dimensions: { CacheClusterId: "c", CacheNodeId: "0001" }, stat: "Average" })).not.toBe(a);
  });

  it("merges overlapping reads, the later value of a revised minute winning", () => {
    const store = new PointStore(3600_000);
    store.merge("m", { timestamps: [t0, t0 + minute], values: [1, 2] }, t0 + 2 * minute);
    store.merge("m", { timestamps: [t0 + minute, t0 + 2 * minute], values: [5, 7] }, t0 + 3 * minute);
    expect(store.series("m", "Sum", t0, t0 + 3 * minute, minute)).toMatchObject({ timestamps: [t0, t0 + minute, t0 + 2 * minute], values: [1, 5, 7] });
    expect(store.lastRead("m")).toBe(t0 + 3 * minute);
    expect(store.lastRead("other")).toBeNull();
  });

  it("cuts coarser slots with each statistic's arithmetic", () => {
    const store = new PointStore(3600_000);
    store.merge("m", { timestamps: [0, 1, 2, 3].map((i) => t0 + i * minute), values: [1, 4, 2, 6] }, t0 + 4 * minute);
    const two = 2 * minute;
    expect(store.series("m", "Sum", t0, t0 + 4 * minute, two).values).toEqual([5, 8]);
    expect(store.series("m", "Maximum", t0, t0 + 4 * minute, two).values).toEqual([4, 6]);
    expect(store.series("m", "Minimum", t0, t0 + 4 * minute, two).values).toEqual([1, 2]);
    expect(store.series("m", "Average", t0, t0 + 4 * minute, two).values).toEqual([2.5, 4]);
    expect(store.series("m", "Sum", t0 + two, t0 + 4 * minute, two)).toMatchObject({ timestamps: [t0 + two], values: [8] });
  });

  it("drops points older than it keeps and metrics nobody asks for", () => {
    const store = new PointStore(10 * minute);
    store.merge("m", { timestamps: [t0, t0 + 9 * minute], values: [1, 2] }, t0 + 12 * minute);
    expect(store.series("m", "Sum", t0 - minute, t0 + 20 * minute, minute).values).toEqual([2]);
    store.merge("gone", { timestamps: [t0], values: [1] }, t0);
    store.retain(new Set(["m"]));
    expect(store.size).toBe(1);
  });

  it("encodes and decodes every point exactly, gaps and odd spacing included, a part of the metrics at a time", () => {
    const store = new PointStore(3600_000);
    const times = [0, 1, 2, 5, 6].map((i) => t0 + i * minute).concat(t0 + 6 * minute + 1_000);
    const values = [0.1 + 0.2, -3, 1e-300, 12345678.987654321, Number.MAX_VALUE, 42];
    // Merged out of order: a revised minute keeps its place in the map.
    store.merge("m", { timestamps: times.slice(3), values: values.slice(3) }, t0 + 7 * minute);
    store.merge("m", { timestamps: times.slice(0, 3), values: values.slice(0, 3) }, t0 + 8 * minute);
    store.merge("other", { timestamps: [t0], values: [7] }, t0 + minute);
    const text = store.encode(["m", "forgotten"]);
    expect((JSON.parse(text) as PointDump[]).map(([id, , runs]) => [id, runs])).toEqual([["m", [t0, 3, t0 + 5 * minute, 2, t0 + 6 * minute + 1_000, 1]]]);
    const copy = new PointStore(3600_000);
    copy.merge("stale", { timestamps: [t0], values: [1] }, t0);
    copy.load([PointStore.decode(text), PointStore.decode(store.encode(["other"]))]);
    expect(copy.ids()).toEqual(["m", "other"]);
    expect(copy.lastRead("other")).toBe(t0 + minute);
    expect(copy.series("m", "Sum", t0, t0 + 10 * minute, 1_000)).toEqual(store.series("m", "Sum", t0, t0 + 10 * minute, 1_000));
    expect(copy.series("m", "Sum", t0, t0 + 10 * minute, 1_000).values).toEqual(values);
    expect(copy.lastRead("m")).toBe(t0 + 8 * minute);
  });
});
