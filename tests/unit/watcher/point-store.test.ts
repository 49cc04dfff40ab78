import { describe, expect, it } from "vitest";
import { metricId, PointStore } from "@/lib/watcher/point-store";

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
});
