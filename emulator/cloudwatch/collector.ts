import type { MetricsNode } from "../elasticache/control-plane";
import { MEMORY_SCALE, nodeType, realMemoryBytes } from "../elasticache/state/node-types";
import { stats as memcachedStats } from "../nodes/memcached-admin";
import { parseInfo, withRedis } from "../nodes/redis-admin";
import { identity, type Dimension } from "./dimensions";
import { gauge, type MetricValue } from "./collector-metrics";
import { memcachedNodeMetrics, memcachedStartBaseline, type MemcachedReading } from "./collector-memcached";
import { processCpuSeconds } from "./collector-process-cpu";
import { classifyCommands, redisNodeMetrics, redisStartBaseline, type CommandClasses, type NodeSizing, type RedisReading } from "./collector-redis";
import { ReplicationOffsets } from "./collector-replication-lag";
import { serverlessMemcachedMetrics, serverlessRedisMetrics } from "./collector-serverless";
import type { MetricStore, Observation } from "./metric-store";

export const NAMESPACE = "AWS/ElastiCache";
export const DEFAULT_INTERVAL_MS = 5_000;
/** The INFO ALL request as RESP: `*2\r\n$4\r\ninfo\r\n$3\r\nall\r\n`. */
const INFO_REQUEST_BYTES = 23;
const STATS_REQUEST_BYTES = "stats\r\n".length;

export interface CollectorOptions {
  store: MetricStore;
  /** The node processes to sample now (ElastiCacheControlPlane.listNodesForMetrics). */
  nodes: () => MetricsNode[];
  /** CacheUsageLimits.ECPUPerSecond.Maximum of a serverless cache, for ThrottledCmds. */
  serverlessEcpuLimit?: (region: string, name: string) => number | undefined;
  intervalMs?: number;
  log?: (message: string) => void;
}

type Reading = { engine: "redis"; reading: RedisReading } | { engine: "memcached"; reading: MemcachedReading };

/** A node first seen within this long of its start is measured from its start (zero counters). */
const FRESH_START_SECONDS = 60;

/** How a member cluster's figure ({CacheClusterId}) comes from its nodes' figures. */
export const CLUSTER_AGGREGATION: Record<string, "avg" | "max"> = {
  CPUUtilization: "avg",
  EngineCPUUtilization: "avg",
  DatabaseMemoryUsagePercentage: "avg",
  MemoryFragmentationRatio: "avg",
  ReplicationLag: "max",
  IsMaster: "max",
};

/**
 * Samples every node's INFO (Redis, Valkey) or stats (Memcached) every `intervalMs` and publishes AWS/ElastiCache
 * metrics into the store: per node {CacheClusterId, CacheNodeId}, per member cluster {CacheClusterId}, per serverless
 * cache {clusterId}. Counters are published as their growth since the previous reading; the first reading of a node
 * only gives gauges. Primaries are read before replicas, so a replica's lag is measured against a fresh offset.
 */
export class MetricsCollector {
  readonly intervalMs: number;
  private readonly previous = new Map<string, Reading>();
  private readonly offsets = new ReplicationOffsets();
  private readonly commandTables = new Map<string, CommandClasses>();
  private readonly failing = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private sampling: Promise<void> | undefined;
  private samples = 0;

  constructor(private readonly options: CollectorOptions) {
    this.intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
  }

