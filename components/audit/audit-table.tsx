import type { AuditRecord, AuditStatus } from "@/lib/audit/audit-log";
import { placeLabel } from "@/lib/place";

const statusStyle: Record<AuditStatus, string> = {
  succeeded: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  failed: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  "in-progress": "bg-sky-100 text-sky-900 dark:bg-sky-950 dark:text-sky-200",
  unfinished: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
};

const statusTitle: Record<AuditStatus, string> = {
  succeeded: "AWS accepted the request",
  failed: "AWS refused the request, or it could not be sent",
  "in-progress": "The request is being sent",
  unfinished: "CacheDeck stopped between recording the request and its answer: check the cluster's events",
};

const time = (iso: string) => iso.replace("T", " ").slice(0, 19);

export function AuditTable({ records }: { records: AuditRecord[] }) {
  if (records.length === 0) {
    return <p className="py-8 text-center text-slate-600 dark:text-slate-300">No operations match these filters.</p>;
  }
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[56rem] text-left text-sm" data-testid="audit-table">
        <thead className="border-b border-slate-300 text-slate-600 dark:border-slate-700 dark:text-slate-300">
          <tr>
            <th className="py-2 pr-3 font-medium">#</th>
            <th className="py-2 pr-3 font-medium">Requested (UTC)</th>
            <th className="py-2 pr-3 font-medium">Who</th>
            <th className="py-2 pr-3 font-medium">Action</th>
            <th className="py-2 pr-3 font-medium">Target</th>
            <th className="py-2 pr-3 font-medium">Parameters</th>
            <th className="py-2 pr-3 font-medium">Outcome</th>
            <th className="py-2 pr-3 font-medium">AWS request id</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr key={r.id} className="border-b border-slate-200 align-top dark:border-slate-800" data-testid="audit-row">
              <td className="py-2 pr-3 tabular-nums">{r.id}</td>
              <td className="py-2 pr-3 tabular-nums">
                {time(r.requestedAt)}
                {r.finishedAt && <span className="block text-xs text-slate-500">done {time(r.finishedAt)}</span>}
              </td>
              <td className="py-2 pr-3">
                {r.actor.name}
                <span className="block text-xs text-slate-500">{r.role}</span>
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{r.action}</td>
              <td className="py-2 pr-3">
                {r.target}
                <span className="block text-xs text-slate-500">{placeLabel(r)}</span>
              </td>
              <td className="py-2 pr-3 font-mono text-xs break-all">{JSON.stringify(r.parameters)}</td>
              <td className="py-2 pr-3">
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${statusStyle[r.status]}`} title={statusTitle[r.status]} data-testid="audit-status">
                  {r.status}
                </span>
                {r.error && <span className="mt-1 block text-xs text-red-800 dark:text-red-300">{r.error}</span>}
              </td>
              <td className="py-2 pr-3 font-mono text-xs">{r.requestId ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
