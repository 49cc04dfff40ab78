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
/**
 * Peak network (in + out) at most 80% of the node type's *baseline* bandwidth. The baseline is what the node
 * sustains (above it, it spends network credits that run out); the daily peak is a minute's mean, so the seconds
 * inside that minute run higher; and 80% is the room AWS asks to keep on CPU for failover and resharding, when a
 * replica's full sync adds its own traffic.
 */
export const NETWORK_HEADROOM = 0.8;
/**
 * Client connections a node at most: the CurrConnections alarm AWS's monitoring samples set (10,000), far under
 * maxclients (65,000). It guards the node count, not the type: every node type has the same maxclients, but fewer
 * replicas carry their readers' connections on fewer nodes.
 */
export const CONNECTION_HEADROOM = 10_000;

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
    /** NetworkBytesIn + NetworkBytesOut of the busiest primary / replica, bytes a second; null when not read. */
    primaryNetwork: number | null;
    replicaNetwork: number | null;
    /** CurrConnections of the busiest primary / replica; null when not read (or without replicas). */
    primaryConnections: number | null;
    replicaConnections: number | null;
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
 * The monthly saving of going from `current` to `target` while `reservedNodes` of the current node type stay reserved:
 * a reservation is billed for its whole term whatever the shape, so its charge is the same either way and drops out.
 * What changes is the on-demand part: the current nodes the reservation does not cover, against the target's nodes it
 * no longer covers (all of them when the node type changes; above `reservedNodes` when it does not). Nodes the
 * reservation frees may cover other on-demand nodes of that type in the region: that saving shows on those caches.
 * Null without both prices. Negative: until the reservation ends the change costs more.
 */
