import type { AlarmTransition } from "@/lib/aws/alarms";
import { coverageCount, shownState, type AlarmCoverage, type AlarmState } from "@/lib/posture/recommended-alarms";

// A cache's recommended alarms as its page shows them: each with its state, and the state changes to draw on the
// chart of the same metric. Plain data, from the region watcher's last alarms read (no call per viewer).

export interface AlarmRowView {
  name: string;
  /** The node (cluster/node) or serverless cache it watches. */
  target: string;
  metric: string;
  /** "Average > 90% for 5 of 5 minutes", as the person reads it. */
  rule: string;
  why: string;
  state: AlarmState | "missing";
  /** The alarms that watch that metric (the recommended one, or people's own). */
  names: string[];
}

export interface AlarmMarkerView {
  /** The chart (lib/data/cluster-charts.ts ids) of the alarm's metric. */
  chart: string;
  t: number;
  to: AlarmState;
  label: string;
}

export interface AlarmsView {
  present: number;
  recommended: number;
  rows: AlarmRowView[];
  markers: AlarmMarkerView[];
}

/** Which chart of the cluster page shows each alarmed metric; host CPU has one on Memcached pages only. */
const chartOfMetric: Record<string, string> = {
  CPUUtilization: "cpu",
  EngineCPUUtilization: "engine-cpu",
  DatabaseMemoryUsagePercentage: "memory",
  Evictions: "evictions",
  CurrConnections: "connections",
  ReplicationLag: "replication-lag",
  ThrottledCmds: "ecpus",
};

const units: Record<string, string> = { CPUUtilization: "%", EngineCPUUtilization: "%", DatabaseMemoryUsagePercentage: "%", ReplicationLag: " s" };

function ruleText(c: AlarmCoverage): string {
  const r = c.recommended.rule;
  const minutes = r.period / 60;
  const window = r.evaluationPeriods === 1 ? `in ${minutes === 1 ? "a minute" : `${minutes} minutes`}` : `for ${r.datapointsToAlarm} of ${r.evaluationPeriods} periods of ${minutes} min`;
  return `${r.statistic} ${r.comparison === "GreaterThanThreshold" ? ">" : "≥"} ${r.threshold.toLocaleString("en-US")}${units[r.metric] ?? ""} ${window}`;
}

export function alarmsView(coverage: AlarmCoverage[], transitions: AlarmTransition[]): AlarmsView {
  const metricOf = new Map<string, { metric: string; target: string }>();
  for (const c of coverage) for (const a of c.existing) metricOf.set(a.name, { metric: c.recommended.rule.metric, target: c.recommended.target });
  return {
    ...coverageCount(coverage),
    rows: coverage.map((c) => ({
      name: c.recommended.name,
      target: c.recommended.target,
      metric: c.recommended.rule.metric,
      rule: ruleText(c),
      why: c.recommended.rule.why,
      state: shownState(c),
      names: c.existing.map((a) => a.name),
    })),
    markers: transitions.flatMap((t) => {
      const watched = metricOf.get(t.alarm);
      const chart = watched && chartOfMetric[watched.metric];
      return chart ? [{ chart, t: t.t, to: t.to, label: `${t.alarm} (${watched.target}) → ${t.to}` }] : [];
    }),
  };
}
