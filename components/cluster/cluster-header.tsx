import Link from "next/link";
import type { ClusterDetail } from "@/lib/data/model";
import { HealthBadge, Pill, StatusBadge } from "@/components/ui/badges";
import { CopyButton } from "@/components/ui/copy-button";

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs text-slate-600 dark:text-slate-400">{label}</dt>
      <dd className="text-sm font-medium">{children}</dd>
    </div>
  );
}

const kindLabel = { "replication-group": "Replication group", "cache-cluster": "Cache cluster", serverless: "Serverless cache" } as const;

/** `operationsHref` is set for people whose role may change this group (test failover, scaling). */
export function ClusterHeader({ detail, operationsHref }: { detail: ClusterDetail; operationsHref?: string }) {
  const s = detail.summary;
  return (
    <header className="space-y-3">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-600 dark:text-slate-400">
        <Link href="/" className="underline hover:no-underline">Fleet</Link> / {s.region} / {s.id}
      </nav>
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-xl font-semibold">{s.id}</h1>
        <StatusBadge status={s.status} />
        <HealthBadge level={s.health.level} />
        <span className="text-sm text-slate-600 dark:text-slate-400">{kindLabel[s.kind]}</span>
        {s.kind === "replication-group" && (
          <Link href={`/drills?group=${s.region}/${encodeURIComponent(s.id)}`} className="text-sm text-sky-700 hover:underline dark:text-sky-400" data-testid="drills-link">
            Failover drills
          </Link>
        )}
        {operationsHref && (
          <Link href={operationsHref} className="ml-auto rounded-md border border-slate-300 px-3 py-1 text-sm font-medium hover:bg-slate-100 dark:border-slate-600 dark:hover:bg-slate-800" data-testid="operations-link">
            Operations…
          </Link>
        )}
      </div>
      {detail.description && <p className="text-sm text-slate-700 dark:text-slate-300">{detail.description}</p>}
      {s.activity.length > 0 && (
        <p className="rounded border border-sky-300 bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100" data-testid="activity">
          In progress: {s.activity.join("; ")}
          {s.reshardingPercent !== null && (
            <progress className="ml-2 h-2 w-40 align-middle accent-sky-700" max={100} value={s.reshardingPercent} aria-label="Slots migrated">
              {Math.round(s.reshardingPercent)}%
            </progress>
          )}
        </p>
      )}
      {s.health.problems.length > 0 && (
        <ul className="flex flex-wrap gap-2 text-sm" aria-label="Problems">
          {s.health.problems.map((p) => (
            <li key={p.code + p.summary} className={`rounded px-2 py-1 ${p.level === "critical" ? "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200" : "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200"}`}>
              {p.level === "critical" ? "■" : "▲"} {p.summary}
            </li>
          ))}
        </ul>
      )}
      <dl className="grid grid-cols-2 gap-3 rounded-md border border-slate-200 bg-white p-3 sm:grid-cols-3 lg:grid-cols-6 dark:border-slate-800 dark:bg-slate-900">
        <Fact label="Engine">{s.engine} {s.engineVersion ?? ""}</Fact>
        {s.nodeType && <Fact label="Node type"><span className="font-mono">{s.nodeType}</span></Fact>}
        {s.kind !== "serverless" && s.engine !== "memcached" && <Fact label="Cluster mode">{s.clusterMode === "enabled" ? "Enabled" : "Disabled"}</Fact>}
        {detail.multiAz !== null && <Fact label="Multi-AZ">{detail.multiAz ? "Enabled" : "Disabled"}</Fact>}
        {detail.automaticFailover && <Fact label="Automatic failover">{detail.automaticFailover}</Fact>}
        {s.kind !== "serverless" && <Fact label={s.shards && s.shards > 1 ? "Shards × nodes" : "Nodes"}>{s.shards && s.shards > 1 ? `${s.shards} × ${Math.round(s.nodes / s.shards)}` : s.nodes}</Fact>}
        {detail.facts.map((f) => <Fact key={f.label} label={f.label}>{f.value}</Fact>)}
      </dl>
      {detail.endpoints.length > 0 && (
        <ul className="space-y-1 text-sm" aria-label="Endpoints">
          {detail.endpoints.map((e) => (
            <li key={e.label + e.address} className="flex flex-wrap items-center gap-2">
              <span className="text-slate-600 dark:text-slate-400">{e.label}</span>
              <code className="rounded bg-slate-100 px-1.5 py-0.5 dark:bg-slate-800">{e.address}</code>
              <CopyButton text={e.address} label={e.label} />
            </li>
          ))}
        </ul>
      )}
      {Object.keys(s.tags).length > 0 && (
        <div className="flex flex-wrap gap-1" aria-label="Tags">
          {Object.entries(s.tags).map(([k, v]) => <Pill key={k}>{k}={v}</Pill>)}
        </div>
      )}
    </header>
  );
}