  /** How many samples have completed (tests poll it). */
  get completedSamples(): number {
    return this.samples;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sampleOnce(), this.intervalMs);
    this.timer.unref();
    void this.sampleOnce();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.sampling;
  }

  /** One pass over every node; a pass still running when the next is due is not doubled. */
  sampleOnce(): Promise<void> {
    this.sampling ??= this.sample().finally(() => {
      this.sampling = undefined;
      this.samples++;
    });
    return this.sampling;
  }

  private async sample(): Promise<void> {
    const nodes = this.options.nodes();
    const replicas = nodes.filter((n) => n.role === "replica");
    const first = nodes.filter((n) => n.role !== "replica");
    const firstReadings = await this.readAll(first);
    for (const [node, r] of firstReadings) {
      if (r.engine === "redis" && r.reading.info.role === "master") this.offsets.record(node.port, r.reading.at, Number(r.reading.info.master_repl_offset ?? 0));
    }
    const readings = [...firstReadings, ...(await this.readAll(replicas))];
    const primaries = primaryPorts(nodes);

    const perCluster = new Map<string, { region: string; cluster: string; values: MetricValue[][] }>();
    for (const [node, reading] of readings) {
      const key = nodeKey(node);
      const metrics = this.metricsFor(node, reading, this.previous.get(key) ?? startBaseline(reading), primaries);
      this.previous.set(key, reading);
      if (node.serverlessCacheName !== undefined) {
        this.publish(node.region, [{ Name: "clusterId", Value: node.serverlessCacheName }], metrics, reading.reading.at);
        continue;
      }
      this.publish(node.region, [{ Name: "CacheClusterId", Value: node.cacheClusterId! }, { Name: "CacheNodeId", Value: node.cacheNodeId! }], metrics, reading.reading.at);
      const group = perCluster.get(`${node.region}/${node.cacheClusterId}`) ?? { region: node.region, cluster: node.cacheClusterId!, values: [] };
      group.values.push(metrics);
      perCluster.set(`${node.region}/${node.cacheClusterId}`, group);
    }
    const at = Math.max(...readings.map(([, r]) => r.reading.at), 0);
    for (const group of perCluster.values()) {
      this.publish(group.region, [{ Name: "CacheClusterId", Value: group.cluster }], aggregateCluster(group.values), at);
    }
    const live = new Set(nodes.map(nodeKey));
    for (const key of this.previous.keys()) if (!live.has(key)) this.previous.delete(key);
    this.offsets.retain(new Set(nodes.map((n) => n.port)));
  }

  private async readAll(nodes: MetricsNode[]): Promise<[MetricsNode, Reading][]> {
    const results = await Promise.all(
      nodes.map(async (node): Promise<[MetricsNode, Reading] | undefined> => {
        const key = nodeKey(node);
        try {
          const reading = node.engine === "memcached" ? await readMemcached(node.port) : await this.readRedis(node.port);
          this.failing.delete(key);
          return [node, reading];
        } catch (error) {
          if (!this.failing.has(key)) this.options.log?.(`metrics: cannot read ${key} on port ${node.port}: ${(error as Error).message}`);
          this.failing.add(key);
          return undefined;
        }
      }),
    );
    return results.filter((r): r is [MetricsNode, Reading] => r !== undefined);
  }

  private async readRedis(port: number): Promise<Reading> {
    return withRedis(port, async (client) => {
      const text = await client.info("all");
      const at = Date.now() / 1000;
      const info = parseInfo(text);
      let ownInAfter = 0;
      let ownOutAfter = Buffer.byteLength(text) + String(text.length).length + 5;
      const version = info.redis_version ?? "";
      if (!this.commandTables.has(version)) {
        const table = await client.call("COMMAND");
        this.commandTables.set(version, classifyCommands(table));
        ownInAfter += "*1\r\n$7\r\nCOMMAND\r\n".length;
        ownOutAfter += JSON.stringify(table).length;
      }
      const cpuSeconds = processCpuSeconds(Number(info.process_id));
      return { engine: "redis", reading: { at, info, cpuSeconds, ownInBefore: INFO_REQUEST_BYTES, ownInAfter, ownOutAfter } };
    });
  }

  private metricsFor(node: MetricsNode, current: Reading, previous: Reading | undefined, primaries: Map<string, number>): MetricValue[] {
    const type = node.cacheNodeType ? nodeType(node.cacheNodeType) : undefined;
    const sizing: NodeSizing = {
      maxmemoryBytes: node.maxmemoryBytes,
      realMemoryBytes: type ? realMemoryBytes(type) : node.maxmemoryBytes * MEMORY_SCALE,
      vcpus: type?.vcpus ?? 1,
      memoryScale: MEMORY_SCALE,
    };
    if (current.engine === "memcached") {
      const prior = previous?.engine === "memcached" ? previous.reading : undefined;
      if (node.serverlessCacheName !== undefined) {
        return serverlessMemcachedMetrics(current.reading, prior, { memoryScale: MEMORY_SCALE, ecpuPerSecondLimit: this.ecpuLimit(node) });
      }
      return memcachedNodeMetrics(current.reading, prior, sizing);
    }
    const prior = previous?.engine === "redis" ? previous.reading : undefined;
    const classes = this.commandTables.get(current.reading.info.redis_version ?? "") ?? { reads: new Set(), writes: new Set() };
    if (node.serverlessCacheName !== undefined) {
      return serverlessRedisMetrics(current.reading, prior, { memoryScale: MEMORY_SCALE, ecpuPerSecondLimit: this.ecpuLimit(node) }, classes);
    }
    const metrics = redisNodeMetrics(current.reading, prior, sizing, classes);
    const lag = this.replicationLag(current.reading, primaries.get(shardKey(node)));
    if (lag !== undefined) metrics.push(gauge("ReplicationLag", "Seconds", lag));
    return metrics;
  }

  /**
   * Replicas only: seconds behind the primary (see ReplicationOffsets); while the link is down, how long it has been.
   * The primary comes from the metadata, since a replica may replicate through a proxy (a throttled link).
   */
  private replicationLag(reading: RedisReading, primaryPort: number | undefined): number | undefined {
    const info = reading.info;
    if (info.role !== "slave") return undefined;
    if (info.master_link_status !== "up") return Number(info.master_link_down_since_seconds ?? 0) || undefined;
    return this.offsets.lagSeconds(primaryPort ?? Number(info.master_port), Number(info.slave_repl_offset ?? 0), reading.at);
  }

  private ecpuLimit(node: MetricsNode): number | undefined {
    return node.serverlessCacheName ? this.options.serverlessEcpuLimit?.(node.region, node.serverlessCacheName) : undefined;
  }

  private publish(region: string, dimensions: Dimension[], metrics: MetricValue[], at: number): void {
    for (const m of metrics) {
      const obs: Observation = m.stats
        ? { timestamp: at, ...m.stats, pairs: m.stats.min === m.stats.max ? [m.stats.min, m.stats.count] : null, unit: m.unit, storageResolution: 1 }
        : { timestamp: at, count: 1, sum: m.value!, min: m.value!, max: m.value!, pairs: [m.value!, 1], unit: m.unit, storageResolution: 1 };
      this.options.store.put(region, identity(NAMESPACE, m.name, dimensions), obs);
    }
  }
}

