import { formatSeconds } from "@/lib/duration";

export type HealthLevel = "healthy" | "warning" | "critical" | "unknown";
export type ProblemCode = "memory" | "hit-rate" | "evictions" | "replication-lag" | "engine-cpu" | "status" | "node-status";

export interface Problem {
  code: ProblemCode;
  level: "warning" | "critical";
  /** Short and specific, e.g. "Memory 96% (critical above 95%)". */
  summary: string;
}

/**
 * Thresholds from what operators alarm on (see shared reference, "Thresholds operators use"): memory above 90% warns
 * and 95% is critical; hit rate under 80% warns and under 40% is critical; engine CPU 80% / 90%; replication lag
 * over 1 s warns, over 5 s is critical; evictions in 3 or more consecutive periods are sustained.
 */
export const healthThresholds = {
  memoryPercent: { warning: 90, critical: 95 },
  hitRatePercent: { warning: 80, critical: 40 },
  engineCpuPercent: { warning: 80, critical: 90 },
  replicationLagSeconds: { warning: 1, critical: 5 },
  sustainedEvictionPeriods: 3,
  /** Below this many lookups in the window a hit rate says nothing. */
  minLookupsForHitRate: 100,
} as const;

/** Window figures for one cluster; null where the metric does not apply or had no data. */
export interface HealthFigures {
  hitRate: number | null;
  lookups: number | null;
  evictions: number | null;
  /** Longest run of consecutive periods with evictions. */
  evictionRun: number;
  replicationLag: number | null;
  engineCpu: number | null;
  memory: number | null;
}

export interface NodeState {
  id: string;
  status: string;
}

export interface HealthAssessment {
  level: HealthLevel;
  problems: Problem[];
}

/** Statuses that mean the cluster is broken, not merely busy changing. */
const failedStatus = /fail|incompatible|inaccessible|restore-failed/i;

function above(value: number | null, limits: { warning: number; critical: number }): "warning" | "critical" | null {
  if (value === null) return null;
  if (value > limits.critical) return "critical";
  return value > limits.warning ? "warning" : null;
}

function below(value: number | null, limits: { warning: number; critical: number }): "warning" | "critical" | null {
  if (value === null) return null;
  if (value < limits.critical) return "critical";
  return value < limits.warning ? "warning" : null;
}

const pct = (v: number) => `${v >= 10 ? Math.round(v) : v.toFixed(1)}%`;

export function assessHealth(figures: HealthFigures | null, status: string, nodes: NodeState[] = []): HealthAssessment {
  const t = healthThresholds;
  const problems: Problem[] = [];
  const add = (code: ProblemCode, level: "warning" | "critical" | null, summary: string) => {
    if (level) problems.push({ code, level, summary });
  };

  if (failedStatus.test(status)) add("status", "critical", `Status ${status}`);
  const troubled = nodes.filter((n) => n.status !== "available" && failedStatus.test(n.status));
  const busy = nodes.filter((n) => n.status !== "available" && !failedStatus.test(n.status));
  if (troubled.length) add("node-status", "critical", `${troubled.map((n) => `${n.id} ${n.status}`).join(", ")}`);
  if (busy.length && status === "available") add("node-status", "warning", `${busy.map((n) => `${n.id} ${n.status}`).join(", ")}`);

  if (figures) {
    const m = figures.memory;
    add("memory", above(m, t.memoryPercent), m === null ? "" : `Memory ${pct(m)} (limit ${t.memoryPercent.warning}%)`);
    if ((figures.lookups ?? 0) >= t.minLookupsForHitRate) {
      const h = figures.hitRate;
      add("hit-rate", below(h, t.hitRatePercent), h === null ? "" : `Hit rate ${pct(h)} (target ${t.hitRatePercent.warning}%)`);
    }
    if (figures.evictionRun >= t.sustainedEvictionPeriods) {
      add("evictions", "warning", `Sustained evictions (${Math.round(figures.evictions ?? 0).toLocaleString("en-US")} in window)`);
    }
    const lag = figures.replicationLag;
    add("replication-lag", above(lag, t.replicationLagSeconds), lag === null ? "" : `Replication lag ${formatSeconds(lag)}`);
    const cpu = figures.engineCpu;
    add("engine-cpu", above(cpu, t.engineCpuPercent), cpu === null ? "" : `CPU ${pct(cpu)} (limit ${t.engineCpuPercent.warning}%)`);
  }

  problems.sort((a, b) => (a.level === b.level ? 0 : a.level === "critical" ? -1 : 1));
  const level: HealthLevel = problems.some((p) => p.level === "critical")
    ? "critical"
    : problems.length
      ? "warning"
      : figures && hasAnyFigure(figures)
        ? "healthy"
        : "unknown";
  return { level, problems };
}

function hasAnyFigure(f: HealthFigures): boolean {
  return [f.hitRate, f.lookups, f.evictions, f.replicationLag, f.engineCpu, f.memory].some((v) => v !== null);
}

export const problemLabels: Record<ProblemCode, string> = {
  memory: "Memory pressure",
  "hit-rate": "Low hit rate",
  evictions: "Evictions",
  "replication-lag": "Replication lag",
  "engine-cpu": "High CPU",
  status: "Failed status",
  "node-status": "Node not available",
};
