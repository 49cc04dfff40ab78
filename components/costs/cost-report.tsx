import type { CostReport } from "@/lib/data/costs";
import { formatPeriod } from "@/lib/data/time-range";

const usd = (v: number) => `$${v < 10 ? v.toFixed(2) : Math.round(v).toLocaleString("en-US")}`;
const every = (ms: number) => formatPeriod(Math.round(ms / 1000));
const clock = (t: number | null) => (t === null ? "—" : `${new Date(t).toISOString().slice(11, 19)} UTC`);

function Figure({ label, value, testId, note }: { label: string; value: string; testId: string; note?: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums" data-testid={testId}>{value}</dd>
      {note && <dd className="text-xs text-slate-600 dark:text-slate-400">{note}</dd>}
    </div>
  );
}

const th = "px-2 py-1 text-left font-medium";
const td = "px-2 py-1 tabular-nums";

/** The admin cost page's body: plain data from lib/data/costs. */
export function CostReportView({ report }: { report: CostReport }) {
  const over = report.projectedUsdPerDay > report.budgetUsdPerDay;
  return (
    <div className="space-y-6">
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Figure label="CloudWatch metrics requested today (UTC)" value={report.metricsToday.toLocaleString("en-US")} testId="metrics-today" />
        <Figure label="Their price" value={usd(report.spentTodayUsd)} testId="spent-today" note={`at ${usd(report.pricePer1000Metrics)} per 1,000 metrics`} />
        <Figure label="Daily budget" value={usd(report.budgetUsdPerDay)} testId="budget" note="CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY" />
        <Figure label="Projected per day at the present schedule" value={usd(report.projectedUsdPerDay)} testId="projected" note={over ? "Above budget: reads stop once today's spend reaches it" : "Within budget"} />
      </dl>

      <section className="space-y-2" aria-labelledby="calls">
        <h2 id="calls" className="text-lg font-semibold">AWS calls per minute (last 5 minutes)</h2>
        {report.callsPerMinute.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No AWS call in the last five minutes.</p>
        ) : (
          <table className="text-sm" data-testid="calls-per-minute">
            <thead><tr><th className={th}>Service</th><th className={th}>Operation</th><th className={th}>Calls / min</th></tr></thead>
            <tbody>
              {report.callsPerMinute.map((c) => (
                <tr key={c.service + c.operation} data-operation={c.operation} className="border-t border-slate-200 dark:border-slate-800">
                  <td className="px-2 py-1">{c.service}</td><td className="px-2 py-1 font-mono">{c.operation}</td><td className={td}>{c.perMinute.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="space-y-2" aria-labelledby="watchers">
        <h2 id="watchers" className="text-lg font-semibold">Watchers (one per account and region)</h2>
        {report.watchers.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No watcher has started yet: they start when a page first needs a region.</p>
        ) : (
          <div className="relative overflow-x-auto">
            <table className="text-sm" data-testid="watchers">
              <thead>
                <tr>
                  <th className={th}>Account / region</th><th className={th}>State</th><th className={th}>Caches</th><th className={th}>Live pages</th>
                  <th className={th}>Events every</th><th className={th}>Fleet health read</th><th className={th}>Closer reads</th><th className={th}>Projected / day</th>
                  <th className={th}>Last events · describe · tags · alarms</th><th className={th}>Problems</th>
                </tr>
              </thead>
              <tbody>
                {report.watchers.map((w) => (
                  <tr key={`${w.key.account}/${w.key.region}`} data-region={w.key.region} className="border-t border-slate-200 align-top dark:border-slate-800">
                    <td className="px-2 py-1 font-mono">{w.key.account} / {w.key.region}</td>
                    <td className="px-2 py-1">
                      {w.state}{w.busy ? " (busy)" : ""}
                      {w.lease !== "alone" && <><br /><span className="text-xs text-slate-500" data-testid="watcher-lease">{w.lease === "leader" ? "led by this instance" : "follows another instance (no AWS calls)"}</span></>}
                    </td>
                    <td className={td}>{w.caches.toLocaleString("en-US")}</td>
                    <td className={td}>{w.viewers}</td>
                    <td className={td}>{every(w.eventPollEveryMs)}</td>
                    <td className={td}>{w.metricsPerFleetRead.toLocaleString("en-US")} metrics every {every(w.fleetReadEveryMs)}<br /><span className="text-xs text-slate-500">last {clock(w.last.fleetRead)}, next {clock(w.next.fleetRead)}</span></td>
                    <td className={td}>{w.closeReadCaches} caches every {every(w.closeReadEveryMs)}<br /><span className="text-xs text-slate-500">last {clock(w.last.closeRead)}</span><br /><span className="text-xs text-slate-500" data-testid="capacity-read">capacity: {w.capacityRead.metricsPerRead.toLocaleString("en-US")} metrics every {every(w.capacityRead.everyMs)}, last {clock(w.capacityRead.last)}</span></td>
                    <td className={td}>{usd(w.projectedUsdPerDay)}<br /><span className="text-xs text-slate-500" data-testid="watcher-budget">of its {usd(w.budgetUsdPerDay)} part of the budget</span></td>
                    <td className={td}>{clock(w.last.events)} · {clock(w.last.describe)} · {clock(w.last.tags)} · {clock(w.last.alarms)}</td>
                    <td className="px-2 py-1 text-xs">{w.problems.map((p) => p.message).join(" ") || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
