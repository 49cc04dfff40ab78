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

  it("encodes and decodes every point exactly, gaps included, a part of the metrics at a time", () => {
    const store = new PointStore(3600_000);
    const times = [0, 1, 2, 5, 6, 9].map((i) => t0 + i * minute);
    const values = [0.1 + 0.2, -3, 1e-300, 12345678.987654321, Number.MAX_VALUE, -0];
    // Merged out of order: the later read holds the earlier minutes.
    store.merge("m", { timestamps: times.slice(3), values: values.slice(3) }, t0 + 10 * minute);
    store.merge("m", { timestamps: times.slice(0, 3), values: values.slice(0, 3) }, t0 + 11 * minute);
    store.merge("other", { timestamps: [t0], values: [7] }, t0 + minute);
    const text = store.encode(["m", "forgotten"]);
    expect((JSON.parse(text) as PointDump[]).map(([id, , runs]) => [id, runs])).toEqual([["m", [t0, 3, t0 + 5 * minute, 2, t0 + 9 * minute, 1]]]);
    const copy = new PointStore(3600_000);
    copy.merge("stale", { timestamps: [t0], values: [1] }, t0);
    copy.load([PointStore.decode(text), PointStore.decode(store.encode(["other"]))]);
    expect(copy.ids()).toEqual(["m", "other"]);
    expect(copy.lastRead("other")).toBe(t0 + minute);
    expect(copy.series("m", "Sum", t0, t0 + 10 * minute, minute)).toEqual(store.series("m", "Sum", t0, t0 + 10 * minute, minute));
    expect(copy.series("m", "Maximum", t0, t0 + 10 * minute, 1_000)).toMatchObject({ timestamps: times, values });
    expect(Object.is(copy.series("m", "Maximum", t0, t0 + 10 * minute, 1_000).values[5], -0)).toBe(true);
    expect(copy.lastRead("m")).toBe(t0 + 11 * minute);
  });

  it("loads a snapshot part written by the Map-based store before it (a deploy mixes versions)", () => {
    // Written by main at 719b28c: a cold read of minutes 0-3 and 6-7, a later read revising 7 and adding 8, and a
    // metric read without points.
    const cpu = "CPUUtilization|CacheClusterId=c-001,CacheNodeId=0001|Maximum";
    const lag = "ReplicationLag|CacheClusterId=c-002,CacheNodeId=0001|Maximum";
    const old = `[["${cpu}",1796299740000,[1796299200000,4,1796299560000,3],"AAAAAAAAKUAAAAAAAIAqQDQzMzMzM9M/AAAAAAAAAIBZ8/jCH26lAQAAAAAAAElAAAAAAADASUA="],["${lag}",1796299740000,[],""]]`;
    const store = new PointStore(3 * 3600_000 + 10 * minute);
    store.load([PointStore.decode(old)]);
    expect(store.ids()).toEqual([cpu, lag]);
    expect(store.lastRead(lag)).toBe(t0 + 9 * minute);
    const held = store.series(cpu, "Maximum", t0, t0 + 9 * minute, minute);
    expect(held.timestamps).toEqual([0, 1, 2, 3, 6, 7, 8].map((i) => t0 + i * minute));
    expect(held.values).toEqual([12.5, 13.25, 0.1 + 0.2, -0, 1e-300, 50, 51.5]);
    expect(store.series(lag, "Maximum", t0, t0 + 9 * minute, minute).timestamps).toEqual([]);
    // Written again in the same format, byte for byte.
    expect(store.encode(store.ids())).toBe(old);
    // And it carries on: the next read merges into what was loaded.
    store.merge(cpu, { timestamps: [t0 + 8 * minute, t0 + 9 * minute], values: [52, 53] }, t0 + 10 * minute);
    expect(store.series(cpu, "Maximum", t0 + 6 * minute, t0 + 10 * minute, 2 * minute).values).toEqual([50, 53]);
  });

  it("holds a point off the whole minute in its minute's slot (CloudWatch's one-minute reads never send one)", () => {
    const store = new PointStore(3600_000);
    store.merge("m", { timestamps: [t0, t0 + minute + 1_000], values: [1, 2] }, t0 + 2 * minute);
    expect(store.series("m", "Sum", t0, t0 + 2 * minute, minute)).toMatchObject({ timestamps: [t0, t0 + minute], values: [1, 2] });
  });

  it("keeps what a Map of every point would keep, through hours of reads, revisions and late, earlier reads", () => {
    const keepMs = 30 * minute;
    const store = new PointStore(keepMs);
    // The semantics, written plainly: every point by its time, dropped once older than a merge's readEnd - keepMs.
    const reference = new Map<string, Map<number, number>>();
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed % n;
    };
    for (let read = 0; read < 600; read++) {
      const id = `m${random(3)}`;
      // Mostly forward by a minute or two, sometimes an older read arriving late (a record replayed after a snapshot).
      const readEnd = t0 + (read + (random(10) === 0 ? -random(60) : 0)) * minute;
      const count = random(8);
      const from = minuteOfRead(readEnd) - random(40);
      const timestamps = Array.from({ length: count }, (_, k) => (from + k) * minute);
      const values = timestamps.map(() => random(1000) / 8);
      store.merge(id, { timestamps, values }, readEnd);
      const held = reference.get(id) ?? new Map<number, number>();
      timestamps.forEach((t, k) => held.set(t, values[k]));
      for (const t of held.keys()) if (t < readEnd - keepMs) held.delete(t);
      reference.set(id, held);
      for (const [name, points] of reference) {
        const times = [...points.keys()].sort((x, y) => x - y);
        const window = store.series(name, "Average", t0 - 100 * minute, t0 + 700 * minute, minute);
        expect(window.timestamps).toEqual(times);
        expect(window.values).toEqual(times.map((t) => points.get(t)));
      }
    }
    const copy = new PointStore(keepMs);
    copy.load([PointStore.decode(store.encode(store.ids()))]);
    for (const id of store.ids()) expect(copy.series(id, "Sum", t0 - 100 * minute, t0 + 700 * minute, 7 * minute)).toEqual(store.series(id, "Sum", t0 - 100 * minute, t0 + 700 * minute, 7 * minute));
  });
});

const minuteOfRead = (t: number) => Math.floor(t / minute);
