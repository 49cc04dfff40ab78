import { familyTypes, GIB, NODE_TYPE_FACTS } from "./node-types";

// The smallest node type, shard count and replica count that keep AWS's recommended headroom at a cache's 14-day
// peaks (docs/cost.md, "Capacity and rightsizing"). Pure arithmetic: the inputs are peaks and the cache's shape, the
// prices come in as a function, and every rule is checked by hand-computed unit tests.

/** Peak memory (with fragmentation overhead) at most 90% of maxmemory: the DatabaseMemoryUsagePercentage alarm. */
export const MEMORY_HEADROOM = 0.9;
/** Peak engine CPU at most 80%: the ceiling AWS asks for so resharding and failover still have room. */
export const ENGINE_CPU_HEADROOM = 80;
/** Fragmentation counted at most this much: above 1.5 active defragmentation, not a bigger node, is the fix. */
export const MAX_FRAGMENTATION = 1.5;
/** Without a measured DatabaseMemoryUsagePercentage, maxmemory is the node's memory less the default 25% reserve. */
export const DEFAULT_MAXMEMORY_SHARE = 0.75;
export const HOURS_PER_MONTH = 730;

export interface CacheShape {
  nodeType: string;
  shards: number;
  replicasPerShard: number;
}

export interface SizingInput {
  shape: CacheShape;
  /** Cluster mode enabled: the shard count may change (online resharding). */
  clusterMode: boolean;
  multiAz: boolean;
  automaticFailover: boolean;
  /** 14-day peaks, of the busiest node unless said otherwise. */
  peaks: {
    memoryBytes: number;
    /** DatabaseMemoryUsagePercentage at the same node's peak, to learn maxmemory; null when not published. */
    memoryPercent: number | null;
    /** MemoryFragmentationRatio, averaged. */
    fragmentation: number;
    /** EngineCPUUtilization of the busiest primary. */
    primaryEngineCpu: number;
    /** EngineCPUUtilization of the busiest replica; null without replicas. */
    replicaEngineCpu: number | null;
  };
}

export type OperationLink =
  | { op: "modify-node-type"; nodeType: string }
  | { op: "modify-shard-count"; shards: number }
  | { op: "modify-replica-count"; replicas: number };

export interface Recommendation {
  verdict: "over-sized" | "under-sized" | "right-sized" | "no-fit";
  current: CacheShape;
  /** The recommended shape; equal to `current` when right-sized, null when nothing in the family fits. */
  target: CacheShape | null;
  /** Why, in sentences a person reads. */
  reasons: string[];
  /** current − target monthly on-demand cost; null without prices for both. Negative: the fix costs more. */
  monthlySavingUsd: number | null;
  /** The scaling operations that get from current to target, in the order to run them. */
  operations: OperationLink[];
}

/** On-demand USD per node-hour of a node type, or null when the price is unknown. */
export type PriceOf = (nodeType: string) => number | null;

const nodesOf = (s: CacheShape) => s.shards * (1 + s.replicasPerShard);

export function monthlyCost(shape: CacheShape, priceOf: PriceOf): number | null {
  const price = priceOf(shape.nodeType);
  return price === null ? null : price * nodesOf(shape) * HOURS_PER_MONTH;
}

/**
 * Replicas never go below one when the cache has Multi-AZ or automatic failover (a failover needs a replica in
 * another AZ), nor below what the cache has when it has none to spare.
 */
export function replicaFloor(input: Pick<SizingInput, "multiAz" | "automaticFailover" | "shape">): number {
  return input.multiAz || input.automaticFailover ? 1 : Math.min(input.shape.replicasPerShard, 1);
}

