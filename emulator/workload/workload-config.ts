import { z } from "zod";

/**
 * The `workload` section a fleet entry may carry: the traffic the demo drives at that cache. Reads follow the
 * cache-aside pattern (a read that misses writes the key back, as an application would after loading it from its
 * database), so hit rates, memory use and evictions follow from the traffic and the node size, never from a target.
 */
export const workloadSchema = z.strictObject({
  /** Reads plus writes per second (cache-aside fills come on top). */
  opsPerSecond: z.number().positive().max(20_000),
  /** Share of operations that are reads. */
  readRatio: z.number().min(0).max(1).default(0.9),
  /** How many distinct keys reads and writes pick from (uniformly). */
  keySpace: z.number().int().positive().max(10_000_000).default(10_000),
  valueBytes: z.number().int().positive().max(1024 * 1024).default(256),
  /** TTL on every write, with ±10% jitter; 0 keeps keys forever. */
  ttlSeconds: z.number().int().nonnegative().default(0),
  /** Cache-aside: a read that misses writes the key. */
  fillOnMiss: z.boolean().default(true),
  /** Write every key of the key space once at start (a warm cache). */
  prefill: z.boolean().default(false),
  /** A share of all operations goes to a few hot keys; in cluster mode they share one hash slot (a hot shard). */
  hotKeys: z.strictObject({ share: z.number().min(0).max(1), count: z.number().int().positive().max(100_000), sameSlot: z.boolean().default(true) }).optional(),
  /** Periodic write bursts on top of the steady traffic, to `keys` keys (the hot keys when there are some). */
  bursts: z
    .strictObject({
      everySeconds: z.number().positive(),
      durationSeconds: z.number().positive(),
      writesPerSecond: z.number().positive().max(50_000),
      valueBytes: z.number().int().positive().max(1024 * 1024).optional(),
      keys: z.number().int().positive().max(1_000_000).default(1000),
    })
    .optional(),
  /** Replication groups (cluster mode disabled): each replica replicates over a link of this many bytes per second. */
  replicaLinkBytesPerSecond: z.number().int().positive().optional(),
});
export type WorkloadConfig = z.output<typeof workloadSchema>;

export function parseWorkload(raw: unknown, where: string): WorkloadConfig {
  const parsed = workloadSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`${where}.workload${issue.path.length ? "." + issue.path.join(".") : ""}: ${issue.message}`);
}
