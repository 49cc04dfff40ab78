import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workloadEnabled } from "@/emulator/workload/component";
import { KeyChooser } from "@/emulator/workload/key-chooser";
import { parseWorkload, type WorkloadConfig } from "@/emulator/workload/workload-config";

/** A repeatable stand-in for Math.random. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

describe("workload sections", () => {
  it("fill in defaults and explain a bad value with its place in the fleet file", () => {
    expect(parseWorkload({ opsPerSecond: 10 }, "x")).toMatchObject({ readRatio: 0.9, keySpace: 10_000, valueBytes: 256, ttlSeconds: 0, fillOnMiss: true, prefill: false });
    expect(() => parseWorkload({ opsPerSecond: 10, readRatio: 2 }, "regions.us-east-1.replicationGroups[0]")).toThrow(
      /^regions\.us-east-1\.replicationGroups\[0\]\.workload\.readRatio: /,
    );
    expect(() => parseWorkload({ opsPerSecond: 10, typo: 1 }, "r")).toThrow(/r\.workload: /);
  });

  it("parse for every cache of the demo fleet", () => {
    const fleet = JSON.parse(readFileSync(path.join(__dirname, "../../emulator/fleets/demo.json"), "utf8"));
    const regions = fleet.accounts.flatMap((a: { regions: Record<string, unknown> }) => Object.values(a.regions));
    // The caches, not what a region declares beside them (subnet groups, reserved nodes).
    const caches = ["replicationGroups", "cacheClusters", "serverlessCaches"];
    const entries = regions.flatMap((r: Record<string, { workload?: unknown }[]>) => caches.flatMap((kind) => r[kind] ?? []));
    expect(entries.length).toBe(7);
    for (const entry of entries) expect(() => parseWorkload(entry.workload, "demo")).not.toThrow();
  });

  it("are switched off by CACHEDECK_WORKLOAD=off or the option", () => {
    expect(workloadEnabled(undefined, {})).toBe(true);
    expect(workloadEnabled(undefined, { CACHEDECK_WORKLOAD: "off" })).toBe(false);
    expect(workloadEnabled(undefined, { CACHEDECK_WORKLOAD: "0" })).toBe(false);
    expect(workloadEnabled(true, { CACHEDECK_WORKLOAD: "off" })).toBe(true);
    expect(workloadEnabled(false, {})).toBe(false);
  });
});

describe("key choice", () => {
  const config = (extra: Partial<WorkloadConfig> = {}) => parseWorkload({ opsPerSecond: 1, keySpace: 100, ...extra }, "t");

  it("spreads uniformly over the key space", () => {
    const keys = new KeyChooser("cart", config(), seeded(1));
    const seen = new Set(Array.from({ length: 5000 }, () => keys.next()));
    expect(seen.size).toBe(100);
    expect([...new KeyChooser("cart", config()).all()]).toHaveLength(100);
  });

  it("sends the hot share to hot keys that share one hash tag", () => {
    const keys = new KeyChooser("catalog", config({ hotKeys: { share: 0.7, count: 5, sameSlot: true } }), seeded(2));
    const picks = Array.from({ length: 10_000 }, () => keys.next());
    const hot = picks.filter((k) => k.startsWith("{catalog:hot}:"));
    expect(hot.length / picks.length).toBeGreaterThan(0.67);
    expect(hot.length / picks.length).toBeLessThan(0.73);
    expect(new Set(hot).size).toBe(5);
    expect(keys.burstKey(1000)).toMatch(/^\{catalog:hot\}:\d$/);
  });
});