async function readMemcached(port: number): Promise<Reading> {
  const stats = await memcachedStats(port);
  const at = Date.now() / 1000;
  const replyBytes = Object.entries(stats).reduce((n, [k, v]) => n + `STAT ${k} ${v}\r\n`.length, "END\r\n".length);
  const cpuSeconds = processCpuSeconds(Number(stats.pid));
  return { engine: "memcached", reading: { at, stats, cpuSeconds, ownInBefore: STATS_REQUEST_BYTES, ownOutAfter: replyBytes } };
}

/** For a node seen for the first time: its start, when that was recent enough to measure from. */
function startBaseline(current: Reading): Reading | undefined {
  if (current.engine === "redis") {
    const baseline = redisStartBaseline(current.reading);
    return current.reading.at - baseline.at <= FRESH_START_SECONDS ? { engine: "redis", reading: baseline } : undefined;
  }
  const baseline = memcachedStartBaseline(current.reading);
  return current.reading.at - baseline.at <= FRESH_START_SECONDS ? { engine: "memcached", reading: baseline } : undefined;
}

function shardKey(node: MetricsNode): string {
  return `${node.region}/${node.replicationGroupId}/${node.nodeGroupId ?? ""}`;
}

/** The primary's port of every shard, by shardKey. */
function primaryPorts(nodes: MetricsNode[]): Map<string, number> {
  return new Map(nodes.filter((n) => n.role === "primary" && n.replicationGroupId).map((n) => [shardKey(n), n.port]));
}

function nodeKey(node: MetricsNode): string {
  return node.serverlessCacheName !== undefined ? `${node.region}/serverless/${node.serverlessCacheName}` : `${node.region}/${node.cacheClusterId}/${node.cacheNodeId}`;
}

/**
 * A member cluster's figures from its nodes': counts and bytes add up, percentages and ratios average, lag and role
 * take the maximum, and the hit rate is recomputed from the summed hits and misses.
 */
export function aggregateCluster(nodes: MetricValue[][]): MetricValue[] {
  if (nodes.length === 1) return nodes[0];
  const byName = new Map<string, MetricValue[]>();
  for (const metrics of nodes) for (const m of metrics) byName.set(m.name, [...(byName.get(m.name) ?? []), m]);
  const out: MetricValue[] = [];
  for (const [name, values] of byName) {
    if (name === "CacheHitRate" || values.some((v) => v.stats)) continue;
    const numbers = values.map((v) => v.value!);
    const how = CLUSTER_AGGREGATION[name];
    const value = how === "avg" ? numbers.reduce((a, b) => a + b, 0) / numbers.length : how === "max" ? Math.max(...numbers) : numbers.reduce((a, b) => a + b, 0);
    out.push({ name, unit: values[0].unit, value });
  }
  const total = (name: string) => (byName.get(name) ?? []).reduce((n, v) => n + (v.value ?? 0), 0);
  const hits = total("CacheHits");
  const misses = total("CacheMisses");
  if (hits + misses > 0) out.push(gauge("CacheHitRate", "Percent", (100 * hits) / (hits + misses)));
  return out;
}
