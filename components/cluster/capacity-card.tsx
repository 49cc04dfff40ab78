import Link from "next/link";
import type { CapacityCard as CapacityCardData } from "@/lib/data/capacity-card";
import { CapacityChart } from "./capacity-chart";

const usd = (n: number) => `$${Math.abs(n).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const date = (t: number) => new Date(t).toISOString().slice(0, 10);
const figureLabel = { memory: "memory", connections: "connections" } as const;
const verdictText = { "over-sized": "Over-sized", "under-sized": "Under-sized", "right-sized": "Right-sized", "no-fit": "Needs cluster mode" } as const;

/** The cluster page's capacity section: the 14-day memory trend with its projection, and the rightsizing. */
export function CapacityCard({ card }: { card: CapacityCardData }) {
  if (card.state !== "ready") {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="capacity-none">
        {card.state === "pending"
          ? "Reading 14 days of daily peaks from CloudWatch; the forecast appears here when they are in."
          : "No capacity forecast: it needs 14 days of daily peaks of a Redis OSS or Valkey node-based cache, and CloudWatch has fewer than 3 for this one."}
      </p>
    );
  }
  const { capacity, links, now } = card;
  const { forecast, recommendation: r } = capacity;
  const shape = (s: { nodeType: string; shards: number; replicasPerShard: number }) => `${s.shards} × ${s.nodeType} with ${s.replicasPerShard} replica${s.replicasPerShard === 1 ? "" : "s"} per shard`;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="space-y-2" data-testid="capacity-forecast">
        <p className="text-sm">
          {forecast.fillsUpAt !== null && forecast.fillsUp ? (
            <>
              At its 14-day trend, <strong>{figureLabel[forecast.fillsUp]}</strong> reaches its limit on{" "}
              <strong data-testid="fills-up-date">{date(forecast.fillsUpAt)}</strong>
              {forecast.fillsUpAt <= now ? " — it is there now" : ` (in ${Math.ceil((forecast.fillsUpAt - now) / 86_400_000)} days)`}.
            </>
          ) : (
            <>Memory and connections do not reach their limits within 90 days at their 14-day trend.</>
          )}
          {forecast.memory && <> Memory peaks grow {forecast.memory.trend.slopePerDay.toFixed(2)} points a day (latest peak {forecast.memory.latest.toFixed(1)}%).</>}
        </p>
        <CapacityChart capacity={capacity} now={now} />
        <p className="text-xs text-slate-600 dark:text-slate-400">Daily peaks of DatabaseMemoryUsagePercentage (busiest node), least-squares trend, dashed projection; red: 100% (evictions start), amber: 90% headroom.</p>
      </div>
      <div className="space-y-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700" data-testid="rightsizing">
        <h3 className="font-semibold">Rightsizing: {r ? verdictText[r.verdict] : "not available for this node type"}</h3>
        {r && (
          <>
            <p>
              Now: {shape(r.current)}.
              {r.target && r.verdict !== "right-sized" && <> Recommended: <strong data-testid="rightsizing-target">{shape(r.target)}</strong>.</>}
            </p>
            {r.monthlySavingUsd !== null && r.verdict !== "right-sized" && (
              <p data-testid="rightsizing-saving">
                {r.monthlySavingUsd >= 0 ? "Saves" : "Costs"} <strong>{usd(r.monthlySavingUsd)}</strong> a month on demand{capacity.priceDate ? ` (prices of ${capacity.priceDate})` : ""}.
              </p>
            )}
            {r.monthlySavingUsd === null && r.verdict !== "right-sized" && <p className="text-slate-600 dark:text-slate-400">No price for this region: the saving cannot be shown.</p>}
            <ul className="list-disc pl-5 text-slate-700 dark:text-slate-300">
              {r.reasons.map((reason) => <li key={reason}>{reason}</li>)}
            </ul>
            {links.length > 0 && (
              <ul className="flex flex-wrap gap-2">
                {links.map((l) => (
                  <li key={l.href}>
                    <Link href={l.href} className="rounded-md border border-slate-300 px-2 py-1 hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800" data-testid="rightsizing-link">
                      {l.label}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
