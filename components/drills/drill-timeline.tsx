import type { TimelineEntry, TimelineKind } from "@/lib/drills/model";
import { formatElapsed, formatInstant } from "@/lib/drills/format";

const kindLabels: Record<TimelineKind, string> = {
  "drill-started": "Start",
  "shard-started": "Shard",
  "api-call": "API call",
  event: "Event",
  "primary-change": "Primary",
  "shard-healthy": "Healthy",
  probe: "Probe",
  "abort-requested": "Abort",
  "drill-finished": "End",
  error: "Problem",
};

const emphasis: Partial<Record<TimelineKind, string>> = {
  "primary-change": "bg-orange-50 dark:bg-orange-950/40 font-medium",
  "shard-healthy": "bg-emerald-50 dark:bg-emerald-950/40",
  error: "bg-red-50 dark:bg-red-950/40",
  "abort-requested": "bg-amber-50 dark:bg-amber-950/40",
};

/**
 * Everything the drill saw, by when it happened: an event is placed when it arrived, a primary change at the moment
 * AWS's event dates it (which can be before the event reached CacheDeck).
 */
function chronological(entries: TimelineEntry[]): TimelineEntry[] {
  return [...entries].sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
}

/** The drill's timeline with the time since the start. */
export function DrillTimeline({ startedAt, entries }: { startedAt: string; entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">Nothing recorded yet.</p>;
  return (
    <ol className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white text-sm dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" data-testid="timeline">
      {chronological(entries).map((entry) => (
        <li key={entry.id} className={`flex flex-wrap gap-x-3 px-3 py-1.5 ${emphasis[entry.kind] ?? ""}`} data-kind={entry.kind} data-shard={entry.shard ?? ""}>
          <span className="w-20 shrink-0 font-mono tabular-nums text-slate-600 dark:text-slate-400" title={formatInstant(entry.at)}>
            {formatElapsed(startedAt, entry.at)}
          </span>
          <span className="w-16 shrink-0 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">{kindLabels[entry.kind]}</span>
          <span className="min-w-0 flex-1 break-words">
            {entry.message}
            {entry.kind === "event" && (
              <span className="ml-2 text-xs text-slate-500 dark:text-slate-400">
                ({(entry as TimelineEntry<"event">).data.sourceIdentifier}, {formatInstant((entry as TimelineEntry<"event">).data.date)})
              </span>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}
