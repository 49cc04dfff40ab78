import { z } from "zod";

// A fleet file's `generate` section: a large, varied fleet written as a few numbers instead of thousands of entries,
// the same every time for the same seed. What it produces is ordinary fleet entries (ElastiCache API parameters),
// created through the same operations as hand-written ones.

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d+$/;

export const generateSchema = z.strictObject({
  /** Same seed, same fleet: names, shapes, engines, tags. */
  seed: z.number().int(),
  /** Caches are dealt to the regions in turn. */
  regions: z.array(z.string().regex(REGION, "region names look like us-east-1")).min(1),
  replicationGroups: z.number().int().min(0).max(5000),
  /** Of the replication groups, how many have the largest shape: 30 shards of a primary and two replicas. */
  largeReplicationGroups: z.number().int().min(0).default(0),
  memcachedClusters: z.number().int().min(0).max(2000).default(0),
});
export type GenerateSection = z.infer<typeof generateSchema>;

export interface GeneratedEntries {
  replicationGroups: Record<string, unknown>[];
  cacheClusters: Record<string, unknown>[];
}

const SERVICES = ["orders", "catalog", "checkout", "search", "payments", "profiles", "inventory", "pricing", "ads", "feeds", "auth", "media", "billing", "shipping", "reviews", "chat"];
const PURPOSES = ["sessions", "cache", "ratelimit", "features", "queue", "leaderboard", "tokens", "carts"];
const TEAMS = ["checkout", "discovery", "platform", "payments", "identity", "growth", "logistics", "content"];
const REDIS_TYPES = ["cache.t4g.small", "cache.t4g.medium", "cache.m7g.large", "cache.m6g.large", "cache.r7g.large", "cache.r6g.large", "cache.r7g.xlarge"];
const MEMCACHED_TYPES = ["cache.t4g.small", "cache.t4g.medium", "cache.m7g.large"];
const ENGINES: Array<[engine: string, version: string, weight: number]> = [
  ["redis", "7.1", 0.5],
  ["valkey", "8.0", 0.3],
  ["redis", "6.2", 0.1],
  ["valkey", "7.2", 0.1],
];

/** mulberry32: small, fast and good enough to vary a fleet; no dependency. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Entries of the generated fleet, by region. */
export function generateFleet(section: GenerateSection): Map<string, GeneratedEntries> {
  const rand = random(section.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)];
  const between = (low: number, high: number) => low + Math.floor(rand() * (high - low + 1));
  const weighted = <T>(options: Array<[T, number]>): T => {
    let r = rand();
    for (const [value, weight] of options) if ((r -= weight) < 0) return value;
    return options[options.length - 1][0];
  };
  const byRegion = new Map(section.regions.map((r) => [r, { replicationGroups: [], cacheClusters: [] } as GeneratedEntries]));
  const regionOf = (i: number) => byRegion.get(section.regions[i % section.regions.length])!;
  const tags = (service: string) => [
    { Key: "service", Value: service },
    { Key: "team", Value: pick(TEAMS) },
    { Key: "env", Value: weighted([["production", 0.6], ["staging", 0.25], ["development", 0.15]]) },
  ];

  for (let i = 0; i < section.replicationGroups; i++) {
    const service = pick(SERVICES);
    const [engine, version] = weighted(ENGINES.map(([e, v, w]) => [[e, v] as const, w]));
    const entry: Record<string, unknown> = {
      ReplicationGroupId: `${service}-${pick(PURPOSES)}-${String(i + 1).padStart(4, "0")}`,
      ReplicationGroupDescription: `Generated ${service} cache ${i + 1}`,
      Engine: engine,
      EngineVersion: version,
      CacheNodeType: pick(REDIS_TYPES),
      AutomaticFailoverEnabled: true,
      Tags: tags(service),
    };
    if (i < section.largeReplicationGroups) Object.assign(entry, { NumNodeGroups: 30, ReplicasPerNodeGroup: 2, CacheNodeType: "cache.r7g.xlarge" });
    else if (rand() < 0.12) Object.assign(entry, { NumNodeGroups: between(2, 4), ReplicasPerNodeGroup: weighted([[1, 0.7], [2, 0.3]]) });
    else Object.assign(entry, { NumCacheClusters: weighted([[2, 0.6], [3, 0.3], [4, 0.1]]), MultiAZEnabled: rand() < 0.7 });
    regionOf(i).replicationGroups.push(entry);
  }
  for (let i = 0; i < section.memcachedClusters; i++) {
    const service = pick(SERVICES);
    const nodes = between(1, 3);
    regionOf(i).cacheClusters.push({
      CacheClusterId: `${service}-memcached-${String(i + 1).padStart(4, "0")}`,
      Engine: "memcached",
      EngineVersion: "1.6.22",
      CacheNodeType: pick(MEMCACHED_TYPES),
      NumCacheNodes: nodes,
      AZMode: nodes > 1 ? "cross-az" : "single-az",
      Tags: tags(service),
    });
  }
  return byRegion;
}
