import Link from "next/link";
import type { NodeView } from "@/lib/data/model";
import { StatusBadge } from "@/components/ui/badges";
import { formatInteger, formatPercent } from "@/components/ui/format";
import { formatSeconds } from "@/lib/duration";
import { withParams } from "@/components/ui/url";

function NodeCard({ node, href, focused }: { node: NodeView; href: string; focused: boolean }) {
  const primary = node.role === "primary";
  return (
    <li
      data-testid="node-card"
      data-node={node.name}
      data-role={node.role}
      data-shard={node.shardId ?? undefined}
      // Laid out only near the screen: a 90-node cluster's cards run thousands of pixels down the page.
      className={`rounded-md border bg-white p-3 text-sm [contain-intrinsic-size:auto_9rem] [content-visibility:auto] dark:bg-slate-900 ${primary ? "border-2 border-sky-700 shadow-sm dark:border-sky-400" : "border-slate-300 dark:border-slate-700"} ${focused ? "ring-2 ring-amber-500" : ""}`}
    >
      <div className="flex items-start justify-between gap-2">
        <Link href={href} className="font-mono text-xs font-medium underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600" aria-current={focused ? "true" : undefined} title="Show this node's charts">
          {node.name}
        </Link>
        {node.role === "primary" ? (
          <span className="rounded bg-sky-700 px-1.5 py-0.5 text-xs font-bold uppercase tracking-wide text-white">★ Primary</span>
        ) : node.role === "replica" ? (
          <span className="rounded border border-slate-400 px-1.5 py-0.5 text-xs uppercase tracking-wide text-slate-700 dark:text-slate-300">Replica</span>
        ) : node.role === "unknown" ? (
          <span className="text-xs text-slate-500">role unknown</span>
        ) : null}
      </div>
      {node.shardId && <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">Shard {node.shardId}</div>}
      <div className="mt-1"><StatusBadge status={node.status} /></div>
      <dl className="mt-2 grid grid-cols-2 gap-x-2 gap-y-0.5 text-xs">
        {node.role === "replica" && (<><dt className="text-slate-600 dark:text-slate-400">Lag</dt><dd className="text-right tabular-nums">{formatSeconds(node.lag)}</dd></>)}
        <dt className="text-slate-600 dark:text-slate-400">Memory</dt><dd className="text-right tabular-nums">{formatPercent(node.memory)}</dd>
        <dt className="text-slate-600 dark:text-slate-400">CPU</dt><dd className="text-right tabular-nums">{formatPercent(node.cpu)}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Keys</dt><dd className="text-right tabular-nums">{formatInteger(node.items)}</dd>
      </dl>
      {node.endpoint && <div className="mt-1 truncate font-mono text-[11px] text-slate-500 dark:text-slate-400" title={node.endpoint}>{node.endpoint}</div>}
    </li>
  );
}

/** One column per Availability Zone, so an AZ outage's blast radius is visible at a glance. */
export function Topology({ nodes, zones, path, params }: { nodes: NodeView[]; zones: string[]; path: string; params: Record<string, string> }) {
  if (nodes.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No nodes reported yet.</p>;
  const ordered = (list: NodeView[]) => [...list].sort((a, b) => (a.shardId ?? "").localeCompare(b.shardId ?? "") || (a.role === "primary" ? -1 : b.role === "primary" ? 1 : 0) || a.name.localeCompare(b.name));
  return (
    <div className="grid gap-3" style={{ gridTemplateColumns: `repeat(auto-fit, minmax(14rem, 1fr))` }}>
      {zones.map((zone) => (
        <section key={zone} aria-label={`Availability Zone ${zone}`} data-testid="az-column" data-zone={zone} className="rounded-md bg-slate-100 p-2 dark:bg-slate-900/60">
          <h3 className="mb-2 text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400">{zone}</h3>
          <ul className="space-y-2">
            {ordered(nodes.filter((n) => (n.zone ?? "unknown") === zone)).map((node) => (
              <NodeCard key={node.name} node={node} focused={params.node === node.name} href={withParams(path, params, { node: params.node === node.name ? undefined : node.name })} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
