import type { ChartModel } from "@/lib/data/model";
import type { Drill, DrillReport, ProbeResult, ShardMeasurement, TimelineEntry, Topology } from "@/lib/drills/model";
import { measure, reportEvents, topologyBefore } from "@/lib/drills/measure";
import { judge } from "@/lib/drills/verdict";

export interface ReportExtras {
  topologyAfter?: Topology | null;
  charts?: ChartModel[];
}

/** The probe's final figures, as the runner recorded them on the timeline. */
export function probeResult(timeline: TimelineEntry[]): ProbeResult | null {
  for (const entry of timeline) {
    if (entry.kind === "probe") {
      const result = (entry as TimelineEntry<"probe">).data.result;
      if (result) return result;
    }
  }
  return null;
}

/**
 * Cluster mode enabled reports no roles, and CloudWatch's IsMaster may not have told the runner either: a primary
 * unknown before the drill is the old primary its failover event named.
 */
export function withKnownPrimaries(topology: Topology | null, shards: ShardMeasurement[]): Topology | null {
  if (!topology) return null;
  return {
    ...topology,
    shards: topology.shards.map((s) => {
      const named = s.primary ? null : shards.find((m) => m.shard === s.id)?.oldPrimary;
      if (!named) return s;
      return { ...s, primary: named, replicas: s.replicas.filter((r) => r.cacheClusterId !== named.cacheClusterId) };
    }),
  };
}

/** A drill's report from its record and timeline: measured, judged, self-contained. */
export function buildReport(drill: Drill, timeline: TimelineEntry[], extras: ReportExtras = {}): DrillReport {
  const { shards, newPrimaryMs, healthyMs } = measure(drill, timeline);
  const probeRan = drill.parameters.probe;
  const probe = probeRan
    ? (probeResult(timeline) ?? {
        writesAttempted: 0,
        writesAcknowledged: 0,
        writesFailed: 0,
        longestWriteOutageMs: 0,
        slowestWriteMs: 0,
        readsAttempted: 0,
        readsFailed: 0,
        longestReadOutageMs: 0,
        keysVerified: 0,
        keysLost: 0,
        lostKeySample: [],
        problem: "The probe did not report: the drill stopped before it could verify the keys.",
      })
    : null;
  return {
    drillId: drill.id,
    kind: drill.kind,
    account: drill.account,
    region: drill.region,
    replicationGroupId: drill.replicationGroupId,
    parameters: drill.parameters,
    status: drill.status,
    startedBy: drill.actor.name,
    startedAt: drill.requestedAt,
    finishedAt: drill.finishedAt,
    objectives: drill.objectives,
    newPrimaryMs,
    healthyMs,
    shards,
    probe,
    events: reportEvents(timeline),
    topologyBefore: withKnownPrimaries(topologyBefore(timeline), shards),
    topologyAfter: extras.topologyAfter ?? null,
    charts: extras.charts ?? [],
    verdict: judge({ status: drill.status, objectives: drill.objectives, newPrimaryMs, healthyMs, shards, probe }),
    error: drill.error,
  };
}
