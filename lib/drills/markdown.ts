import type { DrillReport } from "@/lib/drills/model";
import { reportView, type TopologyRow } from "@/lib/drills/report-view";

// The report as Markdown for post-mortems and change records: the page's view (lib/drills/report-view.ts), no endpoints.

/** A table cell: pipes and line breaks would break the row. */
export function cell(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === "") return "—";
  return String(value).replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function table(header: string[], rows: (string | number | null)[][]): string[] {
  return [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`, ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`)];
}

function topologyTable(rows: TopologyRow[] | null): string[] {
  return table(["shard", "primary", "replicas"], (rows ?? []).map((r) => [r.shard, r.primary, r.replicas.join(", ") || null]));
}

export function reportToMarkdown(report: DrillReport, link?: string): string {
  const view = reportView(report);
  const lines = [
    `# ${view.title}`,
    "",
    `**Verdict: ${view.verdict.toUpperCase()}** — ${view.summary}`,
    "",
    `- Target: ${view.target}`,
    `- Started: ${view.startedAt} by ${view.startedBy}`,
    `- Finished: ${view.finishedAt} (${view.status})`,
    `- Time to new primary: ${view.newPrimary}`,
    `- Time to fully healthy: ${view.healthy}`,
    ...(link ? [`- Report: ${link}`] : []),
    ...(view.error ? ["", `> ${view.error}`] : []),
    "",
    "## Objectives",
    "",
    ...table(
      ["objective", "measured", "target", "met"],
      view.objectives.map((c) => [c.label, c.measured, c.target, c.met === null ? "not measured" : c.met ? "yes" : "no"]),
    ),
    "",
    "## Shards",
    "",
    ...table(
      ["shard", "outcome", "API call", "new primary after", "healthy after", "old primary", "new primary"],
      view.shards.map((s) => [s.shard, s.outcome, s.apiCallAt, s.newPrimaryAfter, s.healthyAfter, s.oldPrimary, s.newPrimary]),
    ),
    "",
  ];
  if (view.probe) {
    const { problem, figures, lostKeys } = view.probe;
    lines.push(
      "## Probe",
      "",
      ...(problem ? [`> ${problem}`, ""] : []),
      ...table(["figure", "value"], figures),
      ...(lostKeys.length > 0 ? ["", `Lost keys (sample): ${lostKeys.map((k) => `\`${k}\``).join(", ")}`] : []),
      "",
    );
  }
  lines.push(
    "## Topology",
    "",
    "Before:",
    "",
    ...topologyTable(view.topologyBefore),
    "",
    "After:",
    "",
    ...topologyTable(view.topologyAfter),
    "",
    "## Events",
    "",
    ...table(["time", "source", "message"], view.events.map((e) => [e.at, e.source, e.message])),
    "",
  );
  return lines.join("\n");
}
