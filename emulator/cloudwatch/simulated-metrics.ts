import type { CacheClusterRecord, CacheNodeRecord } from "../elasticache/state/model";
import { nodeType, realMemoryBytes } from "../elasticache/state/node-types";
import { CLUSTER_AGGREGATION, NAMESPACE } from "./collector";
import { identity, metricKey, type MetricIdentity } from "./dimensions";
import { MEMCACHED_MODEL, profileOf, REDIS_MODEL, type ModelledMetric, type SimulatedNodeFacts } from "./simulated-model";
import type { Aggregate } from "./statistics";

// Simulated nodes' metrics, computed when a query asks for them instead of collected and stored: the collector does
// no work per tick for them, the store holds none of their series, and a query costs one model evaluation per
// minute of its window per series. Samples are every SAMPLE_SECONDS with minute-level figures (a counter's minute
// split evenly over its samples), so 10-second and minute periods agree; a role changes at the failover's second.

export const SAMPLE_SECONDS = 10;
const SAMPLES_PER_MINUTE = 60 / SAMPLE_SECONDS;
/** A simulated cache arrives with a day of history, as if it had been running, so charts have a past at once. */
export const HISTORY_SECONDS = 24 * 3600;

export interface SimulatedFleet {
  cluster(region: string, cacheClusterId: string): CacheClusterRecord | undefined;
  clusters(region: string): Iterable<CacheClusterRecord>;
}

/** A metric of simulated nodes, answering the store's questions like a stored series does. */
export class ModelledSeries {
  readonly key: string;

  constructor(
    readonly id: MetricIdentity,
    private readonly metric: ModelledMetric,
    private readonly nodes: SimulatedNodeFacts[],
    private readonly dataStart: number,
    private readonly now: () => number,
  ) {
    this.key = metricKey(id);
  }

  get unit(): string {
    return this.metric.unit;
  }

  /** The model never stops writing (ListMetrics' RecentlyActive). */
  get lastWrite(): number {
    return this.now() * 1000;
  }

  /** The figure at `t`: one node's, or a member cluster's from its nodes' as the collector aggregates them. */
  private valueAt(t: number): number {
    const values = this.nodes.map((n) => this.metric.at(n, profileOf(n), t));
    if (values.length === 1) return values[0];
    const how = CLUSTER_AGGREGATION[this.metric.name];
    const sum = values.reduce((a, b) => a + b, 0);
    return how === "avg" ? sum / values.length : how === "max" ? Math.max(...values) : sum;
  }

  private roleChangeWithin(minute: number): boolean {
    return this.nodes.some((n) => n.roleSince !== undefined && n.roleSince > minute && n.roleSince < minute + 60);
  }

  /** Same contract as MetricStore.aggregate. */
  aggregate(alignedStart: number, end: number, period: number, withPairs: boolean): { timestamps: number[]; aggregates: Aggregate[] } {
    const timestamps: number[] = [];
    const aggregates: Aggregate[] = [];
    const first = Math.ceil(Math.max(alignedStart, this.dataStart) / SAMPLE_SECONDS) * SAMPLE_SECONDS;
    const stop = Math.min(end, Math.floor(this.now() / SAMPLE_SECONDS) * SAMPLE_SECONDS + SAMPLE_SECONDS);
    const add = (at: number, value: number, count: number) => {
      const bucketStart = alignedStart + Math.floor((at - alignedStart) / period) * period;
      if (timestamps.at(-1) !== bucketStart) {
        timestamps.push(bucketStart);
        aggregates.push({ count: 0, sum: 0, min: Infinity, max: -Infinity, pairs: withPairs ? [] : null });
      }
      const a = aggregates[aggregates.length - 1];
      a.count += count;
      a.sum += value * count;
      if (value < a.min) a.min = value;
      if (value > a.max) a.max = value;
      a.pairs?.push(value, count);
    };
    const sampleAt = (t: number) => (this.metric.counter ? this.valueAt(t) / SAMPLES_PER_MINUTE : this.valueAt(t));
    for (let t = first; t < stop; ) {
      const minute = Math.floor(t / 60) * 60;
      const upto = Math.min(minute + 60, stop);
      // A minute is evaluated once, unless it is finer than the period or a failover changed a role within it.
      if (period % 60 === 0 && !this.roleChangeWithin(minute)) add(t, sampleAt(t), Math.ceil((upto - t) / SAMPLE_SECONDS));
      else for (let s = t; s < upto; s += SAMPLE_SECONDS) add(s, sampleAt(s), 1);
      t = minute + 60;
    }
    return { timestamps, aggregates };
  }
}

