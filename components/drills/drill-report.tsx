import type { DrillReport } from "@/lib/drills/model";
import { reportView, type ReportView, type TopologyRow } from "@/lib/drills/report-view";
import { TableHead } from "./table-head";

const cell = "py-1 pr-3";

function ObjectivesTable({ view }: { view: ReportView }) {
  return (
    <table className="w-full text-left text-sm" data-testid="objectives">
      <TableHead columns={["Objective", "Measured", "Target", "Met"]} />
      <tbody>
        {view.objectives.map((check) => (
          <tr key={check.objective} className="border-t border-slate-200 dark:border-slate-800" data-objective={check.objective} data-met={String(check.met)}>
            <td className={cell}>{check.label}</td>
            <td className={`${cell} tabular-nums`}>{check.measured ?? "not measured"}</td>
            <td className={`${cell} tabular-nums`}>{check.target}</td>
            <td className={cell}>{check.met === null ? "—" : check.met ? "✓ yes" : "✗ no"}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TopologyTable({ title, rows, testId }: { title: string; rows: TopologyRow[] | null; testId: string }) {
  return (
    <div data-testid={testId}>
      <h4 className="text-sm font-medium">{title}</h4>
      {!rows ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">Not recorded.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <tbody>
            {rows.map((s) => (
              <tr key={s.shard} className="border-t border-slate-200 dark:border-slate-800" data-shard={s.shard} data-primary={s.primaryId ?? ""}>
                <td className={`${cell} font-mono`}>{s.shard}</td>
                <td className={cell}>
                  primary <strong>{s.primary}</strong>
                </td>
                <td className={cell}>replicas {s.replicas.join(", ") || "none"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function ProbeFigures({ report, view }: { report: DrillReport; view: ReportView }) {
  const p = report.probe;
  if (!p || !view.probe) return <p className="text-sm text-slate-600 dark:text-slate-400">The probe was off for this drill.</p>;
  const rows = view.probe.figures;
  return (
    <div data-testid="probe" data-keys-lost={p.keysLost} data-write-outage-ms={p.longestWriteOutageMs}>
      {p.problem && <p className="text-sm text-amber-800 dark:text-amber-300">{p.problem}</p>}
      <table className="text-left text-sm">
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label} className="border-t border-slate-200 dark:border-slate-800">
              <th className={`${cell} font-normal`}>{label}</th>
              <td className={`${cell} tabular-nums`}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.probe.lostKeys.length > 0 && <p className="text-sm">Lost keys (sample): {view.probe.lostKeys.join(", ")}</p>}
    </div>
  );
}

/** The report's measured figures against the objectives, the probe, topology before and after, and the events. */
export function DrillReportView({ report }: { report: DrillReport }) {
  const view = reportView(report);
  return (
    <section aria-labelledby="report-heading" className="space-y-4" data-testid="report">
      <h2 id="report-heading" className="text-lg font-semibold">
        Report
      </h2>
      <p className="text-sm" data-testid="verdict-summary">
        {view.summary}
      </p>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4">
        <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <dt className="text-xs text-slate-500 dark:text-slate-400">API call → new primary</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="report-new-primary" data-ms={report.newPrimaryMs ?? ""}>
            {view.newPrimary}
          </dd>
        </div>
        <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <dt className="text-xs text-slate-500 dark:text-slate-400">API call → all shards healthy</dt>
          <dd className="text-lg font-semibold tabular-nums" data-testid="report-healthy" data-ms={report.healthyMs ?? ""}>
            {view.healthy}
          </dd>
        </div>
        <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <dt className="text-xs text-slate-500 dark:text-slate-400">Started</dt>
          <dd>{view.startedAt}</dd>
        </div>
        <div className="rounded-md border border-slate-200 p-3 dark:border-slate-800">
          <dt className="text-xs text-slate-500 dark:text-slate-400">Finished</dt>
          <dd>{view.finishedAt}</dd>
        </div>
      </dl>
      <ObjectivesTable view={view} />
      <div className="space-y-1">
        <h3 className="font-medium">Probe</h3>
        <ProbeFigures report={report} view={view} />
      </div>
      <div className="grid gap-4 md:grid-cols-2">
        <TopologyTable title="Topology before" rows={view.topologyBefore} testId="topology-before" />
        <TopologyTable title="Topology after" rows={view.topologyAfter} testId="topology-after" />
      </div>
      <details>
        <summary className="cursor-pointer font-medium">ElastiCache events ({view.events.length})</summary>
        <ul className="mt-2 space-y-1 text-sm">
          {view.events.map((e, i) => (
            <li key={`${e.at}-${i}`}>
              <span className="font-mono text-xs">{e.at}</span> {e.source}: {e.message}
            </li>
          ))}
        </ul>
      </details>
    </section>
  );
}
