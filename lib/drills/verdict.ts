import type { DrillObjectives, DrillStatus, ObjectiveCheck, ProbeResult, ShardMeasurement, VerdictResult } from "@/lib/drills/model";
import { plural } from "@/lib/drills/format";
import { formatDuration, formatSeconds } from "@/lib/duration";

// The verdict against the objectives. A missed objective fails the drill; a drill that did not run to the end (aborted,
// interrupted) or could not measure something is inconclusive rather than passed.

export interface VerdictInput {
  status: DrillStatus;
  objectives: DrillObjectives;
  newPrimaryMs: number | null;
  healthyMs: number | null;
  shards: ShardMeasurement[];
  probe: ProbeResult | null;
}

function withinObjective(objective: ObjectiveCheck["objective"], label: string, ms: number | null, targetSeconds: number): ObjectiveCheck {
  return {
    objective,
    label,
    measured: ms === null ? null : formatDuration(ms),
    target: `≤ ${formatSeconds(targetSeconds)}`,
    met: ms === null ? null : ms <= targetSeconds * 1_000,
  };
}

function completion(input: VerdictInput): ObjectiveCheck {
  const healthy = input.shards.filter((s) => s.outcome === "healthy").length;
  const broken = input.shards.some((s) => s.outcome === "failed" || s.outcome === "timed-out");
  const finished = input.status === "completed" && healthy === input.shards.length;
  return {
    objective: "completion",
    label: "Every drilled shard failed over and recovered",
    measured: `${healthy} of ${plural(input.shards.length, "shard")}`,
    target: "all",
    met: finished ? true : broken || input.status === "failed" ? false : null,
  };
}

function probeChecks(input: VerdictInput): ObjectiveCheck[] {
  const probe = input.probe;
  if (!probe) return [];
  const measured = !probe.problem;
  return [
    {
      objective: "write-outage",
      label: "Longest window of failed writes",
      measured: measured ? formatDuration(probe.longestWriteOutageMs) : null,
      target: `≤ ${formatSeconds(input.objectives.writeOutageSeconds)}`,
      met: measured ? probe.longestWriteOutageMs <= input.objectives.writeOutageSeconds * 1_000 : null,
    },
    {
      objective: "data-loss",
      label: "Acknowledged writes lost",
      measured: measured ? plural(probe.keysLost, "key") : null,
      target: "0 keys",
      met: measured ? probe.keysLost === 0 : null,
    },
  ];
}

function summarize(verdict: VerdictResult["verdict"], checks: ObjectiveCheck[], status: DrillStatus): string {
  if (verdict === "fail") {
    const missed = checks.filter((c) => c.met === false).map((c) => `${c.label.toLowerCase()} ${c.measured ?? "not reached"} (objective ${c.target})`);
    return `Failed: ${missed.join("; ")}.`;
  }
  if (verdict === "inconclusive") {
    const why =
      status === "aborted" ? "the drill was aborted before every shard was drilled"
        : status === "interrupted" ? "CacheDeck stopped while the drill was running"
          : status === "running" ? "the drill is still running"
            : `${checks.filter((c) => c.met === null).map((c) => c.label.toLowerCase()).join(", ")} could not be measured`;
    return `Inconclusive: ${why}.`;
  }
  const parts = checks.filter((c) => c.objective !== "completion").map((c) => `${c.label.toLowerCase()} ${c.measured} (objective ${c.target})`);
  return `Passed: ${parts.join("; ")}.`;
}

export function judge(input: VerdictInput): VerdictResult {
  const checks: ObjectiveCheck[] = [
    completion(input),
    withinObjective("new-primary", "Time to new primary", input.newPrimaryMs, input.objectives.newPrimarySeconds),
    withinObjective("healthy", "Time to fully healthy", input.healthyMs, input.objectives.healthySeconds),
    ...probeChecks(input),
  ];
  const verdict = checks.some((c) => c.met === false) ? "fail" : checks.every((c) => c.met === true) ? "pass" : "inconclusive";
  return { verdict, checks, summary: summarize(verdict, checks, input.status) };
}
