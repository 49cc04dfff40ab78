"use client";

import Link from "next/link";
import { memo, useMemo } from "react";
import { HealthBadge, Pill, StatusBadge } from "@/components/ui/badges";
import { formatCount, formatPercent } from "@/components/ui/format";
import { formatSeconds } from "@/lib/duration";
import { Sparkline } from "@/components/ui/sparkline";
import { useWindowedList } from "@/components/ui/use-windowed-list";
import type { SortKey } from "@/lib/data/fleet-query";
import type { FleetRow } from "@/lib/data/fleet-rows";
import { healthThresholds } from "@/lib/data/health";
import type { Values } from "@/lib/data/series";
import { ProblemList } from "./problem-list";
import { QueryLink, useFleetParams } from "./use-fleet-params";

const baseColumns = 12;

function SortHeader({ label, sortKey, className = "" }: { label: string; sortKey: SortKey; className?: string }) {
  const { params } = useFleetParams();
  const active = (params.sort ?? "health") === sortKey;
  const defaultDir = sortKey === "health" ? "desc" : "asc";
  const dir = params.dir ?? defaultDir;
  const nextDir = active ? (dir === "asc" ? "desc" : "asc") : defaultDir;
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined} className={`px-2 py-2 font-medium ${className}`}>
      <QueryLink changes={{ sort: sortKey, dir: nextDir }} className="inline-flex items-center gap-1 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
        {label}
        <span aria-hidden="true" className="text-slate-400">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </QueryLink>
    </th>
  );
}

function Metric({ id, text, values, label, bad, max }: { id: string; text: string; values: Values | undefined; label: string; bad: "warning" | "critical" | null; max?: number }) {
  const color = bad === "critical" ? "text-red-700 dark:text-red-300 font-semibold" : bad === "warning" ? "text-amber-800 dark:text-amber-300 font-semibold" : "";
  return (
    <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">
      <div className="flex items-center justify-end gap-1">
        <Sparkline values={values} label={label} max={max} tone={bad === "critical" ? "red" : bad === "warning" ? "amber" : "slate"} />
        <span className={`min-w-9 ${color}`} data-metric={id}>{text}</span>
      </div>
    </td>
  );
}

function levelOf(c: FleetRow, code: string) {
  return c.health.problems.find((p) => p.code === code)?.level ?? null;
}

/**
 * Memoised: a pushed change to one cluster, or a scroll, re-renders only the rows whose data or position changed.
 * Its link is not prefetched: every scroll, sort or filter brings new rows on screen, and prefetching each would ask
 * the server for dozens of cluster pages nobody opened.
 */
const Row = memo(function Row({ c, rowIndex, account, groupStart }: { c: FleetRow; rowIndex: number; account: boolean; groupStart: boolean }) {
  const f = c.health.figures;
  const t = c.trends;
  const memcached = c.engine === "memcached";
  const serverless = c.kind === "serverless";
  return (
    <tr
      className={`${groupStart ? "border-t-2 border-t-slate-400 dark:border-t-slate-500" : "border-t border-slate-200 dark:border-slate-800"} align-top hover:bg-slate-50 dark:hover:bg-slate-900`}
      aria-rowindex={rowIndex}
      data-window-key={c.key}
      data-testid="cluster-row"
      data-cluster={c.id}
      data-account={c.account}
      data-region={c.region}
      data-health={c.health.level}
      data-group-start={groupStart ? "" : undefined}
    >
      <td className="px-2 py-2"><HealthBadge level={c.health.level} /></td>
      <th scope="row" className="break-words px-2 py-2 text-left font-normal">
        <Link href={c.href} prefetch={false} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-sky-300">
          {c.id}
        </Link>
        <ProblemList c={c} />
        {Object.keys(c.tags).length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1">
            {Object.entries(c.tags).slice(0, 4).map(([k, v]) => <Pill key={k}>{k}={v}</Pill>)}
          </div>
        )}
      </th>
      {account && (
        <td className="px-2 py-2" data-testid="cluster-account">
          <span className={groupStart ? "font-semibold" : undefined}>{c.account}</span>
        </td>
      )}
      <td className="px-2 py-2">{c.region}</td>
      <td className="px-2 py-2">
        {c.engine} {c.engineVersion ?? ""}
        <div className="text-xs text-slate-600 dark:text-slate-400">{serverless ? "serverless" : c.clusterMode === "enabled" ? "cluster mode" : memcached ? "memcached" : "single shard"}</div>
      </td>
      <td className="px-2 py-2">
        <span className="break-all font-mono text-xs">{c.nodeType ?? "—"}</span>
        <div className="text-xs tabular-nums text-slate-600 dark:text-slate-400">{serverless ? "" : c.shards ? `${c.shards} × ${Math.round(c.nodes / c.shards)} nodes` : `${c.nodes} nodes`}</div>
      </td>
      <td className="px-2 py-2 text-xs">{c.zones.length ? c.zones.map((z) => <div key={z.zone} className="whitespace-nowrap">{z.zone} ×{z.nodes}</div>) : "—"}</td>
      <td className="px-2 py-2">
        <StatusBadge status={c.status} />
        {c.activity.length > 0 && <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">{c.activity.join("; ")}</div>}
      </td>
      <Metric id="hit-rate" text={formatPercent(f?.hitRate)} values={t?.hitRate} label="Hit rate" bad={levelOf(c, "hit-rate")} max={100} />
      <Metric id="evictions" text={formatCount(f?.evictions)} values={t?.evictions} label="Evictions" bad={levelOf(c, "evictions")} />
      <Metric id="lag" text={memcached || serverless ? "n/a" : formatSeconds(f?.replicationLag)} values={t?.replicationLag} label="Replication lag" bad={levelOf(c, "replication-lag")} max={healthThresholds.replicationLagSeconds.warning} />
      <Metric id="cpu" text={formatPercent(f?.engineCpu)} values={t?.engineCpu} label="CPU" bad={levelOf(c, "engine-cpu")} max={100} />
      <Metric id="memory" text={memcached ? "n/a" : formatPercent(f?.memory)} values={t?.memory} label="Memory" bad={levelOf(c, "memory")} max={100} />
    </tr>
  );
});

