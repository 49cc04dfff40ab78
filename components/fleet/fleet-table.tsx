import Link from "next/link";
import { healthThresholds } from "@/lib/data/health";
import type { SortKey } from "@/lib/data/fleet-query";
import type { ClusterSummary } from "@/lib/data/model";
import type { Values } from "@/lib/data/series";
import { HealthBadge, Pill, StatusBadge } from "@/components/ui/badges";
import { formatCount, formatPercent, formatSeconds } from "@/components/ui/format";
import { Sparkline } from "@/components/ui/sparkline";
import { withParams } from "@/components/ui/url";

function SortHeader({ label, sortKey, params, className = "" }: { label: string; sortKey: SortKey; params: Record<string, string>; className?: string }) {
  const active = (params.sort ?? "health") === sortKey;
  const defaultDir = sortKey === "health" ? "desc" : "asc";
  const dir = params.dir ?? defaultDir;
  const nextDir = active ? (dir === "asc" ? "desc" : "asc") : defaultDir;
  return (
    <th scope="col" aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined} className={`px-2 py-2 font-medium ${className}`}>
      <Link href={withParams("/", params, { sort: sortKey, dir: nextDir })} className="inline-flex items-center gap-1 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
        {label}
        <span aria-hidden="true" className="text-slate-400">{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </Link>
    </th>
  );
}

function Metric({ id, text, values, label, bad, max }: { id: string; text: string; values: Values | undefined; label: string; bad: "warning" | "critical" | null; max?: number }) {
  const color = bad === "critical" ? "text-red-700 dark:text-red-300 font-semibold" : bad === "warning" ? "text-amber-800 dark:text-amber-300 font-semibold" : "";
  return (
    <td className="whitespace-nowrap px-2 py-2 text-right tabular-nums">
      <div className="flex items-center justify-end gap-2">
        <Sparkline values={values} label={label} max={max} tone={bad === "critical" ? "red" : bad === "warning" ? "amber" : "slate"} />
        <span className={`min-w-12 ${color}`} data-metric={id}>{text}</span>
      </div>
    </td>
  );
}

function levelOf(c: ClusterSummary, code: string) {
  return c.health.problems.find((p) => p.code === code)?.level ?? null;
}

function Row({ c }: { c: ClusterSummary }) {
  const f = c.health.figures;
  const t = c.health.trends;
  const memcached = c.engine === "memcached";
  const serverless = c.kind === "serverless";
  return (
    <tr className="border-t border-slate-200 align-top hover:bg-slate-50 dark:border-slate-800 dark:hover:bg-slate-900" data-testid="cluster-row" data-cluster={c.id} data-region={c.region} data-health={c.health.level}>
      <td className="px-2 py-2"><HealthBadge level={c.health.level} /></td>
      <th scope="row" className="px-2 py-2 text-left font-normal">
        <Link href={c.href} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-sky-300">
          {c.id}
        </Link>
        <ProblemList c={c} />
        {Object.keys(c.tags).length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1">
            {Object.entries(c.tags).slice(0, 4).map(([k, v]) => <Pill key={k}>{k}={v}</Pill>)}
          </div>
        )}
      </th>
      <td className="whitespace-nowrap px-2 py-2">{c.region}</td>
      <td className="whitespace-nowrap px-2 py-2">
        {c.engine} {c.engineVersion ?? ""}
        <div className="text-xs text-slate-600 dark:text-slate-400">{serverless ? "serverless" : c.clusterMode === "enabled" ? "cluster mode" : memcached ? "memcached" : "single shard"}</div>
      </td>
      <td className="whitespace-nowrap px-2 py-2">
        <span className="font-mono text-xs">{c.nodeType ?? "—"}</span>
        <div className="text-xs tabular-nums text-slate-600 dark:text-slate-400">{serverless ? "" : c.shards ? `${c.shards} × ${Math.round(c.nodes / c.shards)} nodes` : `${c.nodes} nodes`}</div>
      </td>
      <td className="px-2 py-2 text-xs">{c.zones.length ? c.zones.map((z) => <div key={z.zone} className="whitespace-nowrap">{z.zone} ×{z.nodes}</div>) : "—"}</td>
      <td className="px-2 py-2">
        <StatusBadge status={c.status} />
        {c.activity.length > 0 && <div className="mt-1 max-w-48 text-xs text-slate-600 dark:text-slate-400">{c.activity.join("; ")}</div>}
      </td>
      <Metric id="hit-rate" text={formatPercent(f?.hitRate)} values={t?.hitRate} label="Hit rate" bad={levelOf(c, "hit-rate")} max={100} />
      <Metric id="evictions" text={formatCount(f?.evictions)} values={t?.evictions} label="Evictions" bad={levelOf(c, "evictions")} />
      <Metric id="lag" text={memcached || serverless ? "n/a" : formatSeconds(f?.replicationLag)} values={t?.replicationLag} label="Replication lag" bad={levelOf(c, "replication-lag")} max={healthThresholds.replicationLagSeconds.warning} />
      <Metric id="cpu" text={formatPercent(f?.engineCpu)} values={t?.engineCpu} label="CPU" bad={levelOf(c, "engine-cpu")} max={100} />
      <Metric id="memory" text={memcached ? "n/a" : formatPercent(f?.memory)} values={t?.memory} label="Memory" bad={levelOf(c, "memory")} max={100} />
    </tr>
  );
}