export function savingWhileReserved(current: CacheShape, target: CacheShape, reservedNodes: number, priceOf: PriceOf): number | null {
  const now = priceOf(current.nodeType);
  const then = priceOf(target.nodeType);
  if (now === null || then === null) return null;
  const covered = Math.min(reservedNodes, nodesOf(current));
  const coveredThen = target.nodeType === current.nodeType ? Math.min(covered, nodesOf(target)) : 0;
  return ((nodesOf(current) - covered) * now - (nodesOf(target) - coveredThen) * then) * HOURS_PER_MONTH;
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
  const shardChoices = input.clusterMode ? range(1, Math.max(shape.shards * 2, Math.ceil(totalCpu / ENGINE_CPU_HEADROOM))) : [shape.shards];
  const networkCap = (type: string) => {
    const gbps = NODE_TYPE_FACTS.get(type)!.networkBaselineGbps;
    return gbps === null ? null : (NETWORK_HEADROOM * gbps * 1e9) / 8;
  };
  /** The replicas a candidate keeps, or the rule it breaks: memory and CPU first, then network. */
  const judge = (type: string, shards: number): { replicas: number; heldBy: "connections" | "network" | null } | { broken: "memory-cpu" | "network"; perNode: number } => {
    const facts = NODE_TYPE_FACTS.get(type)!;
    if (totalNeed / shards > MEMORY_HEADROOM * maxmemoryShare * facts.memoryGiB * GIB || totalCpu / shards > ENGINE_CPU_HEADROOM) return { broken: "memory-cpu", perNode: 0 };
    const cap = networkCap(type);
    // Each primary's traffic divides over the shards; the replicas' over the replicas left.
    const primaryNet = peaks.primaryNetwork === null ? null : (peaks.primaryNetwork * shape.shards) / shards;
    if (cap !== null && primaryNet !== null && primaryNet > cap) return { broken: "network", perNode: primaryNet };
    if (cap !== null && peaks.replicaNetwork !== null && shape.replicasPerShard > 0 && peaks.replicaNetwork > cap) return { broken: "network", perNode: peaks.replicaNetwork };
    const byCpu = fewestReplicas(shape.replicasPerShard, floor, peaks.replicaEngineCpu, ENGINE_CPU_HEADROOM);
    const byConnections = fewestReplicas(shape.replicasPerShard, floor, peaks.replicaConnections, CONNECTION_HEADROOM);
    const byNetwork = cap === null ? floor : fewestReplicas(shape.replicasPerShard, floor, peaks.replicaNetwork, cap);
    const replicas = Math.max(byCpu, byConnections, byNetwork);
    return { replicas, heldBy: replicas === byCpu ? null : replicas === byConnections ? "connections" : "network" };
  };
  // Cheapest by price when the whole family has one, else least memory bought (never a mix of the two).
  const family = familyTypes(currentType.family);
  const priced = family.every((t) => priceOf(t.name) !== null);
  const size = (s: CacheShape) => (priced ? monthlyCost(s, priceOf)! : nodesOf(s) * NODE_TYPE_FACTS.get(s.nodeType)!.memoryGiB);
  let target: CacheShape | null = null;
  let heldBy: "connections" | "network" | null = null;
  /** Candidates that held memory and CPU but not the network: the cheapest is named if it beats the target. */
  const networkBound: { shape: CacheShape; perNode: number }[] = [];
  for (const type of family) {
    for (const shards of shardChoices) {
      const verdict = judge(type.name, shards);
      if ("broken" in verdict) {
        if (verdict.broken === "network") networkBound.push({ shape: { nodeType: type.name, shards, replicasPerShard: shape.replicasPerShard }, perNode: verdict.perNode });
        continue;
      }
      const candidate = { nodeType: type.name, shards, replicasPerShard: verdict.replicas };
      const better = !target || size(candidate) < size(target) || (size(candidate) === size(target) && nodesOf(candidate) < nodesOf(target));
      if (better) {
        target = candidate;
        heldBy = verdict.heldBy;
      }
    }
  }
  const reasons = describePeaks(input, maxmemoryShare, fragmentation);
  if (!target) {
    reasons.push(...describeNetwork(peaks, shape, shape.nodeType));
    reasons.push(
      input.clusterMode
        ? `No ${currentType.family} node type holds these peaks with ${ENGINE_CPU_HEADROOM}% engine CPU, ${MEMORY_HEADROOM * 100}% memory and ${NETWORK_HEADROOM * 100}% network headroom in up to ${shardChoices.at(-1)} shards.`
        : `No ${currentType.family} node type keeps engine CPU under ${ENGINE_CPU_HEADROOM}% and network under ${NETWORK_HEADROOM * 100}% of its baseline in one shard: cluster mode (more shards) is the way out.`,
    );
    return { verdict: "no-fit", current: shape, target: null, reasons, monthlySavingUsd: null, operations: [] };
  }
  const chosen: CacheShape = target;
  reasons.push(...describeNetwork(peaks, shape, chosen.nodeType, chosen.shards));
  const cheaperButNetworkBound = networkBound.filter((b) => size({ ...b.shape, replicasPerShard: chosen.replicasPerShard }) < size(chosen)).sort((a, b) => size(a.shape) - size(b.shape))[0];
  if (cheaperButNetworkBound) {
    const { shape: s, perNode } = cheaperButNetworkBound;
    const gbps = NODE_TYPE_FACTS.get(s.nodeType)!.networkBaselineGbps!;
    reasons.push(
      `${s.nodeType}${s.shards !== shape.shards ? ` in ${s.shards} shard(s)` : ""} would hold the memory and engine CPU, but not the network: ${mbps(perNode)} MB/s a node at peak is over ${NETWORK_HEADROOM * 100}% of its ${gbps} Gbps baseline (${mbps(networkCap(s.nodeType)!)} MB/s).`,
    );
  }
  reasons.push(describeConnections(peaks));
  const same = chosen.nodeType === shape.nodeType && chosen.shards === shape.shards && chosen.replicasPerShard === shape.replicasPerShard;
  const now = monthlyCost(shape, priceOf);
  const then = monthlyCost(chosen, priceOf);
  const saving = now !== null && then !== null ? now - then : null;
  const smaller = size(chosen) < size(shape);
  if (heldBy === "connections")
    reasons.push(`Keeps ${chosen.replicasPerShard} replica(s) per shard: their readers' ${Math.round(peaks.replicaConnections ?? 0).toLocaleString("en-US")} peak connections a replica would pass ${CONNECTION_HEADROOM.toLocaleString("en-US")} a node on fewer.`);
  else if (heldBy === "network") reasons.push(`Keeps ${chosen.replicasPerShard} replica(s) per shard: the replicas' network on fewer would pass ${NETWORK_HEADROOM * 100}% of ${chosen.nodeType}'s baseline.`);
  if (chosen.replicasPerShard < shape.replicasPerShard) reasons.push(`Replicas' engine CPU peaks at ${round(peaks.replicaEngineCpu ?? 0)}%: ${chosen.replicasPerShard} replica(s) per shard carry the reads${floor > 0 ? `, and keep the ${floor} a failover needs (Multi-AZ / automatic failover)` : ""}.`);
  else if (floor > 0 && shape.replicasPerShard === floor) reasons.push(`Keeps ${floor} replica per shard: Multi-AZ and automatic failover need one in another AZ.`);
  return {
    verdict: same ? "right-sized" : smaller ? "over-sized" : "under-sized",
    current: shape,
    target: chosen,
    reasons,
    monthlySavingUsd: same ? 0 : saving,
    operations: operationsBetween(shape, chosen),
  };
}

