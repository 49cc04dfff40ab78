import Link from "next/link";
import type { ReactNode } from "react";
import { HealthBadge, Pill, StatusBadge } from "@/components/ui/badges";
import { formatCount, formatPercent, formatUsd } from "@/components/ui/format";
import { Sparkline } from "@/components/ui/sparkline";
import { severity, type ColumnFilter, type SortSpec } from "@/lib/data/fleet-query";
import type { FleetRow } from "@/lib/data/fleet-rows";
import { healthThresholds } from "@/lib/data/health";
import type { Values } from "@/lib/data/series";
import { formatSeconds } from "@/lib/duration";
import { LifecycleCell, PostureBadge } from "@/components/posture/posture-badges";
import { lifecycleRank } from "@/lib/posture/engine-lifecycle";
import { ProblemList } from "./problem-list";

// Every column of the fleet table, in order, each defined once: its header, its width, its cell, the value it sorts
// by (its id is the `sort` value in the URL) and, optionally, the menu that filters by it (its id is the URL param).
// The table, the sort and the filter menus all read this list; adding a column is adding an entry here.

export interface CellContext {
  /** The deployment has several accounts. */
  accounts: boolean;
  /** The row opens an account's group (grouped by account). */
  groupStart: boolean;
}

export interface FleetColumn {
  /** URL name: `?sort=<id>`, and `?<id>=<value>` for its filter. */
  id: string;
  header: string;
  /**
   * Width in rem (the table's layout is fixed, so columns never shift as rows scroll by). The one column without a
   * width (the name) takes what the others leave, and at least `flexibleColumnLeastRem`.
   */
  width?: number;
  align?: "right";
  /** Classes of the cell beyond the padding every cell has. */
  cellClass?: string;
  /** The cell names the row for screen readers (a `th scope="row"`); one column does. */
  rowHeader?: true;
  /** Only shown when this holds (the account column needs several accounts). */
  when?: (ctx: { accounts: boolean }) => boolean;
  cell(row: FleetRow, ctx: CellContext): ReactNode;
  /** Sortable when given. Runs once per row per sort (not per comparison); null sorts last either way. */
  sort?: SortSpec;
  /** A menu of the values the fleet has; picking one keeps the rows whose value equals it. */
  filter?: { label: string; value: (row: FleetRow) => string | null };
}

function levelOf(c: FleetRow, code: string) {
  return c.health.problems.find((p) => p.code === code)?.level ?? null;
}

function Metric({ id, text, values, label, bad, max }: { id: string; text: string; values: Values | undefined; label: string; bad: "warning" | "critical" | null; max?: number }) {
  const color = bad === "critical" ? "text-red-700 dark:text-red-300 font-semibold" : bad === "warning" ? "text-amber-800 dark:text-amber-300 font-semibold" : "";
  return (
    <div className="flex items-center justify-end gap-1">
      <Sparkline values={values} label={label} max={max} tone={bad === "critical" ? "red" : bad === "warning" ? "amber" : "slate"} />
      <span className={`min-w-9 ${color}`} data-metric={id}>{text}</span>
    </div>
  );
}

/** What "memory" is for the row's kind of cache (lib/data/capacity.ts): maxmemory, Memcached's item memory, a serverless cache's data-storage maximum. */
const memoryOf = (c: FleetRow) => (c.kind === "serverless" ? "Data stored reaches its maximum" : c.engine === "memcached" ? "Item memory reaches limit_maxbytes" : "Memory reaches maxmemory");

/** The date memory or connections reach their limit at the 14-day trend (lib/capacity/forecast.ts), else "—". */
function FillsUpCell({ c }: { c: FleetRow }) {
  if (!c.fillsUp) {
    const why = c.fillsUp === null ? "Not within 90 days at the 14-day trend" : "No capacity forecast for this cache";
    return <span title={why} className="text-slate-500" data-metric="fills-up">—</span>;
  }
  return (
    <span title={`${c.fillsUp.figure === "memory" ? memoryOf(c) : "Connections reach 65,000 a node"} at the 14-day trend`} className="font-semibold text-amber-800 tabular-nums dark:text-amber-300" data-metric="fills-up">
      {new Date(c.fillsUp.at).toISOString().slice(0, 10)}
    </span>
  );
}

const ascending = (value: SortSpec["value"]): SortSpec => ({ value, firstDir: "asc" });
const noReplication = (c: FleetRow) => c.engine === "memcached" || c.kind === "serverless";

/** The name column's least width: without it a table of many fixed columns would squeeze the names to nothing. */
const flexibleColumnLeastRem = 16;

