"use client";

import Link from "next/link";
import { memo, useMemo } from "react";
import { HealthBadge, StatusBadge } from "@/components/ui/badges";
import { formatCount, formatPercent } from "@/components/ui/format";
import { formatSeconds } from "@/lib/duration";
import { useWindowedList } from "@/components/ui/use-windowed-list";
import type { FleetRow } from "@/lib/data/fleet-rows";
import { PostureBadge } from "@/components/posture/posture-badges";
import { ProblemList } from "./problem-list";

/** On a phone each cluster is a card: the figures that matter without scrolling sideways. */
const Card = memo(function Card({ c, position, of, account }: { c: FleetRow; position: number; of: number; account: boolean }) {
  const f = c.health.figures;
  const figures: [string, string][] = [
    ["Hit rate", formatPercent(f?.hitRate)],
    ["Evictions", formatCount(f?.evictions)],
    ["Lag", formatSeconds(f?.replicationLag)],
    ["CPU", formatPercent(f?.engineCpu)],
    ["Memory", formatPercent(f?.memory)],
  ];
  return (
    // Not prefetched, as in the table: a scroll brings new cards on screen. The gap between cards is padding, not margin, so the measured height (for windowing) includes it.
    <li className="pb-2" aria-posinset={position} aria-setsize={of} data-window-key={c.key} data-testid="cluster-card" data-cluster={c.id} data-account={c.account} data-region={c.region}>
      <div className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
        <div className="flex items-center justify-between gap-2">
          <Link href={c.href} prefetch={false} className="break-all font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300">{c.id}</Link>
          <HealthBadge level={c.health.level} />
        </div>
        <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">
          {account && <>{c.account} · </>}
          {c.region} · {c.engine} {c.engineVersion ?? ""} · {c.nodeType ?? "serverless"} · <StatusBadge status={c.status} />
        </div>
        <div className="mt-1 flex flex-wrap items-center gap-2 text-xs">
          <PostureBadge posture={c.posture} />
          {c.posture.lifecycle.state !== "supported" && <span data-testid="lifecycle" data-lifecycle={c.posture.lifecycle.state}>{c.posture.lifecycle.summary}</span>}
        </div>
        <ProblemList c={c} />
        <dl className="mt-2 grid grid-cols-5 gap-1 text-center text-xs">
          {figures.map(([label, value]) => (
            <div key={label}>
              <dt className="text-slate-500 dark:text-slate-400">{label}</dt>
              <dd className="tabular-nums">{value}</dd>
            </div>
          ))}
        </dl>
      </div>
    </li>
  );
});

/** The phone layout: cards instead of the table (never both), windowed like the table. */
export function FleetCards({ rows, accounts }: { rows: FleetRow[]; accounts: boolean }) {
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const { start, end, before, after, attach } = useWindowedList(keys, { estimate: 120 });
  return (
    <ul aria-label="Clusters" ref={attach} style={{ paddingTop: before, paddingBottom: after }}>
      {rows.slice(start, end).map((c, i) => <Card key={c.key} c={c} position={start + i + 1} of={rows.length} account={accounts} />)}
    </ul>
  );
}
