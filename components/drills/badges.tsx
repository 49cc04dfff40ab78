import type { DrillStatus, Verdict } from "@/lib/drills/model";
import type { CheckStatus } from "@/lib/drills/checklist";

// Word and shape as well as colour, so a verdict reads without colour vision.

const tone = {
  good: "bg-emerald-100 text-emerald-900 ring-emerald-600/30 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  bad: "bg-red-100 text-red-900 ring-red-600/40 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/40",
  warn: "bg-amber-100 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  busy: "bg-sky-100 text-sky-900 ring-sky-600/30 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30",
  quiet: "bg-slate-100 text-slate-700 ring-slate-500/30 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30",
};

function Badge({ style, icon, text, testId }: { style: string; icon: string; text: string; testId?: string }) {
  return (
    <span data-testid={testId} className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style}`}>
      <span aria-hidden="true">{icon}</span>
      {text}
    </span>
  );
}

const verdictLook: Record<Verdict, [string, string, string]> = {
  pass: [tone.good, "✓", "Pass"],
  fail: [tone.bad, "✗", "Fail"],
  inconclusive: [tone.warn, "?", "Inconclusive"],
};

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  if (!verdict) return <Badge style={tone.quiet} icon="…" text="No verdict yet" testId="verdict" />;
  const [style, icon, text] = verdictLook[verdict];
  return <Badge style={style} icon={icon} text={text} testId="verdict" />;
}

const statusLook: Record<DrillStatus, [string, string]> = {
  running: [tone.busy, "▶"],
  completed: [tone.good, "■"],
  failed: [tone.bad, "■"],
  aborted: [tone.warn, "■"],
  interrupted: [tone.warn, "⏸"],
};

export function DrillStatusBadge({ status }: { status: DrillStatus }) {
  const [style, icon] = statusLook[status];
  return <Badge style={style} icon={icon} text={status} testId="drill-status" />;
}

const checkLook: Record<CheckStatus, [string, string, string]> = {
  pass: [tone.good, "✓", "Pass"],
  fail: [tone.bad, "✗", "Fail"],
  warn: [tone.warn, "!", "Warning"],
  info: [tone.quiet, "i", "Info"],
};

export function CheckBadge({ status }: { status: CheckStatus }) {
  const [style, icon, text] = checkLook[status];
  return <Badge style={style} icon={icon} text={text} />;
}
