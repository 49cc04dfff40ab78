import type { ChartModel } from "@/lib/data/model";

// The drill domain's shapes. Plain data only: server code stores and computes them, pages hand them to client
// components as they are.

export const drillKinds = ["test-failover", "az-power-interruption"] as const;
export type DrillKind = (typeof drillKinds)[number];

export const drillKindLabels: Record<DrillKind, string> = {
  "test-failover": "Test failover",
  "az-power-interruption": "AZ power interruption",
};

/**
 * `running` until the runner ends it; `interrupted` when the process running it stopped (a restart of CacheDeck)
 * before it could finish. `failed` means the drill itself could not be carried out (AWS refused, a shard never
 * recovered within the timeout), not that an objective was missed: that is the verdict's job.
 */
export const drillStatuses = ["running", "completed", "failed", "aborted", "interrupted"] as const;
export type DrillStatus = (typeof drillStatuses)[number];

export const verdicts = ["pass", "fail", "inconclusive"] as const;
export type Verdict = (typeof verdicts)[number];

/** What a drill must achieve to pass. Seconds, as people state objectives. */
export interface DrillObjectives {
  /** From the API call to a new primary serving the shard. */
  newPrimarySeconds: number;
  /** From the first API call to every drilled shard healthy again (old primary recovered as a replica). */
  healthySeconds: number;
  /** Longest run of failed probe writes; only judged when the probe ran. */
  writeOutageSeconds: number;
}

export interface DrillParameters {
  /** The shards (node group ids) to fail over, one at a time, in this order; for an AZ drill, the shards affected. */
  shards: string[];
  /** AZ power interruption only. */
  availabilityZone: string | null;
  durationSeconds: number | null;
  /** Whether a client writes and reads through the drill. */
  probe: boolean;
}

export interface DrillActor {
  id: string;
  name: string;
  email: string | null;
  role: string;
}

export interface Drill {
  id: number;
  kind: DrillKind;
  /** The AWS account of the group (lib/accounts.ts). */
  account: string;
  region: string;
  replicationGroupId: string;
  parameters: DrillParameters;
  objectives: DrillObjectives;
  /** The group's tags when the drill started (service, team…), for the stakeholder overview. */
  tags: Record<string, string>;
  status: DrillStatus;
  verdict: Verdict | null;
  actor: DrillActor;
  auditId: number | null;
  requestedAt: string;
  finishedAt: string | null;
  heartbeatAt: string;
  abortRequestedAt: string | null;
  abortRequestedBy: string | null;
  error: string | null;
}

export interface NodeRef {
  /** The member cache cluster id, which is how ElastiCache names a node of a replication group. */
  cacheClusterId: string;
  availabilityZone: string | null;
}

export const timelineKinds = [
  "drill-started",
  "shard-started",
  "api-call",
  "event",
  "primary-change",
  "shard-healthy",
  "probe",
  "abort-requested",
  "drill-finished",
  "error",
] as const;
export type TimelineKind = (typeof timelineKinds)[number];

/** The facts each kind of entry carries besides its time and message. */
export interface TimelineData {
  "drill-started": { topology: Topology };
  "shard-started": { shards: string[] };
  "api-call": { operation: string; requestId: string | null; durationMs: number; auditId: number | null };
  event: { sourceType: string; sourceIdentifier: string; date: string };
  "primary-change": { oldPrimary: NodeRef | null; newPrimary: NodeRef; detectedBy: "event" | "describe" };
  "shard-healthy": Record<string, never>;
  probe: {
    phase: "started" | "outage-started" | "outage-ended" | "finished";
    operation?: "write" | "read";
    outageMs?: number;
    error?: string;
    /** The probe's figures, on the "finished" entry. */
    result?: ProbeResult;
  };
  "abort-requested": { by: string };
  "drill-finished": { status: DrillStatus; verdict: Verdict | null; topology: Topology | null };
  error: { timedOut?: boolean };
}

export interface TimelineEntry<K extends TimelineKind = TimelineKind> {
  id: number;
  drillId: number;
  at: string;
  kind: K;
  /** The shard the entry is about, when it is about one. */
  shard: string | null;
  message: string;
  data: TimelineData[K];
}

export type NewTimelineEntry<K extends TimelineKind = TimelineKind> = Omit<TimelineEntry<K>, "id" | "drillId" | "at"> & { at?: string };

export interface ShardTopology {
  id: string;
  primary: NodeRef | null;
  replicas: NodeRef[];
}

export interface Topology {
  capturedAt: string;
  shards: ShardTopology[];
}

/** `incomplete`: the drill stopped (aborted, interrupted) while the shard was failing over or recovering. */
export type ShardOutcome = "healthy" | "timed-out" | "failed" | "incomplete" | "not-started";

export interface ShardMeasurement {
  shard: string;
  outcome: ShardOutcome;
  apiCallAt: string | null;
  newPrimaryAt: string | null;
  healthyAt: string | null;
  newPrimaryMs: number | null;
  healthyMs: number | null;
  oldPrimary: NodeRef | null;
  newPrimary: NodeRef | null;
}

export interface ProbeResult {
  writesAttempted: number;
  writesAcknowledged: number;
  writesFailed: number;
  /** The longest run of consecutive failed writes, from the first failed attempt to the next success. */
  longestWriteOutageMs: number;
  /** The slowest acknowledged write: a client that retries through a failover sees it as latency, not as an error. */
  slowestWriteMs: number;
  readsAttempted: number;
  readsFailed: number;
  longestReadOutageMs: number;
  /** Acknowledged keys read back at the end. */
  keysVerified: number;
  /** Acknowledged keys missing or changed at the end. */
  keysLost: number;
  lostKeySample: string[];
  /** Why the probe could not run or verify, when it could not. */
  problem: string | null;
}

export interface ObjectiveCheck {
  objective: "new-primary" | "healthy" | "write-outage" | "data-loss" | "completion";
  label: string;
  /** What was measured, in words ("12.4 s", "0 keys"); null when it could not be measured. */
  measured: string | null;
  target: string;
  met: boolean | null;
}

export interface VerdictResult {
  verdict: Verdict;
  checks: ObjectiveCheck[];
  /** One sentence a stakeholder can read. */
  summary: string;
}

export interface ReportEvent {
  at: string;
  sourceType: string;
  sourceIdentifier: string;
  message: string;
}

export interface DrillReport {
  drillId: number;
  kind: DrillKind;
  account: string;
  region: string;
  replicationGroupId: string;
  parameters: DrillParameters;
  status: DrillStatus;
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  objectives: DrillObjectives;
  /** Worst shard: API call → new primary. */
  newPrimaryMs: number | null;
  /** First API call → every drilled shard healthy. */
  healthyMs: number | null;
  shards: ShardMeasurement[];
  probe: ProbeResult | null;
  events: ReportEvent[];
  topologyBefore: Topology | null;
  topologyAfter: Topology | null;
  /** Replication lag and connections over the drill's window, kept so the report outlives CloudWatch's retention. */
  charts: ChartModel[];
  verdict: VerdictResult;
  error: string | null;
}

/** One row of drill history: the drill and its report's headline figures. */
export interface DrillHistoryItem {
  id: number;
  kind: DrillKind;
  account: string;
  region: string;
  replicationGroupId: string;
  shards: string[];
  status: DrillStatus;
  verdict: Verdict | null;
  requestedAt: string;
  finishedAt: string | null;
  startedBy: string;
  newPrimaryMs: number | null;
  healthyMs: number | null;
  writeOutageMs: number | null;
  keysLost: number | null;
  tags: Record<string, string>;
}
