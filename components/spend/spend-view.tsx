import Link from "next/link";
import { formatUsd } from "@/components/ui/format";
import type { Spend, SpendGroup } from "@/lib/cost/spend-summary";

const th = "px-2 py-1 text-left font-medium";
const td = "px-2 py-1";
const num = "px-2 py-1 text-right tabular-nums";

function GroupTable({ title, groups, testId }: { title: string; groups: SpendGroup[]; testId: string }) {
  return (
    <section aria-label={`Monthly cost by ${title}`} className="rounded-md border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
      <h2 className="font-semibold">By {title}</h2>
      <table className="mt-2 w-full text-sm" data-testid={testId}>
        <thead>
          <tr className="border-b border-slate-200 dark:border-slate-700">
            <th className={th}>{title}</th>
            <th className={`${th} text-right`}>Caches</th>
            <th className={`${th} text-right`}>Per month</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.key} className="border-b border-slate-100 dark:border-slate-800">
              <td className={td}>{g.key}</td>
              <td className={num}>{g.caches}{g.unpriced > 0 && <span className="text-xs text-slate-600 dark:text-slate-400"> ({g.unpriced} without price)</span>}</td>
              <td className={num}>{formatUsd(g.monthlyUsd)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The fleet's money: totals, groups, reserved nodes, Valkey savings and every cache's line. Server-rendered. */
export function SpendView({ spend, tagHref }: { spend: Spend; tagHref: (key: string) => string }) {
  return (
    <div className="space-y-4">
      <section aria-label="Totals" className="rounded-md border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
        <div className="text-2xl font-semibold tabular-nums" data-testid="spend-total">{formatUsd(spend.totalUsd)} <span className="text-sm font-normal">per month</span></div>
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="spend-prices">
          {spend.lines.length} caches{spend.unpriced > 0 && `, ${spend.unpriced} without a price (see "no price" below)`}. Prices of {spend.prices.dates.join(", ") || `the snapshot of ${spend.prices.snapshotDate}`}.
          {spend.prices.problem && <> The AWS Price List API could not be read ({spend.prices.problem.message}); prices come from the bundled snapshot.</>}
        </p>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          On-demand node-hours × 730, reserved nodes at their own rate, Extended Support where it applies, serverless at the last hour&apos;s usage.
          Backups and data transfer are not included. See docs/cost.md.
        </p>
      </section>

      <div className="grid gap-4 lg:grid-cols-2">
        <GroupTable title="account" groups={spend.groups.account} testId="spend-by-account" />
        <GroupTable title="region" groups={spend.groups.region} testId="spend-by-region" />
        <GroupTable title="engine" groups={spend.groups.engine} testId="spend-by-engine" />
        <div className="space-y-2">
          <nav aria-label="Group by tag" className="flex flex-wrap gap-2 text-sm">
            Tag:
            {[...new Set([spend.tagKey, ...spend.tagKeys])].map((key) => (
              <Link key={key} href={tagHref(key)} aria-current={key === spend.tagKey ? "page" : undefined} className={key === spend.tagKey ? "font-semibold underline" : "text-sky-700 hover:underline dark:text-sky-400"}>
                {key}
              </Link>
            ))}
          </nav>
          <GroupTable title={spend.tagKey} groups={spend.groups.tag} testId="spend-by-tag" />
        </div>
      </div>

      <section aria-label="Reserved nodes" className="rounded-md border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
        <h2 className="font-semibold">Reserved nodes</h2>
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="reserved-coverage">
          {spend.reservedNodes} of {spend.reservedNodes + spend.onDemandNodes} nodes are billed at a reserved rate; {spend.onDemandNodes} on demand.
        </p>
        {spend.reservations.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No reservations read (DescribeReservedCacheNodes is read once an hour per account and region).</p>
        ) : (
          <table className="mt-2 w-full text-sm" data-testid="reservations">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th className={th}>Reservation</th><th className={th}>Where</th><th className={th}>Type</th><th className={`${th} text-right`}>Covers</th><th className={th}>Ends</th>
              </tr>
            </thead>
            <tbody>
              {spend.reservations.map((r) => (
                <tr key={`${r.account}/${r.region}/${r.id}`} className="border-b border-slate-100 dark:border-slate-800">
                  <td className={td}>{r.id}</td>
                  <td className={td}>{r.account === "default" ? r.region : `${r.account} · ${r.region}`}</td>
                  <td className={td}>{r.nodeType} ({r.engine})</td>
                  <td className={num}>{r.used} of {r.count}{r.used < r.count && r.state === "active" && <span className="text-amber-800 dark:text-amber-300"> ({r.count - r.used} unused)</span>}</td>
                  <td className={td}>
                    {day(r.end)}{" "}
                    {r.state !== "active" ? <span className="text-slate-600">({r.state})</span> : r.expiring ? <strong className="text-amber-800 dark:text-amber-300" data-testid="reservation-expiring">expires in {r.daysLeft} days</strong> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Valkey savings" className="rounded-md border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
        <h2 className="font-semibold">Moving Redis OSS caches to Valkey</h2>
        {spend.valkey.length === 0 ? (
          <p className="text-sm text-slate-600 dark:text-slate-400">No Redis OSS cache with a known price.</p>
        ) : (
          <table className="mt-2 w-full text-sm" data-testid="valkey-savings">
            <thead>
              <tr className="border-b border-slate-200 dark:border-slate-700">
                <th className={th}>Cache</th><th className={`${th} text-right`}>Saves per month</th><th className={th}>Extended Support if it stays</th><th className={th}></th>
              </tr>
            </thead>
            <tbody>
              {spend.valkey.map((v) => (
                <tr key={`${v.line.account}/${v.line.region}/${v.line.id}`} className="border-b border-slate-100 dark:border-slate-800">
                  <td className={td}><Link href={v.line.href} className="text-sky-800 underline dark:text-sky-300">{v.line.id}</Link> <span className="text-xs text-slate-600 dark:text-slate-400">{v.line.engine} {v.line.engineVersion}</span></td>
                  <td className={num}>{v.savingMonthlyUsd === null ? <span className="text-xs text-slate-600 dark:text-slate-400">{v.savingUnknown}</span> : formatUsd(v.savingMonthlyUsd)}</td>
                  <td className={td}>{v.extendedSupportIfStaysMonthlyUsd === null ? "none" : `${formatUsd(v.extendedSupportIfStaysMonthlyUsd)} a month from ${v.extendedSupportFrom}`}</td>
                  <td className={td}><Link href={v.upgradeHref} className="text-sky-800 underline dark:text-sky-300">Upgrade to Valkey</Link></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Every cache" className="rounded-md border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
        <h2 className="font-semibold">Every cache</h2>
        <table className="mt-2 w-full text-sm" data-testid="spend-lines">
          <thead>
            <tr className="border-b border-slate-200 dark:border-slate-700">
              <th className={th}>Cache</th><th className={th}>Where</th><th className={th}>Nodes</th><th className={`${th} text-right`}>Per month</th><th className={th}>How</th>
            </tr>
          </thead>
          <tbody>
            {[...spend.lines].sort((a, b) => (b.cost?.monthlyUsd ?? -1) - (a.cost?.monthlyUsd ?? -1)).map((l) => (
              <tr key={`${l.account}/${l.region}/${l.id}`} className="border-b border-slate-100 dark:border-slate-800">
                <td className={td}><Link href={l.href} className="text-sky-800 underline dark:text-sky-300">{l.id}</Link></td>
                <td className={td}>{l.account === "default" ? l.region : `${l.account} · ${l.region}`}</td>
                <td className={td}>{l.kind === "serverless" ? "serverless" : `${l.nodes} × ${l.nodeType ?? "?"}`}</td>
                <td className={num}>{l.cost?.monthlyUsd != null ? formatUsd(l.cost.monthlyUsd) : "no price"}</td>
                <td className="px-2 py-1 text-xs text-slate-600 dark:text-slate-400">
                  {l.cost?.missing ??
                    [
                      l.cost?.reservedNodes ? `${l.cost.reservedNodes} reserved` : null,
                      l.cost?.extendedSupportMonthlyUsd ? `Extended Support ${formatUsd(l.cost.extendedSupportMonthlyUsd)} (year ${l.cost.extendedSupportYear})` : null,
                      l.cost?.serverless ? `${l.cost.serverless.gb.toFixed(2)} GB stored, ${Math.round(l.cost.serverless.ecpuPerHour).toLocaleString("en-US")} ECPUs/hour` : null,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
