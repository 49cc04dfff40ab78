import type { DrillReport, Topology } from "@/lib/drills/model";
import { drillKindLabels } from "@/lib/drills/model";
import { formatInstant } from "@/lib/drills/format";
import { formatDuration, formatSeconds } from "@/lib/duration";

// The report as Markdown for post-mortems and change records: the same facts as the page, no endpoints.

/** A table cell: pipes and line breaks would break the row. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  return String(value).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(header: string[], rows: (string | number | null)[][]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

function topologyRows(topology: Topology | null): (string | null)[][] {
  if (!topology) return [];
  return topology.shards.map((s) => [
    s.id,
    s.primary ? `${s.primary.cacheClusterId} (${s.primary.availabilityZone ?? "?"})` : "unknown",
    s.replicas.map((r) => `${r.cacheClusterId} (${r.availabilityZone ?? "?"})`).join(", ") || null,
  ]);
}

export function reportToMarkdown(report: DrillReport, link?: string): string {
  const { verdict } = report;
  const target =
    report.kind === "az-power-interruption"
      ? `${report.parameters.availabilityZone} for ${formatSeconds(report.parameters.durationSeconds ?? 0)}`
      : `shard${report.parameters.shards.length === 1 ? "" : "s"} ${report.parameters.shards.join(", ")}`;
  const lines = [
    `# Drill #${report.drillId}: ${drillKindLabels[report.kind]} of ${report.replicationGroupId} (${report.region})`,
    "",
    `**Verdict: ${verdict.verdict.toUpperCase()}** — ${verdict.summary}`,
    "",
    `- Target: ${target}`,
    `- Started: ${formatInstant(report.startedAt)} by ${report.startedBy}`,
    `- Finished: ${formatInstant(report.finishedAt)} (${report.status})`,
    `- Time to new primary: ${formatDuration(report.newPrimaryMs)}`,
    `- Time to fully healthy: ${formatDuration(report.healthyMs)}`,
    ...(link ? [`- Report: ${link}`] : []),
    ...(report.error ? ["", `> ${report.error}`] : []),
    "",
    "## Objectives",
    "",
    ...table(
      ["objective", "measured", "target", "met"],
      verdict.checks.map((c) => [c.label, c.measured, c.target, c.met === null ? "not measured" : c.met ? "yes" : "no"]),
    ),
    "",
    "## Shards",
    "",
    ...table(
      ["shard", "outcome", "API call", "new primary after", "healthy after", "old primary", "new primary"],
      report.shards.map((s) => [
        s.shard,
        s.outcome,
        formatInstant(s.apiCallAt),
        formatDuration(s.newPrimaryMs),
        formatDuration(s.healthyMs),
        s.oldPrimary ? `${s.oldPrimary.cacheClusterId} (${s.oldPrimary.availabilityZone ?? "?"})` : null,
        s.newPrimary ? `${s.newPrimary.cacheClusterId} (${s.newPrimary.availabilityZone ?? "?"})` : null,
      ]),
    ),
    "",
  ];
  if (report.probe) {
    const p = report.probe;
    lines.push(
      "## Probe",
      "",
      ...(p.problem ? [`> ${p.problem}`, ""] : []),
      ...table(
        ["figure", "value"],
        [
          ["writes attempted / acknowledged / failed", `${p.writesAttempted} / ${p.writesAcknowledged} / ${p.writesFailed}`],
          ["longest window of failed writes", formatDuration(p.longestWriteOutageMs)],
          ["slowest acknowledged write", formatDuration(p.slowestWriteMs)],
          ["reads attempted / failed", `${p.readsAttempted} / ${p.readsFailed}`],
          ["longest window of failed reads", formatDuration(p.longestReadOutageMs)],
          ["acknowledged keys verified / lost", `${p.keysVerified} / ${p.keysLost}`],
        ],
      ),
      ...(p.lostKeySample.length > 0 ? ["", `Lost keys (sample): ${p.lostKeySample.map((k) => `\`${k}\``).join(", ")}`] : []),
      "",
    );
  }
  lines.push(
    "## Topology",
    "",
    "Before:",
    "",
    ...table(["shard", "primary", "replicas"], topologyRows(report.topologyBefore)),
    "",
    "After:",
    "",
    ...table(["shard", "primary", "replicas"], topologyRows(report.topologyAfter)),
    "",
    "## Events",
    "",
    ...table(
      ["time", "source", "message"],
      report.events.map((e) => [formatInstant(e.at), e.sourceIdentifier, e.message]),
    ),
    "",
  );
  return lines.join("\n");
}
