import type { StandardUnit } from "./validation";

// The model behind a simulated node's metrics (scale mode): every figure is a pure function of the node's identity,
// its role history and the minute, so any window can be computed when asked for, nothing is stored, and the same
// fleet shows the same history every run. Caches differ (a few hot, most quiet; some nearly full and evicting), each
// follows a daily cycle with a per-cache phase, and minute-to-minute noise keeps charts from looking drawn.

export interface SimulatedNodeFacts {
  /** Names the cache (its replication group, or its cluster): members of one cache share a profile. */
  cacheKey: string;
  /** Names the node: its own variation on the cache's profile. */
  nodeKey: string;
  engine: "redis" | "valkey" | "memcached";
  /** undefined: a standalone node, which is its own primary. */
  role?: "primary" | "replica";
  /** Epoch seconds when a failover gave the node its current role; before it, it had the other one. */
  roleSince?: number;
  /** Real memory of the node type, bytes. */
  memoryBytes: number;
  vcpus: number;
}

export interface ModelledMetric {
  name: string;
  unit: StandardUnit;
  /**
   * The figure at `t` (epoch seconds): a gauge's level, a counter's count over the minute. Constant within a minute
   * except where a failover changes the node's role.
   */
  at: (facts: SimulatedNodeFacts, profile: Profile, t: number) => number;
  /** Counters are split over the minute's samples; gauges repeat. */
  counter?: boolean;
  /** Only for nodes of this role (replication figures). */
  role?: "primary" | "replica";
}

export interface Profile {
  load: number;
  fill: number;
  hitRatio: number;
  readShare: number;
  valueBytes: number;
  clients: number;
  phase: number;
  fragmentation: number;
}

