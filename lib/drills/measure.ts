import type { Drill, DrillStatus, ReportEvent, ShardMeasurement, TimelineEntry, Topology } from "@/lib/drills/model";

// Measurements come from the timeline alone, so a drill's figures can be computed again at any time, including for
// a drill whose process stopped halfway: what was recorded until then is what it measured.

function entriesOf<K extends TimelineEntry["kind"]>(timeline: TimelineEntry[], kind: K): TimelineEntry<K>[] {
  return timeline.filter((e): e is TimelineEntry<K> => e.kind === kind);
}

/** An entry about `shard`, or about the whole drill (an AZ interruption's one API call covers every shard). */
function about(entry: TimelineEntry, shard: string): boolean {
  return entry.shard === shard || entry.shard === null;
}

const elapsed = (from: string | null, to: string | null) => (from && to ? Math.max(0, Date.parse(to) - Date.parse(from)) : null);

export function measureShard(shard: string, timeline: TimelineEntry[]): ShardMeasurement {
  const apiCall = entriesOf(timeline, "api-call").find((e) => about(e, shard));
  const change = entriesOf(timeline, "primary-change").find((e) => e.shard === shard);
  const healthy = entriesOf(timeline, "shard-healthy").find((e) => e.shard === shard);
  const error = entriesOf(timeline, "error").find((e) => about(e, shard));
  const apiCallAt = apiCall?.at ?? null;
  const outcome: ShardMeasurement["outcome"] = healthy
    ? "healthy"
    : error
      ? error.data.timedOut
        ? "timed-out"
        : "failed"
      : apiCall
        ? "incomplete"
        : "not-started";
  return {
    shard,
    outcome,
    apiCallAt,
    newPrimaryAt: change?.at ?? null,
    healthyAt: healthy?.at ?? null,
    newPrimaryMs: elapsed(apiCallAt, change?.at ?? null),
    healthyMs: elapsed(apiCallAt, healthy?.at ?? null),
    oldPrimary: change?.data.oldPrimary ?? null,
    newPrimary: change?.data.newPrimary ?? null,
  };
}

export interface Measurements {
  shards: ShardMeasurement[];
  /** The slowest shard's API call → new primary. */
  newPrimaryMs: number | null;
  /** First API call → the last shard healthy; null unless every shard got there. */
  healthyMs: number | null;
}

export function measure(drill: Pick<Drill, "parameters">, timeline: TimelineEntry[]): Measurements {
  const shards = drill.parameters.shards.map((shard) => measureShard(shard, timeline));
  const toPrimary = shards.map((s) => s.newPrimaryMs).filter((ms): ms is number => ms !== null);
  const firstCall = entriesOf(timeline, "api-call")[0]?.at ?? null;
  const allHealthy = shards.length > 0 && shards.every((s) => s.healthyAt !== null);
  const lastHealthy = allHealthy ? shards.map((s) => s.healthyAt!).sort().at(-1)! : null;
  return {
    shards,
    newPrimaryMs: toPrimary.length > 0 ? Math.max(...toPrimary) : null,
    healthyMs: elapsed(firstCall, lastHealthy),
  };
}

export function reportEvents(timeline: TimelineEntry[]): ReportEvent[] {
  return entriesOf(timeline, "event").map((e) => ({
    at: e.data.date,
    sourceType: e.data.sourceType,
    sourceIdentifier: e.data.sourceIdentifier,
    message: e.message,
  }));
}

export function topologyBefore(timeline: TimelineEntry[]): Topology | null {
  return entriesOf(timeline, "drill-started")[0]?.data.topology ?? null;
}

/** What each shard is doing now, for the live view. */
export type ShardPhase = "waiting" | "failing-over" | "recovering" | "healthy" | "failed" | "stopped";

export function shardPhase(measurement: ShardMeasurement, drillStatus: DrillStatus): ShardPhase {
  if (measurement.outcome === "healthy") return "healthy";
  if (measurement.outcome === "failed" || measurement.outcome === "timed-out") return "failed";
  const stopped = drillStatus !== "running";
  if (measurement.outcome === "not-started") return stopped ? "stopped" : "waiting";
  if (stopped) return "stopped";
  return measurement.newPrimaryAt ? "recovering" : "failing-over";
}