/** Stands in for the rows scrolled out of view, so the scroll bar and the page's height stay true. */
function Spacer({ height, columns }: { height: number; columns: number }) {
  if (height <= 0) return null;
  return (
    <tr aria-hidden="true">
      <td colSpan={columns} style={{ height, padding: 0 }} />
    </tr>
  );
}

/**
 * Every row of the fleet in a table that renders only the rows near the viewport. Screen readers still learn the
 * table's full size (aria-rowcount) and each row's place in it (aria-rowindex). Fixed column widths, so columns do
 * not shift as different rows scroll into view.
 */
export function FleetTable({ rows, accounts, grouped }: { rows: FleetRow[]; accounts: boolean; grouped: boolean }) {
  const columns = baseColumns + (accounts ? 1 : 0);
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const { start, end, before, after, attach } = useWindowedList(keys, { estimate: 64 });
  return (
    <div className="overflow-x-auto rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full min-w-[85rem] table-fixed text-sm" aria-rowcount={rows.length + 1}>
        <caption className="sr-only">Clusters of every configured {accounts ? "account and " : ""}region; column headers sort the table.</caption>
        <colgroup>
          <col className="w-24" />
          <col />
          {accounts && <col className="w-28" />}
          <col className="w-26" />
          <col className="w-26" />
          <col className="w-32" />
          <col className="w-26" />
          <col className="w-28" />
          {Array.from({ length: 5 }, (_, i) => <col key={i} className="w-26" />)}
        </colgroup>
        <thead className="bg-slate-100 text-left text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr aria-rowindex={1}>
            <SortHeader label="Health" sortKey="health" />
            <SortHeader label="Name" sortKey="name" />
            {accounts && <SortHeader label="Account" sortKey="account" />}
            <SortHeader label="Region" sortKey="region" />
            <SortHeader label="Engine" sortKey="engine" />
            <SortHeader label="Nodes" sortKey="nodes" />
            <th scope="col" className="px-2 py-2 font-medium">AZs</th>
            <SortHeader label="Status" sortKey="status" />
            <SortHeader label="Hit rate" sortKey="hitRate" className="text-right" />
            <SortHeader label="Evictions" sortKey="evictions" className="text-right" />
            <SortHeader label="Worst lag" sortKey="lag" className="text-right" />
            <SortHeader label="CPU" sortKey="cpu" className="text-right" />
            <SortHeader label="Memory" sortKey="memory" className="text-right" />
          </tr>
        </thead>
        <tbody ref={attach}>
          <Spacer height={before} columns={columns} />
          {rows.slice(start, end).map((c, i) => (
            <Row key={c.key} c={c} rowIndex={start + i + 2} account={accounts} groupStart={grouped && (start + i === 0 || rows[start + i - 1].account !== c.account)} />
          ))}
          <Spacer height={after} columns={columns} />
        </tbody>
      </table>
    </div>
  );
}