function ProblemList({ c }: { c: ClusterSummary }) {
  if (c.health.problems.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs" aria-label={`Problems of ${c.id}`}>
      {c.health.problems.map((p) => (
        <li key={p.code + p.summary} className={p.level === "critical" ? "text-red-700 dark:text-red-300" : "text-amber-800 dark:text-amber-300"}>
          {p.level === "critical" ? "■" : "▲"} {p.summary}
        </li>
      ))}
    </ul>
  );
}

/** On a phone each cluster is a card: the figures that matter without scrolling sideways. */
function Card({ c }: { c: ClusterSummary }) {
  const f = c.health.figures;
  const figures: [string, string][] = [
    ["Hit rate", formatPercent(f?.hitRate)],
    ["Evictions", formatCount(f?.evictions)],
    ["Lag", formatSeconds(f?.replicationLag)],
    ["CPU", formatPercent(f?.engineCpu)],
    ["Memory", formatPercent(f?.memory)],
  ];
  return (
    <li className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900">
      <div className="flex items-center justify-between gap-2">
        <Link href={c.href} className="font-medium text-sky-800 underline-offset-2 hover:underline dark:text-sky-300">{c.id}</Link>
        <HealthBadge level={c.health.level} />
      </div>
      <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">
        {c.region} · {c.engine} {c.engineVersion ?? ""} · {c.nodeType ?? "serverless"} · <StatusBadge status={c.status} />
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
    </li>
  );
}

export function FleetTable({ clusters, params }: { clusters: ClusterSummary[]; params: Record<string, string> }) {
  return (
    <>
    <ul className="space-y-2 md:hidden" aria-label="Clusters">
      {clusters.map((c) => <Card key={`${c.region}/${c.kind}/${c.id}`} c={c} />)}
    </ul>
    <div className="hidden overflow-x-auto rounded-md border border-slate-200 bg-white md:block dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full text-sm">
        <caption className="sr-only">Clusters of every configured region; column headers sort the table.</caption>
        <thead className="bg-slate-100 text-left text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            <SortHeader label="Health" sortKey="health" params={params} />
            <SortHeader label="Name" sortKey="name" params={params} />
            <SortHeader label="Region" sortKey="region" params={params} />
            <SortHeader label="Engine" sortKey="engine" params={params} />
            <SortHeader label="Nodes" sortKey="nodes" params={params} />
            <th scope="col" className="px-2 py-2 font-medium">AZs</th>
            <SortHeader label="Status" sortKey="status" params={params} />
            <SortHeader label="Hit rate" sortKey="hitRate" params={params} className="text-right" />
            <SortHeader label="Evictions" sortKey="evictions" params={params} className="text-right" />
            <SortHeader label="Worst lag" sortKey="lag" params={params} className="text-right" />
            <SortHeader label="CPU" sortKey="cpu" params={params} className="text-right" />
            <SortHeader label="Memory" sortKey="memory" params={params} className="text-right" />
          </tr>
        </thead>
        <tbody>
          {clusters.map((c) => <Row key={`${c.region}/${c.kind}/${c.id}`} c={c} />)}
        </tbody>
      </table>
    </div>
    </>
  );
}
