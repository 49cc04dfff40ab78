import { counterDelta, cpuPercent, gauge, num, type CounterReadings, type MetricValue } from "./collector-metrics";
import type { NodeSizing } from "./collector-redis";

/** One `stats` of a Memcached node. */
export interface MemcachedReading {
  at: number;
  stats: Record<string, string>;
  cpuSeconds?: number;
  /** The `stats` request, counted in this reading's bytes_read. */
  ownInBefore: number;
  /** The `stats` reply, counted in the next reading's bytes_written. */
  ownOutAfter: number;
}

/** Zero counters at the process's start (see redisStartBaseline). */
export function memcachedStartBaseline(current: MemcachedReading): MemcachedReading {
  const uptime = num(current.stats, "uptime");
  return { at: current.at - uptime, stats: { pid: current.stats.pid, uptime: "0" }, ownInBefore: 0, ownOutAfter: 0 };
}

export function memcachedRestarted(current: MemcachedReading, previous: MemcachedReading): boolean {
  return current.stats.pid !== previous.stats.pid || num(current.stats, "uptime") < num(previous.stats, "uptime");
}

/** AWS's Memcached metrics for one node, from two consecutive `stats` readings. */
export function memcachedNodeMetrics(current: MemcachedReading, previous: MemcachedReading | undefined, sizing: NodeSizing): MetricValue[] {
  const stats = current.stats;
  const bytes = num(stats, "bytes");
  const metrics: MetricValue[] = [
    // curr_connections counts the listening socket and the collector's own connection.
    gauge("CurrConnections", "Count", Math.max(0, num(stats, "curr_connections") - 2)),
    gauge("CurrItems", "Count", num(stats, "curr_items")),
    gauge("BytesUsedForCacheItems", "Bytes", bytes * sizing.memoryScale),
    gauge("FreeableMemory", "Bytes", Math.max(0, sizing.realMemoryBytes - bytes * sizing.memoryScale)),
  ];
  if (!previous) return metrics;
  const readings: CounterReadings = { current: stats, previous: previous.stats, restarted: memcachedRestarted(current, previous) };
  const seconds = current.at - previous.at;
  const ownOut = readings.restarted ? 0 : previous.ownOutAfter;
  const bytesIn = Math.max(0, counterDelta(readings, "bytes_read") - current.ownInBefore);
  const bytesOut = Math.max(0, counterDelta(readings, "bytes_written") - ownOut);
  const cpu =
    current.cpuSeconds !== undefined && previous.cpuSeconds !== undefined && !readings.restarted
      ? Math.max(0, current.cpuSeconds - previous.cpuSeconds)
      : counterDelta(readings, "rusage_user") + counterDelta(readings, "rusage_system");
  metrics.push(
    gauge("GetHits", "Count", counterDelta(readings, "get_hits")),
    gauge("GetMisses", "Count", counterDelta(readings, "get_misses")),
    gauge("CmdGet", "Count", counterDelta(readings, "cmd_get")),
    gauge("CmdSet", "Count", counterDelta(readings, "cmd_set")),
    gauge("Evictions", "Count", counterDelta(readings, "evictions")),
    gauge("Reclaimed", "Count", counterDelta(readings, "reclaimed")),
    gauge("NewConnections", "Count", Math.max(0, counterDelta(readings, "total_connections") - 1)),
    gauge("BytesReadIntoMemcached", "Bytes", bytesIn),
    gauge("BytesWrittenOutFromMemcached", "Bytes", bytesOut),
    gauge("NetworkBytesIn", "Bytes", bytesIn),
    gauge("NetworkBytesOut", "Bytes", bytesOut),
    gauge("CPUUtilization", "Percent", cpuPercent(cpu, seconds, sizing.vcpus)),
  );
  return metrics;
}