/**
 * Fewest replicas per shard, not under `floor`, whose per-replica load (engine CPU, connections or bytes a second:
 * `perReplica` at the current count) stays within `cap` once they share it. Unknown load keeps what the cache has.
 */
function fewestReplicas(current: number, floor: number, perReplica: number | null, cap: number): number {
  if (perReplica === null || current <= floor) return current;
  let replicas = current;
  while (replicas > floor && (perReplica * current) / (replicas - 1) <= cap) replicas--;
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
    `14-day peak memory ${gib(peaks.memoryBytes)} GiB a shard (used_memory, which counts the replication backlog and the replicas' output buffers; ×${fragmentation.toFixed(2)} fragmentation: ${round(usedShare * 100)}% of ${gib(maxmemory)} GiB maxmemory on ${shape.nodeType}); peak engine CPU ${round(peaks.primaryEngineCpu)}%.`,
  ];
}

/** The network sentence for `nodeType` at `shards` (the primaries' traffic divides over them). */
function describeNetwork(peaks: SizingInput["peaks"], current: CacheShape, nodeType: string, shards = current.shards): string[] {
  const gbps = NODE_TYPE_FACTS.get(nodeType)!.networkBaselineGbps;
  if (gbps === null) return [`Network not judged: no published baseline bandwidth for ${nodeType}.`];
  const busiest = Math.max(peaks.primaryNetwork === null ? -1 : (peaks.primaryNetwork * current.shards) / shards, peaks.replicaNetwork ?? -1);
  if (busiest < 0) return ["Network not judged: no NetworkBytesIn / NetworkBytesOut figures came back."];
  const baseline = (gbps * 1e9) / 8;
  return [`Peak network ${mbps(busiest)} MB/s a node (NetworkBytesIn + NetworkBytesOut): ${round((busiest / baseline) * 100)}% of ${nodeType}'s ${gbps} Gbps baseline, kept under ${NETWORK_HEADROOM * 100}%.`];
}

function describeConnections(peaks: SizingInput["peaks"]): string {
  const busiest = Math.max(peaks.primaryConnections ?? -1, peaks.replicaConnections ?? -1);
  if (busiest < 0) return "Connections not judged: no CurrConnections figures came back.";
  const n = (v: number) => Math.round(v).toLocaleString("en-US");
  return busiest > CONNECTION_HEADROOM
    ? `Peak connections ${n(busiest)} a node: over the ${n(CONNECTION_HEADROOM)} AWS's samples alarm at. No node type raises that (maxclients is 65,000 on every type): pool the clients' connections.`
    : `Peak connections ${n(busiest)} a node (CurrConnections), under the ${n(CONNECTION_HEADROOM)} AWS's samples alarm at (maxclients 65,000).`;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
}

const round = (n: number) => Math.round(n * 10) / 10;
const gib = (bytes: number) => round(bytes / GIB);
const mbps = (bytesPerSecond: number) => round(bytesPerSecond / 1e6);
