// AWS's recommended CloudWatch alarms for ElastiCache, per cache kind, and whether a cache has them. Thresholds come
// from /work/shared/reference/elasticache-operations.md ("Thresholds operators use"); docs/posture.md, "Recommended
// alarms", gives each one's source and why. Pure data and functions: the watcher, the action and the pages share it.

export type AlarmStatistic = "Average" | "Sum" | "Maximum";
export type AlarmComparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
export type MissingData = "missing" | "notBreaching";
export type AlarmState = "OK" | "ALARM" | "INSUFFICIENT_DATA";

export interface Dimension {
  name: string;
  value: string;
}

/** One recommended alarm's rule, the same for every node it applies to (CPU's threshold depends on the node type). */
export interface AlarmRule {
  metric: string;
  statistic: AlarmStatistic;
  threshold: number;
  comparison: AlarmComparison;
  /** Seconds. ElastiCache publishes one sample a minute, so nothing finer buys anything. */
  period: number;
  evaluationPeriods: number;
  datapointsToAlarm: number;
  treatMissingData: MissingData;
  /** What the alarm catches, for the cluster page. */
  why: string;
}

/** A recommended alarm for one node (or one serverless cache): its rule, where it points and its deterministic name. */
export interface RecommendedAlarm {
  name: string;
  /** The node (cluster id/node id) or serverless cache it watches, as people read it. */
  target: string;
  namespace: "AWS/ElastiCache";
  dimensions: Dimension[];
  rule: AlarmRule;
}

/** An alarm as CloudWatch reports it (DescribeAlarms), in CacheDeck's words. */
export interface ExistingAlarm {
  name: string;
  namespace: string;
  metric: string;
  dimensions: Dimension[];
  state: AlarmState;
  /** Epoch milliseconds of the last state update. */
  stateUpdatedAt: number | null;
  threshold: number | null;
  actions: string[];
}

/** The part of a cache the definitions need (CacheDeck's Cache satisfies it). */
export interface AlarmedCache {
  kind: "replication-group" | "cache-cluster" | "serverless";
  id: string;
  engine: string;
  nodeType: string | null;
  nodes: { cacheClusterId: string; nodeId: string }[];
}

const minute = 60;

/** A rule on one-minute periods, alarming above `threshold`; five minutes of breach unless said otherwise. */
function rule(metric: string, statistic: AlarmStatistic, threshold: number, why: string, options: { minutes?: number; missing?: MissingData } = {}): AlarmRule {
  const minutes = options.minutes ?? 5;
  return {
    metric, statistic, threshold, comparison: "GreaterThanThreshold", period: minute,
    evaluationPeriods: minutes, datapointsToAlarm: minutes, treatMissingData: options.missing ?? "missing", why,
  };
}

// EngineCPU, memory, connections and replication lag: AWS's monitoring-accelerator sample defaults. Five minutes of
// breach before ALARM is AWS's recommended-alarms window for CPU and memory: a short spike (a snapshot, a KEYS) is no page.
const engineCpu = rule("EngineCPUUtilization", "Average", 90, "Redis runs commands on one thread: above 90% requests queue and latency climbs.");
const memory = rule("DatabaseMemoryUsagePercentage", "Average", 90, "Past 90% of maxmemory the node starts evicting keys (or refusing writes under noeviction).");
// Any eviction in a minute: evicted keys are data the application thought it had. A counter reads 0 when nothing is
// evicted, so a missing minute (a node being replaced) is not a breach.
const evictions = rule("Evictions", "Sum", 0, "Keys are being evicted because memory is full: the cache is losing data it was asked to keep.", { minutes: 1, missing: "notBreaching" });
const connections = rule("CurrConnections", "Average", 10_000, "A connection count this high is usually a client leaking connections or a reconnect storm.");
// Only replicas publish ReplicationLag; roles move with failovers, so every member gets the alarm and a primary's
// missing data is not a breach.
const replicationLag = rule("ReplicationLag", "Maximum", 60, "A replica this far behind serves stale reads and would lose writes if it were promoted.", { missing: "notBreaching" });
const throttled = rule("ThrottledCmds", "Sum", 0, "The serverless cache is refusing commands above its ECPU limit: raise the limit or spread the load.", { missing: "notBreaching" });

/**
 * vCPUs of an ElastiCache node type, from its size: micro/small 1 on t2, 2 otherwise up to large, 4 per xlarge. Good
 * for every current family (m, r, t, c7gn); null for a name that is not a node type.
 */
export function vcpusOf(nodeType: string | null): number | null {
  const match = /^cache\.([a-z0-9]+)\.(micro|small|medium|large|xlarge|(\d+)xlarge)$/.exec(nodeType ?? "");
  if (!match) return null;
  const [, family, size, times] = match;
  if (size === "xlarge") return 4;
  if (times) return 4 * Number(times);
  return family === "t2" && size !== "medium" ? 1 : 2;
}

