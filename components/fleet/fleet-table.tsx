"use client";

import { memo, useMemo } from "react";
import { useWindowedList } from "@/components/ui/use-windowed-list";
import type { FleetRow } from "@/lib/data/fleet-rows";
import { fleetColumns, tableLeastRem, type FleetColumn } from "./fleet-columns";
import { ParamsLink, useFleetParams, type ParamChanges } from "./use-fleet-params";

const headerClass = (column: FleetColumn) => `px-2 py-2 font-medium ${column.align === "right" ? "text-right" : ""}`;

/**
 * Memoised on plain props: a sort re-renders the headers whose state changed (the column sorted before and the one
 * sorted now), not every sortable header.
 */
const SortHeader = memo(function SortHeader({ column, sorted, nextDir, href, change }: { column: FleetColumn; sorted: "ascending" | "descending" | undefined; nextDir: "asc" | "desc"; href: string; change: (changes: ParamChanges) => void }) {
  return (
    <th scope="col" aria-sort={sorted} className={headerClass(column)}>
      <ParamsLink href={href} onChange={() => change({ sort: column.id, dir: nextDir })} className="inline-flex items-center gap-1 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600">
        {column.header}
        <span aria-hidden="true" className="text-slate-400">{sorted === "ascending" ? "▲" : sorted === "descending" ? "▼" : "↕"}</span>
      </ParamsLink>
    </th>
  );
});

function Headers({ columns }: { columns: readonly FleetColumn[] }) {
  const { params, href, change } = useFleetParams();
  return columns.map((column) => {
    if (!column.sort) return <th key={column.id} scope="col" className={headerClass(column)}>{column.header}</th>;
    const firstDir = column.sort.firstDir;
    const active = (params.sort ?? "health") === column.id;
    const dir = params.dir ?? firstDir;
    const nextDir = active ? (dir === "asc" ? "desc" : "asc") : firstDir;
    const sorted = active ? (dir === "asc" ? "ascending" : "descending") : undefined;
    return <SortHeader key={column.id} column={column} sorted={sorted} nextDir={nextDir} href={href({ sort: column.id, dir: nextDir })} change={change} />;
  });
}

/** Each column's cell classes, built once rather than for every cell of every render. */
const cellClasses = new Map(fleetColumns.map((column) => [column.id, `px-2 py-2 ${column.align === "right" ? "whitespace-nowrap text-right tabular-nums" : ""} ${column.cellClass ?? ""}`]));

/** Memoised: a pushed change to one cluster, or a scroll, re-renders only the rows whose data or position changed. */
const Row = memo(function Row({ c, rowIndex, columns, accounts, groupStart }: { c: FleetRow; rowIndex: number; columns: readonly FleetColumn[]; accounts: boolean; groupStart: boolean }) {
  const context = { accounts, groupStart };
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
      {columns.map((column) =>
        column.rowHeader ? (
          <th key={column.id} scope="row" className={cellClasses.get(column.id)}>{column.cell(c, context)}</th>
        ) : (
          <td key={column.id} className={cellClasses.get(column.id)}>{column.cell(c, context)}</td>
        ),
      )}
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
  const columns = useMemo(() => fleetColumns.filter((c) => !c.when || c.when({ accounts })), [accounts]);
  const keys = useMemo(() => rows.map((r) => r.key), [rows]);
  const { start, end, before, after, attach } = useWindowedList(keys, { estimate: 64 });
  return (
    // Positioned, so the cells' absolutely positioned screen-reader texts scroll with the table instead of widening the
    // page (a phone's page scrolled sideways while the table was on screen).
    <div className="relative overflow-x-auto rounded-md border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <table className="w-full table-fixed text-sm" style={{ minWidth: `${tableLeastRem(columns)}rem` }} aria-rowcount={rows.length + 1}>
        <caption className="sr-only">Clusters of every configured {accounts ? "account and " : ""}region; column headers sort the table.</caption>
        <colgroup>
          {columns.map((c) => <col key={c.id} style={c.width ? { width: `${c.width}rem` } : undefined} />)}
        </colgroup>
        <thead className="bg-slate-100 text-left text-xs text-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr aria-rowindex={1}>
            <Headers columns={columns} />
          </tr>
        </thead>
        <tbody ref={attach}>
          <Spacer height={before} columns={columns.length} />
          {rows.slice(start, end).map((c, i) => (
            // Keyed by place on screen, not by cluster: a sort or filter then rewrites the text and attributes of the
            // rows already there instead of removing and creating every row's elements (most of its cost).
            <Row key={start + i} c={c} rowIndex={start + i + 2} columns={columns} accounts={accounts} groupStart={grouped && (start + i === 0 || rows[start + i - 1].account !== c.account)} />
          ))}
          <Spacer height={after} columns={columns.length} />
        </tbody>
      </table>
    </div>
  );
}