/** Every AWS/ElastiCache metric of the simulated nodes, per node and per member cluster, found by identity. */
export class SimulatedMetrics {
  constructor(
    private readonly fleet: SimulatedFleet,
    private readonly now: () => number,
  ) {}

  get(region: string, id: MetricIdentity): ModelledSeries | undefined {
    if (id.namespace !== NAMESPACE) return undefined;
    const clusterId = id.dimensions.find((d) => d.Name === "CacheClusterId")?.Value;
    const nodeId = id.dimensions.find((d) => d.Name === "CacheNodeId")?.Value;
    if (!clusterId || id.dimensions.length !== (nodeId === undefined ? 1 : 2)) return undefined;
    const cluster = this.fleet.cluster(region, clusterId);
    if (!cluster?.simulated) return undefined;
    const nodes = nodeId === undefined ? cluster.nodes : cluster.nodes.filter((n) => n.cacheNodeId === nodeId);
    const metric = modelOf(cluster).find((m) => m.name === id.metricName);
    if (!metric || nodes.length === 0) return undefined;
    return this.series(region, cluster, nodes, metric, id);
  }

  *all(region: string): Iterable<ModelledSeries> {
    for (const cluster of this.fleet.clusters(region)) {
      if (!cluster.simulated) continue;
      for (const metric of modelOf(cluster)) {
        for (const node of cluster.nodes) {
          const dims = [{ Name: "CacheClusterId", Value: cluster.cacheClusterId }, { Name: "CacheNodeId", Value: node.cacheNodeId }];
          const series = this.series(region, cluster, [node], metric, identity(NAMESPACE, metric.name, dims));
          if (series) yield series;
        }
        const series = this.series(region, cluster, cluster.nodes, metric, identity(NAMESPACE, metric.name, [{ Name: "CacheClusterId", Value: cluster.cacheClusterId }]));
        if (series) yield series;
      }
    }
  }

  private series(region: string, cluster: CacheClusterRecord, nodes: CacheNodeRecord[], metric: ModelledMetric, id: MetricIdentity): ModelledSeries | undefined {
    // Replication figures belong to one role, as the collector publishes ReplicationLag for replicas only.
    if (metric.role && !nodes.some((n) => (n.role ?? "primary") === metric.role)) return undefined;
    const facts = nodes.map((node) => factsOf(region, cluster, node));
    return new ModelledSeries(id, metric, facts, Date.parse(cluster.createTime) / 1000 - HISTORY_SECONDS, this.now);
  }
}

function modelOf(cluster: CacheClusterRecord): readonly ModelledMetric[] {
  return cluster.engine === "memcached" ? MEMCACHED_MODEL : REDIS_MODEL;
}

function factsOf(region: string, cluster: CacheClusterRecord, node: CacheNodeRecord): SimulatedNodeFacts {
  const type = nodeType(cluster.cacheNodeType);
  return {
    cacheKey: `${region}/${cluster.replicationGroupId ?? cluster.cacheClusterId}`,
    nodeKey: `${region}/${cluster.cacheClusterId}/${node.cacheNodeId}`,
    engine: cluster.engine,
    role: node.role,
    roleSince: node.roleSince ? Date.parse(node.roleSince) / 1000 : undefined,
    memoryBytes: type ? realMemoryBytes(type) : 2 ** 30,
    vcpus: type?.vcpus ?? 2,
  };
}
