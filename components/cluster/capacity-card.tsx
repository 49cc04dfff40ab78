import Link from "next/link";
import type { CapacityCard as CapacityCardData } from "@/lib/data/capacity-card";
import { CapacityChart } from "./capacity-chart";

const usd = (n: number) => `$${Math.abs(n).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const date = (t: number) => new Date(t).toISOString().slice(0, 10);
const gb = (bytes: number) => (bytes / 1e9).toLocaleString("en-US", { maximumFractionDigits: 2 });
const count = (n: number) => Math.round(n).toLocaleString("en-US");
/** What "memory" is for each kind of cache (lib/data/capacity.ts). */
const memoryLabel = { redis: "memory", memcached: "item memory", serverless: "data stored" } as const;
const caption = {
  redis: "Daily peaks of DatabaseMemoryUsagePercentage (busiest node)",
  memcached: "Daily peaks of BytesUsedForCacheItems over each node's item memory (busiest node)",
  serverless: "Daily peaks of BytesUsedForCache over the cache's data-storage maximum",
} as const;
const verdictText = { "over-sized": "Over-sized", "under-sized": "Under-sized", "right-sized": "Right-sized", "no-fit": "Needs cluster mode" } as const;

/** The cluster page's capacity section: the 14-day memory trend with its projection, and the rightsizing. */
export function CapacityCard({ card }: { card: CapacityCardData }) {
  if (card.state !== "ready") {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="capacity-none">
        {card.state === "pending"
          ? "Reading 14 days of daily peaks from CloudWatch; the forecast appears here when they are in."
          : "No capacity forecast: it needs at least 3 of the last 14 days' daily peaks, and CloudWatch has fewer for this cache."}
      </p>
    );
  }
  const { capacity, links, now, reserved } = card;
  const { forecast, recommendation: r } = capacity;
  const shape = (s: { nodeType: string; shards: number; replicasPerShard: number }) => `${s.shards} × ${s.nodeType} with ${s.replicasPerShard} replica${s.replicasPerShard === 1 ? "" : "s"} per shard`;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <div className="space-y-2" data-testid="capacity-forecast">
        <p className="text-sm">
          {forecast.fillsUpAt !== null && forecast.fillsUp ? (
            <>
              At its 14-day trend, <strong>{forecast.fillsUp === "memory" ? memoryLabel[capacity.basis] : "connections"}</strong> reaches its limit on{" "}
              <strong data-testid="fills-up-date">{date(forecast.fillsUpAt)}</strong>
              {forecast.fillsUpAt <= now ? " — it is there now" : ` (in ${Math.ceil((forecast.fillsUpAt - now) / 86_400_000)} days)`}.
            </>
          ) : (
            <>{capacity.basis === "serverless" ? "Data stored does not reach its limit within 90 days at its" : "Memory and connections do not reach their limits within 90 days at their"} 14-day trend.</>
          )}
        </p>
        <ul className="list-disc pl-5 text-sm text-slate-700 dark:text-slate-300" data-testid="capacity-figures">
          {forecast.memory && (
            <li>
              {memoryLabel[capacity.basis]}: latest peak {forecast.memory.latest.toFixed(1)}%{capacity.limitBytes !== null ? ` of ${gb(capacity.limitBytes)} GB` : ""}, {forecast.memory.trend.slopePerDay >= 0 ? "growing" : "falling"} {Math.abs(forecast.memory.trend.slopePerDay).toFixed(2)} points a day
            </li>
          )}
          {capacity.stored && capacity.limitBytes === null && (
            <li data-testid="capacity-no-limit">
              data stored: latest peak {gb(capacity.stored.latestBytes)} GB{capacity.stored.slopeBytesPerDay !== null ? `, ${capacity.stored.slopeBytesPerDay >= 0 ? "growing" : "falling"} ${gb(Math.abs(capacity.stored.slopeBytesPerDay))} GB a day` : ""}; no data-storage maximum is set (CacheUsageLimits), so there is no limit to reach
            </li>
          )}
          {forecast.connections && <li>connections: latest peak {count(forecast.connections.latest)} a node, of 65,000 (maxclients)</li>}
          {forecast.keys && <li>keys: {forecast.keys.slopePerDay >= 0 ? "growing" : "falling"} {count(Math.abs(forecast.keys.slopePerDay))} a day (no limit of their own: they take memory)</li>}
        </ul>
        {capacity.memory.days.length > 0 && (
          <>
            <CapacityChart capacity={capacity} now={now} />
            <p className="text-xs text-slate-600 dark:text-slate-400">{caption[capacity.basis]}, least-squares trend, dashed projection; red: 100%, amber: 90% headroom.</p>
          </>
        )}
      </div>
      <div className="space-y-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-700" data-testid="rightsizing">
        <h3 className="font-semibold">
          Rightsizing: {r ? verdictText[r.verdict] : capacity.basis === "serverless" ? "not needed (a serverless cache scales itself)" : capacity.basis === "memcached" ? "Redis OSS and Valkey caches only" : "not available for this node type"}
        </h3>
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
            {reserved && (
              <p data-testid="rightsizing-reserved">
                {reserved.nodes} of its nodes are reserved (the first reservation ends {reserved.firstEnds}) and billed for the whole term whatever the shape:
                {reserved.monthlySavingUsd === null ? (
                  " what the change saves until then cannot be priced."
                ) : Math.round(reserved.monthlySavingUsd) === 0 ? (
                  " until then the change saves nothing."
                ) : (
                  <>
                    {" "}
                    until then the change {reserved.monthlySavingUsd >= 0 ? "saves" : "costs"} <strong>{usd(reserved.monthlySavingUsd)}</strong> a month{reserved.monthlySavingUsd >= 0 ? "" : " more"}.
                  </>
                )}
              </p>
            )}
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
