import { describe, expect, it } from "vitest";
import { memcachedNodeMetrics, type MemcachedReading } from "@/emulator/cloudwatch/collector-memcached";
import type { MetricValue } from "@/emulator/cloudwatch/collector-metrics";
import { classifyCommands, redisNodeMetrics, type NodeSizing, type RedisReading } from "@/emulator/cloudwatch/collector-redis";
import { ReplicationOffsets } from "@/emulator/cloudwatch/collector-replication-lag";
import { serverlessRedisMetrics } from "@/emulator/cloudwatch/collector-serverless";
import { aggregateCluster } from "@/emulator/cloudwatch/collector";

const sizing: NodeSizing = { maxmemoryBytes: 1000, realMemoryBytes: 256_000, vcpus: 2, memoryScale: 256 };
const classes = classifyCommands([
  ["get", 2, ["readonly", "fast"]],
  ["mget", -2, ["readonly", "fast"]],
  ["set", -3, ["write", "denyoom"]],
  ["info", -1, ["loading", "stale"]],
]);

function redis(at: number, fields: Record<string, string | number>): RedisReading {
  const info = Object.fromEntries(Object.entries({ run_id: "a", role: "master", ...fields }).map(([k, v]) => [k, String(v)]));
  return { at, info, ownInBefore: 23, ownInAfter: 0, ownOutAfter: 100 };
}

const values = (metrics: MetricValue[]) => Object.fromEntries(metrics.map((m) => [m.name, m.value ?? m.stats]));

describe("Redis node metrics", () => {
  const before = redis(100, {
    keyspace_hits: 10, keyspace_misses: 5, evicted_keys: 1, expired_keys: 2, total_connections_received: 3, total_net_input_bytes: 1000,
    total_net_output_bytes: 5000, used_cpu_sys_main_thread: 1, used_cpu_user_main_thread: 1, used_cpu_sys: 2, used_cpu_user: 2,
    cmdstat_get: "calls=10,usec=50,usec_per_call=5.00", cmdstat_set: "calls=4,usec=40", master_repl_offset: 500, connected_slaves: 1,
  });
  const after = redis(105, {
    keyspace_hits: 40, keyspace_misses: 15, evicted_keys: 4, expired_keys: 2, total_connections_received: 6, total_net_input_bytes: 1523,
    total_net_output_bytes: 7100, used_cpu_sys_main_thread: 1.25, used_cpu_user_main_thread: 1.25, used_cpu_sys: 2.5, used_cpu_user: 3.5,
    cmdstat_get: "calls=40,usec=150", cmdstat_mget: "calls=2,usec=9", cmdstat_set: "calls=9,usec=90", cmdstat_info: "calls=7,usec=700",
    used_memory: 900, maxmemory: 1000, connected_clients: 4, db0: "keys=7,expires=7,avg_ttl=10", db1: "keys=3,expires=0,avg_ttl=0",
    mem_fragmentation_ratio: 1.5, master_repl_offset: 1700, connected_slaves: 1,
  });

  it("publishes gauges from the current INFO and counters as growth since the previous one", () => {
    expect(values(redisNodeMetrics(after, before, sizing, classes))).toEqual({
      IsMaster: 1,
      BytesUsedForCache: 900 * 256,
      DatabaseMemoryUsagePercentage: 90,
      FreeableMemory: 256_000 - 900 * 256,
      CurrConnections: 3,
      CurrItems: 10,
      MemoryFragmentationRatio: 1.5,
      CacheHits: 30,
      CacheMisses: 10,
      CacheHitRate: 75,
      Evictions: 3,
      Reclaimed: 0,
      NewConnections: 2,
      NetworkBytesIn: 500,
      NetworkBytesOut: 2000,
      GetTypeCmds: 32,
      SetTypeCmds: 5,
      EngineCPUUtilization: 10,
      CPUUtilization: 20,
      ReplicationBytes: 1200,
    });
  });

  it("gives only gauges on a node's first reading", () => {
    expect(Object.keys(values(redisNodeMetrics(after, undefined, sizing, classes)))).toEqual([
      "IsMaster", "BytesUsedForCache", "DatabaseMemoryUsagePercentage", "FreeableMemory", "CurrConnections", "CurrItems", "MemoryFragmentationRatio",
    ]);
  });

  it("counts from zero after a restart instead of going negative", () => {
    const restarted = redis(105, { run_id: "b", keyspace_hits: 4, keyspace_misses: 1, evicted_keys: 0, total_connections_received: 2, cmdstat_get: "calls=4,usec=8" });
    const m = values(redisNodeMetrics(restarted, before, sizing, classes));
    expect([m.CacheHits, m.CacheMisses, m.Evictions, m.NewConnections, m.GetTypeCmds]).toEqual([4, 1, 0, 1, 4]);
    for (const v of Object.values(m)) expect(v).toBeGreaterThanOrEqual(0);
    const reset = redis(105, { keyspace_hits: 2, keyspace_misses: 0 });
    expect(values(redisNodeMetrics(reset, before, sizing, classes)).CacheHits).toBe(2);
  });

  it("reports a replica's role and no ReplicationBytes", () => {
    const replica = { ...after, info: { ...after.info, role: "slave", connected_slaves: "0" } };
    const m = values(redisNodeMetrics(replica, before, sizing, classes));
    expect(m.IsMaster).toBe(0);
    expect(m.ReplicationBytes).toBeUndefined();
  });
});