/** The recommendation for a Redis OSS / Valkey node-based cache; null for a node type outside the known families. */
export function rightsize(input: SizingInput, lookUpPrice: PriceOf): Recommendation | null {
  const { shape, peaks } = input;
  // Every candidate asks for its type's price many times: look each up once.
  const prices = new Map<string, number | null>();
  const priceOf: PriceOf = (t) => {
    if (!prices.has(t)) prices.set(t, lookUpPrice(t));
    return prices.get(t)!;
  };
  const currentType = NODE_TYPE_FACTS.get(shape.nodeType);
  if (!currentType) return null;
  // maxmemory as a share of the node's memory, learnt from the peak node (reserved memory differs per parameter group).
  const maxmemoryShare =
    peaks.memoryPercent && peaks.memoryPercent > 0 && peaks.memoryBytes > 0
      ? Math.min(1, peaks.memoryBytes / (peaks.memoryPercent / 100) / (currentType.memoryGiB * GIB))
      : DEFAULT_MAXMEMORY_SHARE;
  const fragmentation = Math.min(MAX_FRAGMENTATION, Math.max(1, peaks.fragmentation));
  const totalNeed = peaks.memoryBytes * fragmentation * shape.shards;
  const totalCpu = peaks.primaryEngineCpu * shape.shards;

  const floor = replicaFloor(input);
  const replicas = fewestReplicas(shape.replicasPerShard, floor, peaks.replicaEngineCpu);
  const shardChoices = input.clusterMode ? range(1, Math.max(shape.shards * 2, Math.ceil(totalCpu / ENGINE_CPU_HEADROOM))) : [shape.shards];
  const fits = (type: string, shards: number) => {
    const facts = NODE_TYPE_FACTS.get(type)!;
    return totalNeed / shards <= MEMORY_HEADROOM * maxmemoryShare * facts.memoryGiB * GIB && totalCpu / shards <= ENGINE_CPU_HEADROOM;
  };
  // Cheapest by price when the whole family has one, else least memory bought (never a mix of the two).
  const family = familyTypes(currentType.family);
  const priced = family.every((t) => priceOf(t.name) !== null);
  const size = (s: CacheShape) => (priced ? monthlyCost(s, priceOf)! : nodesOf(s) * NODE_TYPE_FACTS.get(s.nodeType)!.memoryGiB);
  let target: CacheShape | null = null;
  for (const type of family) {
    for (const shards of shardChoices) {
      if (!fits(type.name, shards)) continue;
      const candidate = { nodeType: type.name, shards, replicasPerShard: replicas };
      const better = !target || size(candidate) < size(target) || (size(candidate) === size(target) && nodesOf(candidate) < nodesOf(target));
      if (better) target = candidate;
    }
  }
  const reasons = describePeaks(input, maxmemoryShare, fragmentation);
  if (!target) {
    reasons.push(
      input.clusterMode
        ? `No ${currentType.family} node type holds these peaks with ${ENGINE_CPU_HEADROOM}% engine CPU and ${MEMORY_HEADROOM * 100}% memory headroom in up to ${shardChoices.at(-1)} shards.`
        : `No ${currentType.family} node type keeps engine CPU under ${ENGINE_CPU_HEADROOM}% in one shard: cluster mode (more shards) is the way out.`,
    );
    return { verdict: "no-fit", current: shape, target: null, reasons, monthlySavingUsd: null, operations: [] };
  }
  const same = target.nodeType === shape.nodeType && target.shards === shape.shards && target.replicasPerShard === shape.replicasPerShard;
  const now = monthlyCost(shape, priceOf);
  const then = monthlyCost(target, priceOf);
  const saving = now !== null && then !== null ? now - then : null;
  const smaller = size(target) < size(shape);
  if (target.replicasPerShard < shape.replicasPerShard) reasons.push(`Replicas' engine CPU peaks at ${round(peaks.replicaEngineCpu ?? 0)}%: ${target.replicasPerShard} replica(s) per shard carry the reads${floor > 0 ? `, and keep the ${floor} a failover needs (Multi-AZ / automatic failover)` : ""}.`);
  else if (floor > 0 && shape.replicasPerShard === floor) reasons.push(`Keeps ${floor} replica per shard: Multi-AZ and automatic failover need one in another AZ.`);
  return {
    verdict: same ? "right-sized" : smaller ? "over-sized" : "under-sized",
    current: shape,
    target,
    reasons,
    monthlySavingUsd: same ? 0 : saving,
    operations: operationsBetween(shape, target),
  };
}

/** Fewest replicas per shard, not under `floor`, whose engine CPU stays within headroom once they share the reads. */
function fewestReplicas(current: number, floor: number, replicaCpu: number | null): number {
  if (replicaCpu === null || current <= floor) return current;
  let replicas = current;
  while (replicas > floor && (replicaCpu * current) / (replicas - 1) <= ENGINE_CPU_HEADROOM) replicas--;
  return replicas;
}

/**
 * The order that never leaves the cache short: grow first (node type up, shards out), then shrink (shards in,
 * node type down), replicas last.
 */
function operationsBetween(from: CacheShape, to: CacheShape): OperationLink[] {
  const ops: OperationLink[] = [];
  const up = NODE_TYPE_FACTS.get(to.nodeType)!.memoryGiB > NODE_TYPE_FACTS.get(from.nodeType)!.memoryGiB;
  if (to.nodeType !== from.nodeType && up) ops.push({ op: "modify-node-type", nodeType: to.nodeType });
  if (to.shards !== from.shards) ops.push({ op: "modify-shard-count", shards: to.shards });
  if (to.nodeType !== from.nodeType && !up) ops.push({ op: "modify-node-type", nodeType: to.nodeType });
  if (to.replicasPerShard !== from.replicasPerShard) ops.push({ op: "modify-replica-count", replicas: to.replicasPerShard });
  return ops;
}

function describePeaks(input: SizingInput, maxmemoryShare: number, fragmentation: number): string[] {
  const { shape, peaks } = input;
  const type = NODE_TYPE_FACTS.get(shape.nodeType)!;
  const maxmemory = maxmemoryShare * type.memoryGiB * GIB;
  const usedShare = (peaks.memoryBytes * fragmentation) / maxmemory;
  return [
    `14-day peak memory ${gib(peaks.memoryBytes)} GiB a shard (×${fragmentation.toFixed(2)} fragmentation: ${round(usedShare * 100)}% of ${gib(maxmemory)} GiB maxmemory on ${shape.nodeType}); peak engine CPU ${round(peaks.primaryEngineCpu)}%.`,
  ];
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

const round = (n: number) => Math.round(n * 10) / 10;
const gib = (bytes: number) => round(bytes / GIB);
