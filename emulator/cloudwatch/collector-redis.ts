import { counterDelta, cpuPercent, gauge, hitRate, num, type CounterReadings, type MetricValue } from "./collector-metrics";

/** One INFO ALL of a node, with what the collector itself added to the node's traffic around it. */
export interface RedisReading {
  /** Epoch seconds when INFO answered. */
  at: number;
  info: Record<string, string>;
  /** Process CPU seconds from /proc, when readable. */
  cpuSeconds?: number;
  /** Bytes of the collector's own requests already counted in this INFO (the INFO request itself). */
  ownInBefore: number;
  /** Bytes the collector exchanged after INFO counted (its reply, a COMMAND table fetch): they land in the next delta. */
  ownInAfter: number;
  ownOutAfter: number;
}

/** How big the node is meant to be: local maxmemory, the node type's real memory and vCPUs, the memory scale. */
export interface NodeSizing {
  maxmemoryBytes: number;
  realMemoryBytes: number;
  vcpus: number;
  /** Local memory figures are multiplied by this so they read at the node type's real size (MEMORY_SCALE). */
  memoryScale: number;
}

/** Which commands are reads (GetTypeCmds) and writes (SetTypeCmds), from the server's own COMMAND table flags. */
export interface CommandClasses {
  reads: ReadonlySet<string>;
  writes: ReadonlySet<string>;
}

/** Parses the reply of COMMAND: each entry is [name, arity, flags, ...]. */
export function classifyCommands(table: unknown): CommandClasses {
  const reads = new Set<string>();
  const writes = new Set<string>();
  for (const entry of Array.isArray(table) ? table : []) {
    if (!Array.isArray(entry) || typeof entry[0] !== "string" || !Array.isArray(entry[2])) continue;
    const name = entry[0].toLowerCase();
    const flags = entry[2].map(String);
    if (flags.includes("write")) writes.add(name);
    else if (flags.includes("readonly")) reads.add(name);
  }
  return { reads, writes };
}

/**
 * The reading a node had when its process started: zero counters. A node first seen shortly after it started is
 * measured from there, so traffic between its start and the collector's first look at it still counts.
 */
export function redisStartBaseline(current: RedisReading): RedisReading {
  const uptime = num(current.info, "uptime_in_seconds");
  return { at: current.at - uptime, info: { run_id: current.info.run_id }, ownInBefore: 0, ownInAfter: 0, ownOutAfter: 0 };
}

export function redisRestarted(current: RedisReading, previous: RedisReading): boolean {
  return current.info.run_id !== previous.info.run_id;
}

/** Calls per command from `cmdstat_<name>:calls=N,usec=M,...` lines. */
export function commandStats(info: Record<string, string>): Map<string, { calls: number; usec: number }> {
  const stats = new Map<string, { calls: number; usec: number }>();
  for (const [key, value] of Object.entries(info)) {
    if (!key.startsWith("cmdstat_")) continue;
    const calls = /(?:^|,)calls=(\d+)/.exec(value);
    const usec = /(?:^|,)usec=(\d+)/.exec(value);
    stats.set(key.slice("cmdstat_".length), { calls: Number(calls?.[1] ?? 0), usec: Number(usec?.[1] ?? 0) });
  }
  return stats;
}

/** Calls and microseconds of the given commands between two readings (restart-safe, never negative). */
export function commandDelta(current: RedisReading, previous: RedisReading, names: (name: string) => boolean): { calls: number; usec: number } {
  const now = commandStats(current.info);
  const before = redisRestarted(current, previous) ? new Map() : commandStats(previous.info);
  let calls = 0;
  let usec = 0;
  for (const [name, stat] of now) {
    if (!names(name)) continue;
    const prior = before.get(name) ?? { calls: 0, usec: 0 };
    const reset = stat.calls < prior.calls;
    calls += reset ? stat.calls : stat.calls - prior.calls;
    usec += reset ? stat.usec : stat.usec - prior.usec;
  }
  return { calls, usec };
}

/** The collector's own commands, left out of command counts. */
export const isCollectorCommand = (name: string) => name === "info" || name === "command" || name.startsWith("command|");

export function keyCount(info: Record<string, string>): number {
  let keys = 0;
  for (const [key, value] of Object.entries(info)) {
    if (/^db\d+$/.test(key)) keys += Number(/keys=(\d+)/.exec(value)?.[1] ?? 0);
  }
  return keys;
}

