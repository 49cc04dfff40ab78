import type { LifecycleState, Lifecycle } from "@/lib/posture/engine-lifecycle";
import type { PostureBrief } from "@/lib/posture/posture";

const tone = {
  good: "bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  medium: "bg-amber-100 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  high: "bg-red-100 text-red-900 ring-red-600/40 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/40",
  none: "bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30",
};
const badge = "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset";

/** "2 findings", coloured by the worst severity (and marked by shape, for readers without colour vision). */
export function PostureBadge({ posture }: { posture: PostureBrief }) {
  const { findings } = posture;
  if (findings.length === 0) {
    return <span className={`${badge} ${tone.good}`} data-testid="posture-badge" data-findings={0}><span aria-hidden="true">●</span>No findings</span>;
  }
  const high = findings.some((f) => f.severity === "high");
  return (
    <span
      className={`${badge} ${high ? tone.high : tone.medium}`}
      data-testid="posture-badge"
      data-findings={findings.length}
      data-severity={high ? "high" : "medium"}
      title={findings.map((f) => f.id).join(", ")}
    >
      <span aria-hidden="true">{high ? "■" : "▲"}</span>
      {findings.length} {findings.length === 1 ? "finding" : "findings"}
      <span className="sr-only">{high ? ", high severity" : ", medium severity"}</span>
    </span>
  );
}

const lifecycleTone: Record<LifecycleState, string> = {
  supported: tone.good,
  "standard-ends-soon": tone.medium,
  "extended-support": tone.high,
  "past-extended-support": tone.high,
  unknown: tone.none,
};
const lifecycleWord: Record<LifecycleState, string> = {
  supported: "Supported",
  "standard-ends-soon": "Support ends soon",
  "extended-support": "Extended Support",
  "past-extended-support": "Past Extended Support",
  unknown: "Unknown",
};

/** The engine's place in AWS's support calendar: a word, then the dates in one line. */
export function LifecycleCell({ lifecycle }: { lifecycle: Pick<Lifecycle, "state" | "summary"> }) {
  return (
    <div data-testid="lifecycle" data-lifecycle={lifecycle.state}>
      <span className={`${badge} ${lifecycleTone[lifecycle.state]}`}>{lifecycleWord[lifecycle.state]}</span>
      <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">{lifecycle.summary}</div>
    </div>
  );
}
