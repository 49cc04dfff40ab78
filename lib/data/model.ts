import type { AlarmsView } from "./alarms";
import type { AwsProblem } from "@/lib/aws/errors";
import type { CacheCost } from "@/lib/cost/cache-cost";
import type { Posture } from "@/lib/posture/posture";
import type { HealthAssessment, HealthFigures } from "./health";
import type { ChartRow, Values } from "./series";
import type { TimeWindow } from "./time-range";

export type { AwsProblem } from "@/lib/aws/errors";

export type ClusterKind = "replication-group" | "cache-cluster" | "serverless";

export interface ZoneCount {
  zone: string;
  nodes: number;
}

export interface Trends {
  hitRate: Values;
  evictions: Values;
  replicationLag: Values;
  engineCpu: Values;
  memory: Values;
}

/** One row of the fleet: a replication group, a standalone cache cluster or a serverless cache. */
export interface ClusterSummary {
  kind: ClusterKind;
  id: string;
  /** The account's short name from the accounts file ("default" without one). */
  account: string;
  region: string;
  arn: string | null;
  /** redis, valkey or memcached. */
  engine: string;
  engineVersion: string | null;
  clusterMode: "enabled" | "disabled" | null;
  /** null for serverless. */
  nodeType: string | null;
  shards: number | null;
  nodes: number;
  zones: ZoneCount[];
  status: string;
  /** What is going on when the status alone does not say it (pending changes, failover, resharding progress). */
  activity: string[];
  /** Slot migration progress (0–100) while a cluster-mode group reshards, else null. */
  reshardingPercent: number | null;
  tags: Record<string, string>;
  /** Engine lifecycle and security controls, judged when the cache's description changed (lib/posture). */
  posture: Posture;
  health: HealthAssessment & { figures: HealthFigures | null; trends: Trends | null };
  /**
   * When memory or connections reach their limit at the 14-day trend (lib/capacity/forecast.ts); null: not within
   * 90 days; absent: no forecast (not a Redis OSS / Valkey node-based cache, or its figures are not read yet).
   */
  fillsUp?: FillsUp | null;
  href: string;
  /** Monthly cost (lib/cost); absent until the watcher costed it. */
  cost?: CacheCost | null;
  /** Recommended CloudWatch alarms that exist, of those recommended; null before the region's alarms were read. */
  alarms: { present: number; recommended: number } | null;
}

export interface FillsUp {
  /** Epoch ms. */
  at: number;
  figure: "memory" | "connections";
}

export interface RegionReport {
  account: string;
  region: string;
  /** True while the region's watcher is still on its first reads: its caches arrive over the live stream. */
  loading: boolean;
  /** Empty when every call for the region worked. */
  problems: AwsProblem[];
}

export interface FleetView {
  window: TimeWindow;
  regions: RegionReport[];
  clusters: ClusterSummary[];
  generatedAt: number;
}

export type NodeRole = "primary" | "replica" | "node" | "unknown";

export interface NodeView {
  /** How the page names the node: the member cluster id, or the node id inside a Memcached cluster. */
  name: string;
  cacheClusterId: string;
  nodeId: string;
  shardId: string | null;
  role: NodeRole;
  status: string;
  zone: string | null;
  endpoint: string | null;
  /** Latest values in the window. */
  lag: number | null;
  memory: number | null;
  cpu: number | null;
  items: number | null;
  connections: number | null;
}

export interface ShardView {
  id: string;
  status: string;
  slots: string | null;
  slotCount: number | null;
  primary: string | null;
  nodeCount: number;
  keys: number | null;
  opsPerSecond: number | null;
  cpu: number | null;
  memory: number | null;
  networkOutPerSecond: number | null;
  /** Why this shard stands out from the others; empty when it does not. */
  hot: string[];
}

export interface EndpointView {
  label: string;
  address: string;
}

export type ChartUnit = "percent" | "count" | "seconds" | "bytes" | "bytesPerSecond" | "perSecond" | "microseconds";

export interface ChartLine {
  key: string;
  label: string;
  /** The cluster-wide line, drawn heavier than the per-node ones. */
  emphasis?: boolean;
}

export interface ChartModel {
  id: string;
  title: string;
  unit: ChartUnit;
  rows: ChartRow[];
  lines: ChartLine[];
  /** Said instead of drawing when the chart does not apply. */
  emptyText?: string;
}

export type EventCategory = "failover" | "scaling" | "node" | "lifecycle" | "other";

export interface EventView {
  t: number;
  source: string;
  sourceType: string;
  message: string;
  category: EventCategory;
}

export interface ClusterDetail {
  summary: ClusterSummary;
  description: string | null;
  multiAz: boolean | null;
  automaticFailover: string | null;
  endpoints: EndpointView[];
  nodes: NodeView[];
  shards: ShardView[];
  zones: string[];
  charts: ChartModel[];
  events: EventView[];
  window: TimeWindow;
  /** Parts of the page that could not be loaded (metrics, events, tags), with what to do. */
  problems: AwsProblem[];
  /** Extra facts for serverless caches (usage limits). */
  facts: { label: string; value: string }[];
  /** Recommended alarms and their state changes, from the region watcher; absent before its first alarms read. */
  alarms?: AlarmsView;
}
