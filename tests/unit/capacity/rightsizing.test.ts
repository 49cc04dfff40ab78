import { describe, expect, it } from "vitest";
import { GIB } from "@/lib/capacity/node-types";
import { replicaFloor, rightsize, type SizingInput } from "@/lib/capacity/rightsizing";

// Prices of the test, USD per node-hour (not the snapshot's: these cases check the arithmetic).
const prices: Record<string, number> = { "cache.r7g.large": 0.2, "cache.r7g.xlarge": 0.4, "cache.m7g.large": 0.15 };
const priceOf = (t: string) => prices[t] ?? null;
const noPrices = () => null;

function input(over: Partial<Omit<SizingInput, "peaks">> & { peaks?: Partial<SizingInput["peaks"]> }): SizingInput {
  return {
    shape: { nodeType: "cache.r7g.xlarge", shards: 1, replicasPerShard: 1 },
    clusterMode: false,
    multiAz: true,
    automaticFailover: true,
    ...over,
    peaks: { memoryBytes: 2 * GIB, memoryPercent: (2 / 26.32) * 100, fragmentation: 1.1, primaryEngineCpu: 20, replicaEngineCpu: 5, ...over.peaks },
  };
}

describe("rightsizing", () => {
  it("recommends the smallest node type of the family that holds the peaks, with the monthly saving", () => {
    // 2 GiB × 1.1 = 2.2 GiB; cache.r7g.large holds 0.9 × 13.07 = 11.76 GiB (maxmemory is the whole node here).
    const r = rightsize(input({}), priceOf)!;
    expect(r.verdict).toBe("over-sized");
    expect(r.target).toEqual({ nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 1 });
    // (0.4 − 0.2) USD × 2 nodes × 730 h.
    expect(r.monthlySavingUsd).toBeCloseTo(292, 6);
    expect(r.operations).toEqual([{ op: "modify-node-type", nodeType: "cache.r7g.large" }]);
    expect(r.reasons.join(" ")).toContain("Multi-AZ");
  });

  it("never takes the last replica of a Multi-AZ or automatic-failover cache", () => {
    const idleReplica = { replicaEngineCpu: 0 };
    for (const flags of [{ multiAz: true, automaticFailover: true }, { multiAz: false, automaticFailover: true }, { multiAz: true, automaticFailover: false }]) {
      const r = rightsize(input({ ...flags, peaks: idleReplica }), priceOf)!;
      expect(r.target!.replicasPerShard).toBe(1);
      expect(r.operations.some((o) => o.op === "modify-replica-count")).toBe(false);
    }
    // Three idle replicas: their reads fit on one ((2% × 3) / 1 = 6% ≤ 80%), and one stays for failover.
    const three = rightsize(input({ shape: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 3 }, peaks: { memoryPercent: (2 / 13.07) * 100, replicaEngineCpu: 2 } }), priceOf)!;
    expect(three.target).toEqual({ nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 1 });
    expect(three.operations).toEqual([{ op: "modify-replica-count", replicas: 1 }]);
    expect(three.monthlySavingUsd).toBeCloseTo(0.2 * 2 * 730, 6);
    // Busy replicas stay: 60% × 2 / 1 = 120% would not fit on one.
    const busy = rightsize(input({ shape: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 2 }, peaks: { memoryPercent: (2 / 13.07) * 100, replicaEngineCpu: 60 } }), priceOf)!;
    expect(busy.target!.replicasPerShard).toBe(2);
    expect(replicaFloor({ multiAz: false, automaticFailover: false, shape: { nodeType: "x", shards: 1, replicasPerShard: 0 } })).toBe(0);
  });

  it("merges shards of an over-sized cluster-mode cache", () => {
    // Three m7g.large shards at 0.4 GiB and 4% CPU: 0.4 × 1.1 × 3 = 1.32 GiB and 12% CPU fit in one shard.
    const r = rightsize(
      input({ shape: { nodeType: "cache.m7g.large", shards: 3, replicasPerShard: 1 }, clusterMode: true, peaks: { memoryBytes: 0.4 * GIB, memoryPercent: (0.4 / 6.38) * 100, primaryEngineCpu: 4, replicaEngineCpu: 2 } }),
      priceOf,
    )!;
    expect(r.target).toEqual({ nodeType: "cache.m7g.large", shards: 1, replicasPerShard: 1 });
    expect(r.operations).toEqual([{ op: "modify-shard-count", shards: 1 }]);
    // 0.15 × (6 − 2) nodes × 730 h.
    expect(r.monthlySavingUsd).toBeCloseTo(438, 6);
    // Engine CPU sets the floor on shards: 70% on each of 3 shards is 210%, which needs 3 shards at ≤ 80%.
    const hot = rightsize(input({ shape: { nodeType: "cache.m7g.large", shards: 3, replicasPerShard: 1 }, clusterMode: true, peaks: { memoryBytes: 0.4 * GIB, memoryPercent: 6.27, primaryEngineCpu: 70 } }), priceOf)!;
    expect(hot.target!.shards).toBe(3);
    expect(hot.verdict).toBe("right-sized");
    expect(hot.monthlySavingUsd).toBe(0);
  });

  it("scales up a cache whose peaks break the headroom, growing before anything shrinks", () => {
    // 12 GiB on cache.r7g.large (13.07 GiB maxmemory): 91.8% > 90%; cache.r7g.xlarge holds 0.9 × 26.32 = 23.7 GiB.
    const r = rightsize(input({ shape: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 1 }, peaks: { memoryBytes: 12 * GIB, memoryPercent: (12 / 13.07) * 100, fragmentation: 1 } }), priceOf)!;
    expect(r.verdict).toBe("under-sized");
    expect(r.target!.nodeType).toBe("cache.r7g.xlarge");
    expect(r.monthlySavingUsd).toBeCloseTo(-292, 6);
  });

  it("learns maxmemory from the memory percentage, else assumes AWS's 25% reserve, and caps fragmentation", () => {
    // 5 GiB at 50%: maxmemory 10 GiB of cache.r7g.large's 13.07 (a 23.5% reserve); 5 × 1.5 (capped from 3) = 7.5 ≤ 0.9 × 10 → stays.
    const learnt = rightsize(input({ shape: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 1 }, peaks: { memoryBytes: 5 * GIB, memoryPercent: 50, fragmentation: 3 } }), noPrices)!;
    expect(learnt.verdict).toBe("right-sized");
    expect(learnt.monthlySavingUsd).toBe(0);
    // Without the percentage: maxmemory 0.75 × 13.07 = 9.8 GiB; 9 GiB × 1 > 0.9 × 9.8 = 8.82 → up a size.
    const assumed = rightsize(input({ shape: { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 1 }, peaks: { memoryBytes: 9 * GIB, memoryPercent: null, fragmentation: 1 } }), noPrices)!;
    expect(assumed.target!.nodeType).toBe("cache.r7g.xlarge");
    expect(assumed.monthlySavingUsd).toBeNull();
  });

  it("says when nothing fits, and leaves unknown node types alone", () => {
    const r = rightsize(input({ peaks: { primaryEngineCpu: 95 } }), priceOf)!;
    expect(r.verdict).toBe("no-fit");
    expect(r.target).toBeNull();
    expect(r.reasons.at(-1)).toContain("cluster mode");
    expect(rightsize(input({ shape: { nodeType: "cache.x9.huge", shards: 1, replicasPerShard: 1 } }), priceOf)).toBeNull();
  });
});
