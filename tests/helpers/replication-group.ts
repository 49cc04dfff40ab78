import {
  CreateReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  type CreateReplicationGroupCommandInput,
  type ElastiCacheClient,
  type ReplicationGroup,
  type SourceType,
} from "@aws-sdk/client-elasticache";
import Redis, { Cluster } from "ioredis";
import { waitFor } from "@/emulator/nodes/wait-for";
import { waitForReplicationGroup } from "./emulator";

// Helpers for tests that change replication groups (failover, faults, scaling) against a real emulator.

export async function createGroup(
  client: ElastiCacheClient,
  input: Omit<CreateReplicationGroupCommandInput, "ReplicationGroupDescription">,
): Promise<ReplicationGroup> {
  await client.send(new CreateReplicationGroupCommand({ ...input, ReplicationGroupDescription: "test" }));
  return waitForReplicationGroup(client, input.ReplicationGroupId!.toLowerCase());
}

export async function describeGroup(client: ElastiCacheClient, id: string): Promise<ReplicationGroup> {
  const { ReplicationGroups } = await client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }));
  return ReplicationGroups![0];
}

/** Cluster mode disabled: the port of PrimaryEndpoint, and each member's role by cluster id. */
export function rolesOf(group: ReplicationGroup): { primaryPort: number; roles: Record<string, string> } {
  const [shard] = group.NodeGroups!;
  return {
    primaryPort: shard.PrimaryEndpoint!.Port!,
    roles: Object.fromEntries(shard.NodeGroupMembers!.map((m) => [m.CacheClusterId!, m.CurrentRole!])),
  };
}

/** A member cluster's node port from DescribeCacheClusters (cluster mode enabled groups list no ReadEndpoint). */
export async function cacheNodePort(client: ElastiCacheClient, cacheClusterId: string): Promise<number> {
  const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: cacheClusterId, ShowCacheNodeInfo: true }));
  return CacheClusters![0].CacheNodes![0].Endpoint!.Port!;
}

export function memberPort(group: ReplicationGroup, cacheClusterId: string): number {
  return group.NodeGroups!.flatMap((ng) => ng.NodeGroupMembers!).find((m) => m.CacheClusterId === cacheClusterId)!.ReadEndpoint!.Port!;
}

/**
 * Event messages of the given sources since `since`, oldest first, as "source: message". Read in one DescribeEvents
 * call for the whole region, whose order (newest first) is the emulator's own, so events of one millisecond keep theirs.
 */
export async function eventLog(client: ElastiCacheClient, sources: Array<[SourceType, string]>, since: Date): Promise<string[]> {
  const wanted = new Set(sources.map(([type, id]) => `${type}/${id}`));
  const { Events } = await client.send(new DescribeEventsCommand({ StartTime: since, MaxRecords: 100 }));
  return Events!
    .filter((e) => wanted.has(`${e.SourceType}/${e.SourceIdentifier}`))
    .reverse()
    .map((e) => `${e.SourceIdentifier}: ${e.Message}`);
}

/** Waits until the source has an event with exactly this message; returns its date. */
export async function waitForEvent(client: ElastiCacheClient, sourceType: SourceType, id: string, message: string, since: Date, timeoutMs = 60_000): Promise<Date> {
  return waitFor(
    async () => {
      const { Events } = await client.send(new DescribeEventsCommand({ SourceType: sourceType, SourceIdentifier: id, StartTime: since }));
      return Events!.find((e) => e.Message === message)?.Date;
    },
    { timeoutMs, intervalMs: 100, description: `event "${message}" on ${id}` },
  );
}

export async function withRedis<T>(port: number, fn: (r: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: "127.0.0.1", port, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    return await fn(redis);
  } finally {
    redis.disconnect();
  }
}

/** Writes `count` keys on the primary and waits until `replicas` replicas acknowledged them (WAIT). */
export async function writeAcknowledged(primaryPort: number, prefix: string, count: number, replicas: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}:${i}`);
  await withRedis(primaryPort, async (r) => {
    const pipeline = r.pipeline();
    for (const key of keys) pipeline.set(key, `value of ${key}`);
    await pipeline.exec();
    const acknowledged = await r.wait(replicas, 10_000);
    if (acknowledged < replicas) throw new Error(`only ${acknowledged} of ${replicas} replicas acknowledged the writes`);
  });
  return keys;
}

/** The keys that cannot be read back (with their expected values) from the node on `port`. */
export async function missingKeys(port: number, keys: string[]): Promise<string[]> {
  // One GET per key (pipelined): a cluster node refuses an MGET across slots.
  const values = await withRedis(port, async (r) => {
    const pipeline = r.pipeline();
    for (const key of keys) pipeline.get(key);
    return ((await pipeline.exec()) ?? []).map(([, value]) => value);
  });
  return keys.filter((key, i) => values[i] !== `value of ${key}`);
}

/** A cluster client for a cluster-mode-enabled group (follows MOVED / ASK), seeded from its configuration endpoint. */
export function clusterClient(group: ReplicationGroup): Cluster {
  const cluster = new Cluster([{ host: "127.0.0.1", port: group.ConfigurationEndpoint!.Port! }], {
    redisOptions: { maxRetriesPerRequest: 2 },
    clusterRetryStrategy: (times) => (times > 50 ? null : 100),
  });
  cluster.on("error", () => {});
  return cluster;
}

/** Waits until every key reads back its value through the cluster client (slots may still be settling). */
export async function everyKeyReadable(cluster: Cluster, keys: string[]): Promise<void> {
  await waitFor(
    async () => {
      const values = await Promise.all(keys.map((key) => cluster.get(key)));
      return values.every((value, i) => value === `value of ${keys[i]}`);
    },
    { timeoutMs: 30_000, description: "every key readable through the cluster" },
  );
}

/** Writes `count` keys through the cluster client and waits until each primary's replicas acknowledged them. */
export async function writeClusterKeys(cluster: Cluster, prefix: string, count: number, replicasPerShard: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `${prefix}:${i}`);
  for (const key of keys) await cluster.set(key, `value of ${key}`);
  for (const node of cluster.nodes("master")) {
    if ((await node.wait(replicasPerShard, 10_000)) < replicasPerShard) throw new Error("the replicas did not acknowledge the writes");
  }
  return keys;
}
