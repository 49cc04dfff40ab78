import type { DrillReport, NodeRef, Topology } from "@/lib/drills/model";
import { drillKindLabels } from "@/lib/drills/model";
import { formatInstant } from "@/lib/drills/format";
import { formatDuration, formatSeconds } from "@/lib/duration";
import { CHAIN_ACCOUNT, placeLabel } from "@/lib/place";

// The drill report as people read it, built once: the page (components/drills/drill-report.tsx) and the Markdown
// export (lib/drills/markdown.ts) render these same words and figures, each in its own markup.

export interface ObjectiveRow {
  objective: string;
  label: string;
  measured: string | null;
  target: string;
  met: boolean | null;
}

export interface TopologyRow {
  shard: string;
  primaryId: string | null;
  /** "o-0001-001 (us-east-1a)", or "unknown". */
  primary: string;
  replicas: string[];
}

export interface ReportView {
  title: string;
  verdict: string;
  summary: string;
  /** What was drilled: the shards, or the zone and how long. */
  target: string;
  startedBy: string;
  startedAt: string;
  finishedAt: string;
  status: string;
  newPrimary: string;
  healthy: string;
  error: string | null;
  objectives: ObjectiveRow[];
  shards: { shard: string; outcome: string; apiCallAt: string; newPrimaryAfter: string; healthyAfter: string; oldPrimary: string | null; newPrimary: string | null }[];
  probe: { problem: string | null; figures: [string, string][]; lostKeys: string[] } | null;
  topologyBefore: TopologyRow[] | null;
  topologyAfter: TopologyRow[] | null;
  events: { at: string; source: string; message: string }[];
}

function node(ref: NodeRef): string {
  return `${ref.cacheClusterId} (${ref.availabilityZone ?? "?"})`;
}

function topologyRows(topology: Topology | null): TopologyRow[] | null {
  return (
    topology?.shards.map((s) => ({
      shard: s.id,
      primaryId: s.primary?.cacheClusterId ?? null,
      primary: s.primary ? node(s.primary) : "unknown",
      replicas: s.replicas.map(node),
    })) ?? null
  );
}

export function reportView(report: DrillReport): ReportView {
  const p = report.probe;
  return {
    title: `Drill #${report.drillId}: ${drillKindLabels[report.kind]} of ${report.replicationGroupId} (${placeLabel({ account: report.account ?? CHAIN_ACCOUNT, region: report.region })})`,
    verdict: report.verdict.verdict,
    summary: report.verdict.summary,
    target:
      report.kind === "az-power-interruption"
        ? `${report.parameters.availabilityZone} for ${formatSeconds(report.parameters.durationSeconds ?? 0)}`
        : `shard${report.parameters.shards.length === 1 ? "" : "s"} ${report.parameters.shards.join(", ")}`,
    startedBy: report.startedBy,
    startedAt: formatInstant(report.startedAt),
    finishedAt: formatInstant(report.finishedAt),
    status: report.status,
    newPrimary: formatDuration(report.newPrimaryMs),
    healthy: formatDuration(report.healthyMs),
    error: report.error,
    objectives: report.verdict.checks.map((c) => ({ objective: c.objective, label: c.label, measured: c.measured, target: c.target, met: c.met })),
    shards: report.shards.map((s) => ({
      shard: s.shard,
      outcome: s.outcome,
      apiCallAt: formatInstant(s.apiCallAt),
      newPrimaryAfter: formatDuration(s.newPrimaryMs),
      healthyAfter: formatDuration(s.healthyMs),
      oldPrimary: s.oldPrimary ? node(s.oldPrimary) : null,
      newPrimary: s.newPrimary ? node(s.newPrimary) : null,
    })),
    probe: p
      ? {
          problem: p.problem,
          figures: [
            ["Writes attempted / acknowledged / failed", `${p.writesAttempted} / ${p.writesAcknowledged} / ${p.writesFailed}`],
            ["Longest window of failed writes", formatDuration(p.longestWriteOutageMs)],
            ["Slowest acknowledged write", formatDuration(p.slowestWriteMs)],
            ["Reads attempted / failed", `${p.readsAttempted} / ${p.readsFailed}`],
            ["Longest window of failed reads", formatDuration(p.longestReadOutageMs)],
            ["Acknowledged keys verified / lost", `${p.keysVerified} / ${p.keysLost}`],
          ],
          lostKeys: p.lostKeySample,
        }
      : null,
    topologyBefore: topologyRows(report.topologyBefore),
    topologyAfter: topologyRows(report.topologyAfter),
    events: report.events.map((e) => ({ at: formatInstant(e.at), source: e.sourceIdentifier, message: e.message })),
  };
}
