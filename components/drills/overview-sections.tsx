import Link from "next/link";
import type { OverviewSection } from "@/lib/drills/overview";
import { formatInstant } from "@/lib/drills/format";
import { HealthBadge } from "@/components/ui/badges";
import { DrillStatusBadge, VerdictBadge } from "./badges";
import { placeLabel } from "@/lib/place";

/** One card per tag value: health now, last drill and verdict, recent incidents. No endpoints, no controls. */
export function OverviewSections({ sections, by, incidentDays }: { sections: OverviewSection[]; by: string; incidentDays: number }) {
  if (sections.length === 0) return <p className="text-sm">No cluster found in the configured regions.</p>;
  return (
    <div className="space-y-4" data-testid="overview">
      {sections.map((section) => (
        <section key={section.value ?? "-"} aria-label={`${by} ${section.value ?? "not tagged"}`} className="rounded-md border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900" data-section={section.value ?? ""}>
          <h2 className="mb-2 flex items-center gap-2 text-lg font-semibold">
            {section.value ?? <span className="italic">No {by} tag</span>} <HealthBadge level={section.health} />
          </h2>
          <ul className="divide-y divide-slate-200 dark:divide-slate-800">
            {section.clusters.map((c) => (
              <li key={`${c.account}/${c.region}/${c.id}`} className="grid gap-2 py-2 text-sm md:grid-cols-[minmax(12rem,1fr)_minmax(10rem,1fr)_minmax(14rem,2fr)]" data-cluster={c.id} data-account={c.account}>
                <div>
                  <p className="font-medium">{c.id}</p>
                  <p className="flex flex-wrap items-center gap-1 text-xs text-slate-600 dark:text-slate-400">
                    {placeLabel(c)} · {c.engine} <HealthBadge level={c.health} />
                    {c.concerns.length > 0 && <span>{c.concerns.join(", ")}</span>}
                  </p>
                </div>
                <div data-testid="last-drill">
                  {c.lastDrill ? (
                    <Link href={`/drills/${c.lastDrill.id}`} className="flex flex-wrap items-center gap-1 hover:underline">
                      Last drill {formatInstant(c.lastDrill.at).slice(0, 10)}{" "}
                      {c.lastDrill.status === "running" ? <DrillStatusBadge status="running" /> : <VerdictBadge verdict={c.lastDrill.verdict} />}
                    </Link>
                  ) : (
                    <span className="text-slate-600 dark:text-slate-400">Never drilled</span>
                  )}
                </div>
                <div>
                  {c.incidents.length === 0 ? (
                    <span className="text-slate-600 dark:text-slate-400">No incident in the last {incidentDays} days</span>
                  ) : (
                    <ul className="space-y-0.5" aria-label="Recent incidents">
                      {c.incidents.map((i) => (
                        <li key={`${i.at}-${i.message}`}>
                          <span className="font-mono text-xs">{formatInstant(i.at).slice(0, 16)}</span> {i.message}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
