import type { Checklist } from "@/lib/drills/checklist";
import { CheckBadge } from "./badges";

/** The pre-flight checklist, each item with what was found and why it matters. */
export function ChecklistView({ checklist }: { checklist: Checklist }) {
  return (
    <section aria-labelledby="checklist-heading" className="space-y-2" data-testid="checklist" data-ready={checklist.ready}>
      <h2 id="checklist-heading" className="text-lg font-semibold">
        Pre-flight checklist{" "}
        <span className="text-sm font-normal text-slate-600 dark:text-slate-400">
          {checklist.ready ? "— every check passes; the drill may start." : "— a failed check blocks the drill."}
        </span>
      </h2>
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900">
        {checklist.items.map((item) => (
          <li key={item.id} className="flex flex-col gap-1 p-3 sm:flex-row sm:items-start sm:gap-3" data-testid={`check-${item.id}`} data-status={item.status}>
            <div className="w-24 shrink-0">
              <CheckBadge status={item.status} />
            </div>
            <div className="min-w-0 text-sm">
              <p className="font-medium">{item.label}</p>
              <p>{item.detail}</p>
              <p className="text-xs text-slate-600 dark:text-slate-400">Why: {item.why}</p>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
