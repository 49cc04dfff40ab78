import { counterDelta, gauge, hitRate, num, type CounterReadings, type MetricValue } from "./collector-metrics";
import { memcachedRestarted, type MemcachedReading } from "./collector-memcached";
import { clientNetworkBytes, commandDelta, isCollectorCommand, redisRestarted, type CommandClasses, type RedisReading } from "./collector-redis";

/** A request consumes one ECPU per KiB it moves, at least one (AWS's serverless pricing unit). */
const BYTES_PER_ECPU = 1024;

export interface ServerlessSizing {
  memoryScale: number;
  /** CacheUsageLimits.ECPUPerSecond.Maximum, when the cache has one. */
  ecpuPerSecondLimit?: number;
}

/**
 * ECPUs for an interval: each command counts one, and traffic beyond 1 KiB per command counts one per KiB. Commands
 * above the ECPU/s limit are what AWS would throttle; the emulator serves them and reports them as ThrottledCmds.
 */
function processingUnits(commands: number, bytes: number, seconds: number, limit: number | undefined): MetricValue[] {
  const ecpu = Math.max(commands, bytes / BYTES_PER_ECPU);
  const allowed = limit !== undefined ? limit * seconds : Infinity;
  const throttled = ecpu > allowed && ecpu > 0 ? Math.round(commands * ((ecpu - allowed) / ecpu)) : 0;
  return [gauge("ElastiCacheProcessingUnits", "Count", ecpu), gauge("ThrottledCmds", "Count", throttled), gauge("TotalCmdsCount", "Count", commands)];
}

/** Average latency of the interval's calls as a statistic set (count = calls, sum = microseconds). */
function latency(name: string, delta: { calls: number; usec: number }): MetricValue[] {
  if (delta.calls === 0) return [];
  const average = delta.usec / delta.calls;
  return [{ name, unit: "Microseconds", stats: { count: delta.calls, sum: delta.usec, min: average, max: average } }];
}

/** The serverless set for a cache backed by redis-server / valkey, with the {clusterId} dimension. */
export function serverlessRedisMetrics(current: RedisReading, previous: RedisReading | undefined, sizing: ServerlessSizing, classes: CommandClasses): MetricValue[] {
  const metrics = [gauge("BytesUsedForCache", "Bytes", num(current.info, "used_memory") * sizing.memoryScale)];
  if (!previous) return metrics;
  const readings: CounterReadings = { current: current.info, previous: previous.info, restarted: redisRestarted(current, previous) };
  const hits = counterDelta(readings, "keyspace_hits");
  const misses = counterDelta(readings, "keyspace_misses");
  const commands = Math.max(0, counterDelta(readings, "total_commands_processed") - commandDelta(current, previous, isCollectorCommand).calls);
  const network = clientNetworkBytes(current, previous, readings);
  metrics.push(
    gauge("CacheHits", "Count", hits),
    gauge("CacheMisses", "Count", misses),
    ...hitRate(hits, misses),
    ...processingUnits(commands, network.in + network.out, current.at - previous.at, sizing.ecpuPerSecondLimit),
    ...latency("SuccessfulReadRequestLatency", commandDelta(current, previous, (n) => classes.reads.has(n))),
    ...latency("SuccessfulWriteRequestLatency", commandDelta(current, previous, (n) => classes.writes.has(n))),
  );
  return metrics;
}

/** The serverless set for a Memcached-compatible cache (Memcached keeps no latency statistics). */
export function serverlessMemcachedMetrics(current: MemcachedReading, previous: MemcachedReading | undefined, sizing: ServerlessSizing): MetricValue[] {
  const metrics = [gauge("BytesUsedForCache", "Bytes", num(current.stats, "bytes") * sizing.memoryScale)];
  if (!previous) return metrics;
  const readings: CounterReadings = { current: current.stats, previous: previous.stats, restarted: memcachedRestarted(current, previous) };
  const hits = counterDelta(readings, "get_hits");
  const misses = counterDelta(readings, "get_misses");
  const commands = counterDelta(readings, "cmd_get") + counterDelta(readings, "cmd_set") + counterDelta(readings, "cmd_touch");
  const bytes = Math.max(0, counterDelta(readings, "bytes_read") - current.ownInBefore) + Math.max(0, counterDelta(readings, "bytes_written") - (readings.restarted ? 0 : previous.ownOutAfter));
  metrics.push(gauge("CacheHits", "Count", hits), gauge("CacheMisses", "Count", misses), ...hitRate(hits, misses), ...processingUnits(commands, bytes, current.at - previous.at, sizing.ecpuPerSecondLimit));
  return metrics;
}