/**
 * Host CPU: AWS's user guide alarms at 90% divided by the vCPUs (Redis's engine can use one of them). When the node
 * type is unknown, the monitoring accelerator's 80%.
 */
function hostCpu(nodeType: string | null, engine: string): AlarmRule {
  const vcpus = vcpusOf(nodeType);
  // Memcached is multi-threaded: its whole host may reach 90%.
  const threshold = engine === "memcached" ? 90 : vcpus ? Math.round((90 / vcpus) * 10) / 10 : 80;
  return rule(
    "CPUUtilization", "Average", threshold,
    engine === "memcached" ? "Memcached's threads are saturating the host's CPU." : "The host's CPU is saturated: background saves, replication and TLS compete with the engine.",
  );
}

/** The rules for each node of a cache of this kind and engine (serverless caches have their own). */
export function nodeRules(cache: Pick<AlarmedCache, "kind" | "engine" | "nodeType">): AlarmRule[] {
  if (cache.engine === "memcached") return [hostCpu(cache.nodeType, cache.engine), evictions, connections];
  const rules = [hostCpu(cache.nodeType, cache.engine), engineCpu, memory, evictions, connections];
  return cache.kind === "replication-group" ? [...rules, replicationLag] : rules;
}

// Serverless caches scale memory and connections themselves; what they can run out of is the ECPU limit.
export const serverlessRules: readonly AlarmRule[] = [throttled];

/** `cachedeck-<cache cluster>-<node>-<metric>` (or `cachedeck-<serverless cache>-<metric>`): one name per alarm. */
export function alarmName(target: string, metric: string): string {
  return `cachedeck-${target.replace("/", "-")}-${metric}`;
}

/** Every recommended alarm of a cache: one per rule and node, or per rule for a serverless cache. */
export function recommendedAlarms(cache: AlarmedCache): RecommendedAlarm[] {
  if (cache.kind === "serverless") {
    return serverlessRules.map((rule) => ({
      name: alarmName(cache.id, rule.metric), target: cache.id, namespace: "AWS/ElastiCache", dimensions: [{ name: "clusterId", value: cache.id }], rule,
    }));
  }
  const rules = nodeRules(cache);
  return cache.nodes.flatMap((node) => {
    const target = `${node.cacheClusterId}/${node.nodeId}`;
    const dimensions = [{ name: "CacheClusterId", value: node.cacheClusterId }, { name: "CacheNodeId", value: node.nodeId }];
    return rules.map((rule) => ({ name: alarmName(target, rule.metric), target, namespace: "AWS/ElastiCache" as const, dimensions, rule }));
  });
}

/**
 * What an alarm watches, independent of its name: namespace, metric and the dimensions in any order. An alarm someone
 * made by hand on the same metric counts as the recommended one (its threshold is theirs to choose).
 */
export function metricKey(namespace: string, metric: string, dimensions: Dimension[]): string {
  const dims = [...dimensions].sort((a, b) => a.name.localeCompare(b.name)).map((d) => `${d.name}=${d.value}`);
  return [namespace, metric, ...dims].join("|");
}

export interface AlarmCoverage {
  recommended: RecommendedAlarm;
  /** The alarms on that metric (several when people made their own too); empty when it is missing. */
  existing: ExistingAlarm[];
}

/** Indexes a region's alarms by what they watch, once per read, so matching a cache costs a lookup per alarm. */
export function indexAlarms(alarms: ExistingAlarm[]): Map<string, ExistingAlarm[]> {
  const index = new Map<string, ExistingAlarm[]>();
  for (const alarm of alarms) {
    const key = metricKey(alarm.namespace, alarm.metric, alarm.dimensions);
    index.set(key, [...(index.get(key) ?? []), alarm]);
  }
  return index;
}

export function alarmCoverage(cache: AlarmedCache, index: Map<string, ExistingAlarm[]>): AlarmCoverage[] {
  return recommendedAlarms(cache).map((recommended) => ({
    recommended,
    existing: index.get(metricKey(recommended.namespace, recommended.rule.metric, recommended.dimensions)) ?? [],
  }));
}

/** "4 of 6" for the fleet: recommended alarms that exist, of those recommended. */
export function coverageCount(coverage: AlarmCoverage[]): { present: number; recommended: number } {
  return { present: coverage.filter((c) => c.existing.length > 0).length, recommended: coverage.length };
}

/** The state to show for a recommended alarm: the worst of the alarms on its metric, or "missing". */
export function shownState(coverage: AlarmCoverage): AlarmState | "missing" {
  const states = coverage.existing.map((a) => a.state);
  if (states.length === 0) return "missing";
  if (states.includes("ALARM")) return "ALARM";
  return states.includes("INSUFFICIENT_DATA") ? "INSUFFICIENT_DATA" : "OK";
}