/** The table's least width: every fixed column plus the flexible one's least (wider screens widen the name column). */
export const tableLeastRem = (columns: readonly FleetColumn[]) => columns.reduce((sum, c) => sum + (c.width ?? flexibleColumnLeastRem), 0);

export const fleetColumns: readonly FleetColumn[] = [
  {
    id: "health",
    header: "Health",
    width: 6,
    cell: (c) => <HealthBadge level={c.health.level} />,
    // Worst first, and among equals the one with more problems.
    sort: { value: (c) => severity[c.health.level] * 100 + c.health.problems.length, firstDir: "desc" },
  },
  {
    id: "name",
    header: "Name",
    rowHeader: true,
    cellClass: "break-words text-left font-normal",
    // Links are not prefetched: every scroll, sort or filter brings new rows on screen, and prefetching each would
    // ask the server for dozens of cluster pages nobody opened.
    cell: (c) => (
      <>
        <Link href={c.href} prefetch={false} className="font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600 dark:text-sky-300">
          {c.id}
        </Link>
        <ProblemList c={c} />
        {Object.keys(c.tags).length > 0 && (
          <div className="mt-1 flex flex-wrap gap-1">
            {Object.entries(c.tags).slice(0, 4).map(([k, v]) => <Pill key={k}>{k}={v}</Pill>)}
          </div>
        )}
      </>
    ),
    sort: ascending((c) => c.id),
  },
  {
    id: "account",
    header: "Account",
    width: 7,
    when: ({ accounts }) => accounts,
    cell: (c, { groupStart }) => <span data-testid="cluster-account" className={groupStart ? "font-semibold" : undefined}>{c.account}</span>,
    sort: ascending((c) => c.account),
  },
  {
    id: "region",
    header: "Region",
    width: 6.5,
    cell: (c) => c.region,
    sort: ascending((c) => c.region),
    filter: { label: "Region", value: (c) => c.region },
  },
  {
    id: "engine",
    header: "Engine",
    width: 6.5,
    cell: (c) => (
      <>
        {c.engine} {c.engineVersion ?? ""}
        <div className="text-xs text-slate-600 dark:text-slate-400">{c.kind === "serverless" ? "serverless" : c.clusterMode === "enabled" ? "cluster mode" : c.engine === "memcached" ? "memcached" : "single shard"}</div>
      </>
    ),
    sort: ascending((c) => `${c.engine} ${c.engineVersion ?? ""}`),
    filter: { label: "Engine", value: (c) => c.engine },
  },
  {
    id: "nodes",
    header: "Nodes",
    width: 8,
    cell: (c) => (
      <>
        <span className="break-all font-mono text-xs">{c.nodeType ?? "—"}</span>
        <div className="text-xs tabular-nums text-slate-600 dark:text-slate-400">{c.kind === "serverless" ? "" : c.shards ? `${c.shards} × ${Math.round(c.nodes / c.shards)} nodes` : `${c.nodes} nodes`}</div>
      </>
    ),
    sort: ascending((c) => c.nodes),
  },
  {
    id: "zones",
    header: "AZs",
    width: 6.5,
    cellClass: "text-xs",
    cell: (c) => (c.zones.length ? c.zones.map((z) => <div key={z.zone} className="whitespace-nowrap">{z.zone} ×{z.nodes}</div>) : "—"),
  },
  {
    id: "lifecycle",
    header: "Engine support",
    width: 10,
    cell: (c) => <LifecycleCell lifecycle={c.posture.lifecycle} />,
    // Most urgent first: past or in Extended Support, then the fewest days of standard support left.
    sort: { value: (c) => lifecycleRank[c.posture.lifecycle.state] * 100_000 - (c.posture.lifecycle.daysLeft ?? 0), firstDir: "desc" },
  },
  {
    id: "posture",
    header: "Posture",
    width: 7,
    cell: (c) => <PostureBadge posture={c.posture} />,
    // A high-severity finding outweighs any number of medium ones.
    sort: { value: (c) => c.posture.findings.reduce((sum, f) => sum + (f.severity === "high" ? 100 : 1), 0), firstDir: "desc" },
  },
  {
    id: "status",
    header: "Status",
    width: 7,
    cell: (c) => (
      <>
        <StatusBadge status={c.status} />
        {c.activity.length > 0 && <div className="mt-1 text-xs text-slate-600 dark:text-slate-400">{c.activity.join("; ")}</div>}
      </>
    ),
    sort: ascending((c) => c.status),
  },
  {
    id: "hitRate",
    header: "Hit rate",
    width: 6.5,
    align: "right",
    cell: (c) => <Metric id="hit-rate" text={formatPercent(c.health.figures?.hitRate)} values={c.trends?.hitRate} label="Hit rate" bad={levelOf(c, "hit-rate")} max={100} />,
    sort: ascending((c) => c.health.figures?.hitRate ?? null),
  },
  {
    id: "evictions",
    header: "Evictions",
    width: 6.5,
    align: "right",
    cell: (c) => <Metric id="evictions" text={formatCount(c.health.figures?.evictions)} values={c.trends?.evictions} label="Evictions" bad={levelOf(c, "evictions")} />,
    sort: ascending((c) => c.health.figures?.evictions ?? null),
  },
  {
    id: "lag",
    header: "Worst lag",
    width: 6.5,
    align: "right",
    cell: (c) => (
      <Metric
        id="lag"
        text={noReplication(c) ? "n/a" : formatSeconds(c.health.figures?.replicationLag)}
        values={c.trends?.replicationLag}
        label="Replication lag"
        bad={levelOf(c, "replication-lag")}
        max={healthThresholds.replicationLagSeconds.warning}
      />
    ),
    sort: ascending((c) => c.health.figures?.replicationLag ?? null),
  },
  {
    id: "cpu",
    header: "CPU",
    width: 6.5,
    align: "right",
    cell: (c) => <Metric id="cpu" text={formatPercent(c.health.figures?.engineCpu)} values={c.trends?.engineCpu} label="CPU" bad={levelOf(c, "engine-cpu")} max={100} />,
    sort: ascending((c) => c.health.figures?.engineCpu ?? null),
  },
  {
    id: "memory",
    header: "Memory",
    width: 6.5,
    align: "right",
    cell: (c) => <Metric id="memory" text={c.engine === "memcached" ? "n/a" : formatPercent(c.health.figures?.memory)} values={c.trends?.memory} label="Memory" bad={levelOf(c, "memory")} max={100} />,
    sort: ascending((c) => c.health.figures?.memory ?? null),
  },
  {
    id: "cost",
    header: "Monthly cost",
    width: 7,
    align: "right",
    cell: (c) =>
      c.cost?.monthlyUsd != null ? (
        <span className="tabular-nums" data-metric="monthly-cost" title={`price of ${c.cost.priceDate} (${c.cost.origin === "price-list-api" ? "AWS Price List API" : "bundled snapshot"})`}>
          {formatUsd(c.cost.monthlyUsd)}
        </span>
      ) : (
        <span className="text-xs text-slate-600 dark:text-slate-400" data-metric="monthly-cost" title={c.cost?.missing ?? "not costed yet"}>
          no price
        </span>
      ),
    // Dearest first on the first click: the question is which caches cost most.
    sort: { value: (c) => c.cost?.monthlyUsd ?? null, firstDir: "desc" },
  },
  {
    id: "fillsUp",
    header: "Fills up",
    width: 7,
    align: "right",
    cell: (c) => <FillsUpCell c={c} />,
    sort: ascending((c) => c.fillsUp?.at ?? null),
  },
  {
    id: "alarms",
    header: "Alarms",
    width: 5,
    align: "right",
    // Recommended CloudWatch alarms that exist (docs/posture.md#recommended-alarms); amber while some are missing.
    cell: (c) =>
      c.alarms ? (
        <span data-metric="alarms" className={c.alarms.present < c.alarms.recommended ? "font-semibold text-amber-800 dark:text-amber-300" : ""} title="Recommended CloudWatch alarms that exist">
          {c.alarms.present}/{c.alarms.recommended}
        </span>
      ) : (
        "—"
      ),
    // Fewest present (as a share) first.
    sort: ascending((c) => (c.alarms && c.alarms.recommended > 0 ? c.alarms.present / c.alarms.recommended : null)),
    filter: { label: "Alarms", value: alarmsCoverage },
  },
];

/** The fleet's "missing recommended alarms" filter value, or null before the region's alarms were read. */
export function alarmsCoverage(c: FleetRow): "missing recommended" | "all recommended" | null {
  if (!c.alarms) return null;
  return c.alarms.present < c.alarms.recommended ? "missing recommended" : "all recommended";
}

/** What `sortFleet` sorts by, from the columns. */
export const fleetSorts: Readonly<Record<string, SortSpec>> = Object.fromEntries(fleetColumns.flatMap((c) => (c.sort ? [[c.id, c.sort]] : [])));

/** The columns with a filter menu. */
export const filterColumns = fleetColumns.filter((c): c is FleetColumn & { filter: NonNullable<FleetColumn["filter"]> } => c.filter !== undefined);

/** The column filters the URL asks for (`?region=eu-west-1`), ready for `filterFleet`. */
export function columnFiltersOf(params: Record<string, string | undefined>): ColumnFilter[] {
  return filterColumns.flatMap((c) => (params[c.id] ? [{ value: c.filter.value, wanted: params[c.id]! }] : []));
}
