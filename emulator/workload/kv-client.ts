import Redis, { Cluster } from "ioredis";
import { redisClientOptions } from "../nodes/node-access";
import { MemcachedClient } from "./memcached-client";
import type { Target } from "./targets";

/** What the traffic needs from a cache: a lookup that says hit or miss, and a write with a TTL. */
export interface KvClient {
  get(key: string): Promise<boolean>;
  set(key: string, value: Buffer, ttlSeconds: number): Promise<void>;
  close(): void;
}

const redisOptions = { maxRetriesPerRequest: 1, enableAutoPipelining: true, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000) };

function redisKv(client: Redis | Cluster): KvClient {
  // Failures reach the caller as rejected commands; without a listener ioredis would also print them.
  client.on("error", () => {});
  return {
    get: async (key) => (await client.getBuffer(key)) !== null,
    set: async (key, value, ttl) => {
      if (ttl > 0) await client.set(key, value, "EX", ttl);
      else await client.set(key, value);
    },
    close: () => client.disconnect(),
  };
}

/** A client for the target: a Redis connection, a cluster-aware client following MOVED/ASK, or Memcached by key hash. */
export function connect(target: Exclude<Target, { kind: "unavailable" | "gone" }>): KvClient {
  switch (target.kind) {
    case "redis":
      return redisKv(new Redis({ host: "127.0.0.1", port: target.port, ...redisOptions, ...redisClientOptions(target.port) }));
    case "redis-cluster":
      return redisKv(
        new Cluster(
          target.seedPorts.map((port) => ({ host: "127.0.0.1", port })),
          // A group's nodes share one TLS and AUTH setting: the first seed's stands for all.
          { enableAutoPipelining: true, redisOptions: { ...redisOptions, ...redisClientOptions(target.seedPorts[0]) }, clusterRetryStrategy: () => 1_000, slotsRefreshInterval: 5_000 },
        ),
      );
    case "memcached": {
      const client = new MemcachedClient(target.ports);
      return { get: (key) => client.get(key), set: (key, value, ttl) => client.set(key, value, ttl), close: () => client.close() };
    }
  }
}