/** Network bytes of clients between two readings, without the collector's own INFO traffic. */
export function clientNetworkBytes(current: RedisReading, previous: RedisReading, readings: CounterReadings): { in: number; out: number } {
  const own = readings.restarted ? { in: current.ownInBefore, out: 0 } : { in: previous.ownInAfter + current.ownInBefore, out: previous.ownOutAfter };
  return {
    in: Math.max(0, counterDelta(readings, "total_net_input_bytes") - own.in),
    out: Math.max(0, counterDelta(readings, "total_net_output_bytes") - own.out),
  };
}

/** Process CPU seconds: from /proc when both readings had it, else Redis's own rusage of the process. */
function processCpuDelta(current: RedisReading, previous: RedisReading, readings: CounterReadings): number {
  if (current.cpuSeconds !== undefined && previous.cpuSeconds !== undefined && !readings.restarted) {
    return Math.max(0, current.cpuSeconds - previous.cpuSeconds);
  }
  return counterDelta(readings, "used_cpu_sys") + counterDelta(readings, "used_cpu_user");
}

/**
 * The AWS/ElastiCache metrics of one Redis/Valkey node. Gauges come from the current INFO; counters are the growth
 * since the previous reading (none on the first). ReplicationLag needs the primary's history and is the collector's.
 */
export function redisNodeMetrics(current: RedisReading, previous: RedisReading | undefined, sizing: NodeSizing, classes: CommandClasses): MetricValue[] {
  const info = current.info;
  const used = num(info, "used_memory");
  const maxmemory = num(info, "maxmemory") || sizing.maxmemoryBytes;
  const metrics: MetricValue[] = [
    gauge("IsMaster", "Count", info.role === "master" ? 1 : 0),
    gauge("BytesUsedForCache", "Bytes", used * sizing.memoryScale),
    gauge("DatabaseMemoryUsagePercentage", "Percent", maxmemory > 0 ? (100 * used) / maxmemory : 0),
    gauge("FreeableMemory", "Bytes", Math.max(0, sizing.realMemoryBytes - used * sizing.memoryScale)),
    // The collector's own connection is one of connected_clients.
    gauge("CurrConnections", "Count", Math.max(0, num(info, "connected_clients") - 1)),
    gauge("CurrItems", "Count", keyCount(info)),
    gauge("MemoryFragmentationRatio", "None", num(info, "mem_fragmentation_ratio")),
  ];
  if (!previous) return metrics;

  const readings: CounterReadings = { current: info, previous: previous.info, restarted: redisRestarted(current, previous) };
  const seconds = current.at - previous.at;
  const hits = counterDelta(readings, "keyspace_hits");
  const misses = counterDelta(readings, "keyspace_misses");
  const network = clientNetworkBytes(current, previous, readings);
  const mainThread = counterDelta(readings, "used_cpu_sys_main_thread") + counterDelta(readings, "used_cpu_user_main_thread");
  const engineCpu = "used_cpu_sys_main_thread" in info ? mainThread : counterDelta(readings, "used_cpu_sys") + counterDelta(readings, "used_cpu_user");
  metrics.push(
    gauge("CacheHits", "Count", hits),
    gauge("CacheMisses", "Count", misses),
    ...hitRate(hits, misses),
    gauge("Evictions", "Count", counterDelta(readings, "evicted_keys")),
    gauge("Reclaimed", "Count", counterDelta(readings, "expired_keys")),
    // The collector opens one connection per reading.
    gauge("NewConnections", "Count", Math.max(0, counterDelta(readings, "total_connections_received") - 1)),
    gauge("NetworkBytesIn", "Bytes", network.in),
    gauge("NetworkBytesOut", "Bytes", network.out),
    gauge("GetTypeCmds", "Count", commandDelta(current, previous, (n) => classes.reads.has(n)).calls),
    gauge("SetTypeCmds", "Count", commandDelta(current, previous, (n) => classes.writes.has(n)).calls),
    gauge("EngineCPUUtilization", "Percent", cpuPercent(engineCpu, seconds, 1)),
    gauge("CPUUtilization", "Percent", cpuPercent(processCpuDelta(current, previous, readings), seconds, sizing.vcpus)),
  );
  if (info.role === "master" && num(info, "connected_slaves") > 0) {
    metrics.push(gauge("ReplicationBytes", "Bytes", counterDelta(readings, "master_repl_offset")));
  }
  return metrics;
}