/** FNV-1a: a stable 32-bit hash of a name. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A uniform number in [0, 1) from two integers (murmur3's finaliser). */
function unit(a: number, b: number): number {
  let h = (a ^ Math.imul(b | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

export function profileOf(facts: SimulatedNodeFacts): Profile {
  const cache = hash(facts.cacheKey);
  const node = hash(facts.nodeKey);
  const u = (i: number) => unit(cache, i);
  return {
    // Most caches are quiet, a few are hot.
    load: 0.02 + 0.93 * u(1) ** 2.5 * (0.9 + 0.2 * unit(node, 1)),
    // One cache in twelve runs nearly full (and evicts).
    fill: u(2) < 1 / 12 ? 0.93 + 0.05 * u(3) : 0.1 + 0.7 * u(3),
    hitRatio: 0.7 + 0.295 * u(4),
    readShare: 0.6 + 0.35 * u(5),
    valueBytes: 200 + Math.round(3800 * u(6)),
    clients: 5 + Math.round(600 * u(7)),
    phase: 2 * Math.PI * u(8),
    fragmentation: 1 + 0.5 * unit(node, 2),
  };
}

const minuteOf = (t: number) => Math.floor(t / 60);
/** Noise that changes once a minute. */
const noise = (f: SimulatedNodeFacts, t: number, salt = 0) => unit(hash(f.nodeKey) + salt, minuteOf(t));

/** How busy the cache is this minute: its load, its daily cycle and a little noise. */
function activity(facts: SimulatedNodeFacts, p: Profile, t: number): number {
  const daily = 0.65 + 0.35 * Math.sin((2 * Math.PI * minuteOf(t) * 60) / 86_400 + p.phase);
  return p.load * daily * (0.85 + 0.3 * noise(facts, t));
}

/** Whether the node was the primary at `t`. */
export function isPrimaryAt(facts: SimulatedNodeFacts, t: number): boolean {
  const now = facts.role !== "replica";
  return facts.roleSince !== undefined && t < facts.roleSince ? !now : now;
}

const opsPerSecond = (f: SimulatedNodeFacts, p: Profile, m: number) => 20 + 40_000 * activity(f, p, m);
/** Replicas serve a share of the reads and none of the writes. */
const reads = (f: SimulatedNodeFacts, p: Profile, m: number) => 60 * opsPerSecond(f, p, m) * p.readShare * (isPrimaryAt(f, m) ? 1 : 0.5);
const writes = (f: SimulatedNodeFacts, p: Profile, m: number) => (isPrimaryAt(f, m) ? 60 * opsPerSecond(f, p, m) * (1 - p.readShare) : 0);
const usedFraction = (f: SimulatedNodeFacts, p: Profile, m: number) => Math.min(0.995, p.fill * (0.97 + 0.03 * Math.sin((minuteOf(m) * 60) / 10_800 + p.phase)));
const usedBytes = (f: SimulatedNodeFacts, p: Profile, m: number) => f.memoryBytes * 0.75 * usedFraction(f, p, m);
const evictions = (f: SimulatedNodeFacts, p: Profile, m: number) => (usedFraction(f, p, m) > 0.92 ? Math.round(writes(f, p, m) * (usedFraction(f, p, m) - 0.92) * 4) : 0);
const engineCpu = (f: SimulatedNodeFacts, p: Profile, m: number) => Math.min(99, 1 + 85 * activity(f, p, m) * (isPrimaryAt(f, m) ? 1 : 0.6));
const connections = (f: SimulatedNodeFacts, p: Profile, m: number) => Math.round(p.clients * (0.5 + activity(f, p, m)));
/** Seconds behind the primary: milliseconds normally; for five minutes after a failover, a replica that was just
 * rebuilt catches up from half a minute behind. */
function replicationLag(f: SimulatedNodeFacts, p: Profile, m: number): number {
  const base = 0.001 + 0.05 * activity(f, p, m) * noise(f, m, 2);
  const since = f.roleSince === undefined ? Infinity : m - f.roleSince;
  return since >= 0 && since < 300 ? base + 30 * (1 - since / 300) : base;
}

export const REDIS_MODEL: readonly ModelledMetric[] = [
  { name: "CPUUtilization", unit: "Percent", at: (f, p, m) => Math.min(100, 2 + engineCpu(f, p, m) / f.vcpus + 3 * noise(f, m, 1)) },
  { name: "EngineCPUUtilization", unit: "Percent", at: engineCpu },
  { name: "DatabaseMemoryUsagePercentage", unit: "Percent", at: (f, p, m) => 100 * usedFraction(f, p, m) },
  { name: "BytesUsedForCache", unit: "Bytes", at: usedBytes },
  { name: "FreeableMemory", unit: "Bytes", at: (f, p, m) => f.memoryBytes - usedBytes(f, p, m) },
  { name: "MemoryFragmentationRatio", unit: "None", at: (f, p) => p.fragmentation },
  { name: "CurrConnections", unit: "Count", at: connections },
  { name: "NewConnections", unit: "Count", counter: true, at: (f, p, m) => Math.round(connections(f, p, m) * 0.05) },
  { name: "CurrItems", unit: "Count", at: (f, p, m) => Math.round(usedBytes(f, p, m) / p.valueBytes) },
  { name: "GetTypeCmds", unit: "Count", counter: true, at: reads },
  { name: "SetTypeCmds", unit: "Count", counter: true, at: writes },
  { name: "CacheHits", unit: "Count", counter: true, at: (f, p, m) => reads(f, p, m) * p.hitRatio },
  { name: "CacheMisses", unit: "Count", counter: true, at: (f, p, m) => reads(f, p, m) * (1 - p.hitRatio) },
  { name: "CacheHitRate", unit: "Percent", at: (f, p) => 100 * p.hitRatio },
  { name: "Evictions", unit: "Count", counter: true, at: evictions },
  { name: "Reclaimed", unit: "Count", counter: true, at: (f, p, m) => writes(f, p, m) * 0.05 },
  { name: "NetworkBytesIn", unit: "Bytes", counter: true, at: (f, p, m) => writes(f, p, m) * p.valueBytes + reads(f, p, m) * 40 },
  { name: "NetworkBytesOut", unit: "Bytes", counter: true, at: (f, p, m) => reads(f, p, m) * p.valueBytes * p.hitRatio + writes(f, p, m) * 8 },
  { name: "IsMaster", unit: "Count", at: (f, p, m) => (isPrimaryAt(f, m) ? 1 : 0) },
  { name: "ReplicationBytes", unit: "Bytes", counter: true, role: "primary", at: (f, p, m) => writes(f, p, m) * p.valueBytes },
  { name: "ReplicationLag", unit: "Seconds", role: "replica", at: replicationLag },
];

export const MEMCACHED_MODEL: readonly ModelledMetric[] = [
  { name: "CPUUtilization", unit: "Percent", at: (f, p, m) => Math.min(100, 2 + (90 * activity(f, p, m)) / f.vcpus) },
  { name: "CurrConnections", unit: "Count", at: connections },
  { name: "NewConnections", unit: "Count", counter: true, at: (f, p, m) => Math.round(connections(f, p, m) * 0.05) },
  { name: "CurrItems", unit: "Count", at: (f, p, m) => Math.round(usedBytes(f, p, m) / p.valueBytes) },
  { name: "BytesUsedForCacheItems", unit: "Bytes", at: usedBytes },
  { name: "FreeableMemory", unit: "Bytes", at: (f, p, m) => f.memoryBytes - usedBytes(f, p, m) },
  { name: "CmdGet", unit: "Count", counter: true, at: reads },
  { name: "CmdSet", unit: "Count", counter: true, at: writes },
  { name: "GetHits", unit: "Count", counter: true, at: (f, p, m) => reads(f, p, m) * p.hitRatio },
  { name: "GetMisses", unit: "Count", counter: true, at: (f, p, m) => reads(f, p, m) * (1 - p.hitRatio) },
  { name: "Evictions", unit: "Count", counter: true, at: evictions },
  { name: "Reclaimed", unit: "Count", counter: true, at: (f, p, m) => writes(f, p, m) * 0.05 },
  { name: "NetworkBytesIn", unit: "Bytes", counter: true, at: (f, p, m) => writes(f, p, m) * p.valueBytes + reads(f, p, m) * 40 },
  { name: "NetworkBytesOut", unit: "Bytes", counter: true, at: (f, p, m) => reads(f, p, m) * p.valueBytes * p.hitRatio + writes(f, p, m) * 8 },
];
