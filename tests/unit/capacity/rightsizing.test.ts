import { describe, expect, it } from "vitest";
import { GIB } from "@/lib/capacity/node-types";
import { replicaFloor, rightsize, savingWhileReserved, type SizingInput } from "@/lib/capacity/rightsizing";

// Prices of the test, USD per node-hour (not the snapshot's: these cases check the arithmetic).
const prices: Record<string, number> = { "cache.r7g.large": 0.2, "cache.r7g.xlarge": 0.4, "cache.m7g.large": 0.15, "cache.m7g.xlarge": 0.3 };
const priceOf = (t: string) => prices[t] ?? null;
const noPrices = () => null;

function input(over: Partial<Omit<SizingInput, "peaks">> & { peaks?: Partial<SizingInput["peaks"]> }): SizingInput {
  return {
    shape: { nodeType: "cache.r7g.xlarge", shards: 1, replicasPerShard: 1 },
    clusterMode: false,
    multiAz: true,
    automaticFailover: true,
    ...over,
    peaks: { memoryBytes: 2 * GIB, memoryPercent: (2 / 26.32) * 100, fragmentation: 1.1, primaryEngineCpu: 20, replicaEngineCpu: 5, primaryNetwork: null, replicaNetwork: null, primaryConnections: 100, replicaConnections: 50, ...over.peaks },
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

  it("keeps a node type whose smaller sibling would run past 80% of its baseline network bandwidth", () => {
    // 1 GiB and 20% CPU fit cache.m7g.large (0.9 × 6.38 GiB), which is what it recommends when the network is unknown.
    const shape = { nodeType: "cache.m7g.xlarge", shards: 1, replicasPerShard: 1 };
    const base = { shape, peaks: { memoryBytes: 1 * GIB, memoryPercent: (1 / 12.93) * 100, fragmentation: 1 } };
    expect(rightsize(input(base), priceOf)!.target!.nodeType).toBe("cache.m7g.large");
    // 100 MB/s a node: cache.m7g.large's 0.937 Gbps is 117.1 MB/s, 80% of it 93.7 MB/s < 100 → stays on cache.m7g.xlarge
    // (1.876 Gbps = 234.5 MB/s: 100 / 234.5 = 42.6%).
    const r = rightsize(input({ ...base, peaks: { ...base.peaks, primaryNetwork: 100e6, replicaNetwork: 20e6 } }), priceOf)!;
    expect(r.verdict).toBe("right-sized");
    expect(r.target).toEqual(shape);
    expect(r.reasons).toContain("Peak network 100 MB/s a node (NetworkBytesIn + NetworkBytesOut): 42.6% of cache.m7g.xlarge's 1.876 Gbps baseline, kept under 80%.");
    expect(r.reasons).toContain("cache.m7g.large would hold the memory and engine CPU, but not the network: 100 MB/s a node at peak is over 80% of its 0.937 Gbps baseline (93.7 MB/s).");
    // A replica's traffic alone can hold the type too: 95 MB/s on the replica, 10 MB/s on the primary.
    expect(rightsize(input({ ...base, peaks: { ...base.peaks, primaryNetwork: 10e6, replicaNetwork: 95e6 } }), priceOf)!.target!.nodeType).toBe("cache.m7g.xlarge");
    // Merging shards adds their primaries' traffic: 3 shards at 40 MB/s are 120 MB/s on one cache.m7g.large (> 93.7),
    // 60 MB/s a node on two.
    const sharded = rightsize(
      input({ shape: { nodeType: "cache.m7g.large", shards: 3, replicasPerShard: 1 }, clusterMode: true, peaks: { memoryBytes: 0.4 * GIB, memoryPercent: (0.4 / 6.38) * 100, primaryEngineCpu: 4, replicaEngineCpu: 2, primaryNetwork: 40e6 } }),
      priceOf,
    )!;
    expect(sharded.target).toEqual({ nodeType: "cache.m7g.large", shards: 2, replicasPerShard: 1 });
    expect(sharded.reasons.join(" ")).toContain("cache.m7g.large in 1 shard(s) would hold the memory and engine CPU, but not the network: 120 MB/s");
  });

  it("keeps replicas whose readers' connections would pass 10,000 a node on fewer", () => {
    // Three replicas at 2% engine CPU: CPU alone fits their reads on one (6%). 4,000 connections each: 12,000 on one
    // (> 10,000), 6,000 on two → two stay, one replica fewer: 0.2 × 1 × 730 = $146 a month.
    const shape = { nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 3 };
    const peaks = { memoryPercent: (2 / 13.07) * 100, replicaEngineCpu: 2 };
    expect(rightsize(input({ shape, peaks }), priceOf)!.target!.replicasPerShard).toBe(1);
    const r = rightsize(input({ shape, peaks: { ...peaks, replicaConnections: 4_000 } }), priceOf)!;
    expect(r.target).toEqual({ nodeType: "cache.r7g.large", shards: 1, replicasPerShard: 2 });
    expect(r.monthlySavingUsd).toBeCloseTo(146, 6);
    expect(r.reasons).toContain("Keeps 2 replica(s) per shard: their readers' 4,000 peak connections a replica would pass 10,000 a node on fewer.");
    // A primary over the alarm is said, and no node type is offered as the fix (maxclients is the same on every type).
    const crowded = rightsize(input({ peaks: { primaryConnections: 12_500 } }), priceOf)!;
    expect(crowded.reasons.join(" ")).toContain("Peak connections 12,500 a node: over the 10,000 AWS's samples alarm at. No node type raises that");
  });

  it("says the network was not judged for a node type without a published baseline", () => {
    // cache.r7g.* have no checkable baseline in node-types.ts: 500 MB/s does not stop the move to cache.r7g.large.
    const r = rightsize(input({ peaks: { primaryNetwork: 500e6 } }), priceOf)!;
    expect(r.target!.nodeType).toBe("cache.r7g.large");
    expect(r.reasons).toContain("Network not judged: no published baseline bandwidth for cache.r7g.large.");
    // Published baseline but no figures read: said too.
    const unread = rightsize(input({ shape: { nodeType: "cache.m7g.xlarge", shards: 1, replicasPerShard: 1 }, peaks: { memoryPercent: (2 / 12.93) * 100 } }), priceOf)!;
    expect(unread.reasons).toContain("Network not judged: no NetworkBytesIn / NetworkBytesOut figures came back.");
  });

  it("nets reserved nodes out of the saving while the reservation runs", () => {
    const current = { nodeType: "cache.r7g.xlarge", shards: 2, replicasPerShard: 2 };
    const fewerShards = { ...current, shards: 1 };
    // 6 nodes, 4 reserved: 2 on demand now; 1 shard of 3 is all covered by the reservation → 2 × 0.4 × 730.
    expect(savingWhileReserved(current, fewerShards, 4, priceOf)).toBeCloseTo(584, 6);
    // Nothing reserved: the on-demand saving, 3 × 0.4 × 730.
    expect(savingWhileReserved(current, fewerShards, 0, priceOf)).toBeCloseTo(876, 6);
    // A smaller type: the reservation covers none of the new nodes, so until it ends the change costs more:
    // 2 × 0.4 − 6 × 0.2 = −0.4 an hour.
    expect(savingWhileReserved(current, { ...current, nodeType: "cache.r7g.large" }, 4, priceOf)).toBeCloseTo(-292, 6);
    // More reserved nodes than the cache has count only as many as it has.
    expect(savingWhileReserved(current, fewerShards, 10, priceOf)).toBeCloseTo(0, 6);
    expect(savingWhileReserved(current, { ...current, nodeType: "cache.unknown" }, 4, priceOf)).toBeNull();
  });
});