describe("replication lag from offsets", () => {
  it("is the time since the primary was where the replica is, interpolated between readings", () => {
    const offsets = new ReplicationOffsets();
    offsets.record(6379, 100, 1000);
    offsets.record(6379, 105, 2000);
    offsets.record(6379, 110, 2000);
    offsets.record(6379, 115, 7000);
    expect(offsets.lagSeconds(6379, 7000, 115.1)).toBe(0);
    expect(offsets.lagSeconds(6379, 2000, 115.1)).toBeCloseTo(5.1, 6);
    expect(offsets.lagSeconds(6379, 4500, 115)).toBeCloseTo(2.5, 6);
    expect(offsets.lagSeconds(6379, 1500, 115)).toBeCloseTo(12.5, 6);
    expect(offsets.lagSeconds(6379, 10, 115)).toBe(15);
    expect(offsets.lagSeconds(6380, 10, 115)).toBeUndefined();
  });

  it("starts a new history when the primary's offset goes back (a new primary or a restart)", () => {
    const offsets = new ReplicationOffsets();
    offsets.record(6379, 100, 5000);
    offsets.record(6379, 105, 10);
    expect(offsets.lagSeconds(6379, 10, 106)).toBe(0);
    expect(offsets.lagSeconds(6379, 5, 106)).toBe(1);
  });
});

describe("Memcached node metrics", () => {
  const reading = (at: number, stats: Record<string, number>): MemcachedReading => ({
    at, stats: Object.fromEntries(Object.entries({ pid: 42, uptime: at, ...stats }).map(([k, v]) => [k, String(v)])), ownInBefore: 7, ownOutAfter: 1000,
  });
  it("turns stats into AWS's Memcached metrics", () => {
    const before = reading(10, { get_hits: 5, get_misses: 5, cmd_get: 10, cmd_set: 3, total_connections: 4, bytes_read: 100, bytes_written: 2000, rusage_user: 1, rusage_system: 0 });
    const after = reading(20, {
      get_hits: 15, get_misses: 7, cmd_get: 22, cmd_set: 8, total_connections: 6, bytes_read: 307, bytes_written: 3500, rusage_user: 1.5, rusage_system: 0.5,
      curr_connections: 5, curr_items: 9, bytes: 100, evictions: 0, reclaimed: 0,
    });
    expect(values(memcachedNodeMetrics(after, before, sizing))).toMatchObject({
      GetHits: 10, GetMisses: 2, CmdGet: 12, CmdSet: 5, CurrConnections: 3, CurrItems: 9, BytesUsedForCacheItems: 25_600,
      NewConnections: 1, NetworkBytesIn: 200, NetworkBytesOut: 500, CPUUtilization: 5,
    });
    const restarted = reading(3, { pid: 43, get_hits: 1 } as Record<string, number>);
    expect(values(memcachedNodeMetrics(restarted, after, sizing)).GetHits).toBe(1);
  });
});

describe("serverless metrics", () => {
  it("counts ECPUs, throttling beyond the limit, commands and latency without the collector's own INFO", () => {
    const before = redis(0, { keyspace_hits: 0, keyspace_misses: 0, total_commands_processed: 10, cmdstat_info: "calls=1,usec=10", total_net_input_bytes: 0, total_net_output_bytes: 0 });
    const after = redis(10, {
      keyspace_hits: 800, keyspace_misses: 200, total_commands_processed: 1211, cmdstat_info: "calls=2,usec=20",
      cmdstat_get: "calls=1000,usec=3000", cmdstat_set: "calls=200,usec=1000", total_net_input_bytes: 23 + 50_000, total_net_output_bytes: 100 + 60_000, used_memory: 10,
    });
    const m = values(serverlessRedisMetrics(after, before, { memoryScale: 256, ecpuPerSecondLimit: 60 }, classes));
    expect(m).toEqual({
      BytesUsedForCache: 2560,
      CacheHits: 800,
      CacheMisses: 200,
      CacheHitRate: 80,
      TotalCmdsCount: 1200,
      ElastiCacheProcessingUnits: 1200,
      ThrottledCmds: 600,
      SuccessfulReadRequestLatency: { count: 1000, sum: 3000, min: 3, max: 3 },
      SuccessfulWriteRequestLatency: { count: 200, sum: 1000, min: 5, max: 5 },
    });
  });
});

describe("member cluster figures", () => {
  it("add counts, average percentages, take the worst lag and recompute the hit rate", () => {
    const node = (hits: number, misses: number, cpu: number, lag: number): MetricValue[] => [
      { name: "CacheHits", unit: "Count", value: hits },
      { name: "CacheMisses", unit: "Count", value: misses },
      { name: "CacheHitRate", unit: "Percent", value: (100 * hits) / (hits + misses) },
      { name: "CPUUtilization", unit: "Percent", value: cpu },
      { name: "ReplicationLag", unit: "Seconds", value: lag },
    ];
    expect(values(aggregateCluster([node(90, 10, 10, 1), node(10, 90, 30, 4)]))).toEqual({
      CacheHits: 100, CacheMisses: 100, CPUUtilization: 20, ReplicationLag: 4, CacheHitRate: 50,
    });
  });
});
