import Link from "next/link";
import type { ClusterSummary } from "@/lib/data/model";
import { controls, type Outcome } from "@/lib/posture/controls";
import { engineCalendar } from "@/lib/posture/engine-calendar";
import { formatDay, type Lifecycle } from "@/lib/posture/engine-lifecycle";
import { needsUpgrade } from "@/lib/posture/posture";
import { LifecycleCell } from "@/components/posture/posture-badges";
import { StandaloneUpgradeAdvice } from "@/components/cluster/standalone-upgrade-advice";

const outcomeText: Record<Outcome, { word: string; icon: string; style: string }> = {
  pass: { word: "Pass", icon: "●", style: "text-emerald-800 dark:text-emerald-300" },
  fail: { word: "Fail", icon: "■", style: "text-red-700 dark:text-red-300 font-semibold" },
  "not-applicable": { word: "Not applicable", icon: "–", style: "text-slate-500 dark:text-slate-400" },
  unknown: { word: "Not read", icon: "○", style: "text-slate-500 dark:text-slate-400" },
};

/** The operation that upgrades the engine (the operations page's upgrade-engine form). */
export function upgradeHref(summary: Pick<ClusterSummary, "href">, engine: "valkey" | "redis" = "valkey"): string {
  return `${summary.href}/operations?op=upgrade-engine&engine=${engine}`;
}

/** What happens when, from the calendar: the dates that matter for this cache's engine. */
function Timeline({ lifecycle }: { lifecycle: Lifecycle }) {
  if (!lifecycle.standardSupportEnds) return null;
  const steps: [string, string][] = [
    [formatDay(lifecycle.standardSupportEnds), "Standard support ends: no more routine fixes."],
    [formatDay(lifecycle.extendedSince!), "Enrolled automatically in paid Extended Support (critical and high CVE fixes), billed per month until upgraded or deleted."],
    [formatDay(lifecycle.extendedSupportEnds!), "Extended Support ends."],
    [`After ${formatDay(lifecycle.automaticUpgradeAfter!)}`, "AWS upgrades the cache automatically to the latest Valkey."],
  ];
  return (
    <ol className="mt-2 space-y-1 text-sm">
      {steps.map(([when, what]) => (
        <li key={when}><strong className="tabular-nums">{when}</strong> — {what}</li>
      ))}
    </ol>
  );
}

/** The cluster page's posture: engine support (what happens when, what to upgrade to) and each control. */
export function PosturePanel({ summary }: { summary: ClusterSummary }) {
  const { lifecycle, controls: results } = summary.posture;
  const redisNodes = summary.kind !== "serverless" && summary.engine === "redis";
  return (
    <div className="space-y-4">
      <div className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="engine-support">
        <h3 className="font-medium">Engine support: {lifecycle.label}</h3>
        <div className="mt-1"><LifecycleCell lifecycle={lifecycle} /></div>
        <Timeline lifecycle={lifecycle} />
        {lifecycle.monthsBilled !== null && lifecycle.monthsBilled > 0 && (
          <p className="mt-2 text-sm">Upgrading today ends the charges after {lifecycle.monthsBilled} {lifecycle.monthsBilled === 1 ? "month" : "months"} of Extended Support.</p>
        )}
        {needsUpgrade(lifecycle) && redisNodes && summary.kind === "cache-cluster" && <StandaloneUpgradeAdvice id={summary.id} />}
        {needsUpgrade(lifecycle) && redisNodes && summary.kind === "replication-group" && (
          <p className="mt-2 text-sm">
            Upgrade to <strong>Valkey 8.x</strong> (in place, the cross-engine upgrade AWS recommends; Valkey nodes cost about 20% less) or to{" "}
            <strong>Redis OSS 7.x</strong>. Nodes are replaced one by one: replicas first, then a failover, then the old primary.{" "}
            <Link href={upgradeHref(summary)} className="font-medium text-sky-800 underline dark:text-sky-300" data-testid="upgrade-engine-link">Upgrade engine…</Link>
          </p>
        )}
        <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
          Source: <a href={engineCalendar.source.url} className="underline">{engineCalendar.source.name}</a>, checked {formatDay(engineCalendar.checked)}.
        </p>
      </div>
      <div className="relative overflow-x-auto rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
        <table className="w-full text-sm" data-testid="controls">
          <caption className="sr-only">Security and resilience controls of {summary.id}</caption>
          <thead className="bg-slate-100 text-left text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
            <tr>
              <th scope="col" className="px-2 py-2 font-medium">Control</th>
              <th scope="col" className="px-2 py-2 font-medium">Result</th>
              <th scope="col" className="px-2 py-2 font-medium">Why it matters</th>
              <th scope="col" className="px-2 py-2 font-medium">How to fix</th>
            </tr>
          </thead>
          <tbody>
            {results.map((r) => {
              const def = controls[r.id];
              const o = outcomeText[r.outcome];
              return (
                <tr key={r.id} className="border-t border-slate-200 align-top dark:border-slate-800" data-control={r.id} data-outcome={r.outcome}>
                  <th scope="row" className="px-2 py-2 text-left font-normal">
                    <div className="font-medium">{def.id}</div>
                    <div>{def.title}</div>
                    <div className="text-xs text-slate-600 dark:text-slate-400">{def.source} · {def.severity} severity</div>
                  </th>
                  <td className={`px-2 py-2 ${o.style}`}>
                    <span aria-hidden="true">{o.icon}</span> {o.word}
                    <div className="text-xs font-normal text-slate-600 dark:text-slate-400">{r.detail}</div>
                  </td>
                  <td className="px-2 py-2 text-xs">{def.why}</td>
                  <td className="px-2 py-2 text-xs">
                    {r.outcome === "fail" ? (
                      <>
                        <p>{def.fix.console}</p>
                        <code className="mt-1 block break-all rounded bg-slate-100 p-1 dark:bg-slate-800">{def.fix.cli.replaceAll("<id>", summary.id)}</code>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
