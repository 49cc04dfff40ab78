import Link from "next/link";
import type { AuditRecord } from "@/lib/audit/audit-log";

const labels: Record<string, string> = {
  "cluster.test-failover": "Test failover",
  "cluster.modify-node-type": "Node type change",
  "cluster.modify-replica-count": "Replica change",
  "cluster.modify-shard-count": "Resharding",
  "cluster.upgrade-engine": "Engine upgrade",
};

const time = (iso: string) => iso.slice(11, 19);

/** What this cluster page is following: the operation just sent, its audit record, and where to watch it happen. */
export function OperationBanner({ record, viewerId }: { record: AuditRecord; viewerId: string }) {
  const who = record.actor.id === viewerId ? "you" : record.actor.name;
  const accepted = record.status === "succeeded";
  return (
    <p
      role="status"
      data-testid="followed-operation"
      className={`rounded border px-3 py-2 text-sm ${accepted ? "border-sky-300 bg-sky-50 text-sky-900 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-100" : "border-amber-300 bg-amber-50 text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"}`}
    >
      {labels[record.action] ?? record.action} of <strong>{record.target}</strong>, sent by {who} at {time(record.requestedAt)} UTC:{" "}
      {accepted
        ? "AWS accepted it. This page refreshes every few seconds; follow the status, the nodes and the events below until the group is available again."
        : `${record.status}${record.error ? ` — ${record.error}` : ""}.`}{" "}
      <Link href={`/audit?target=${encodeURIComponent(record.target)}`} className="underline">
        Audit record #{record.id}
      </Link>
      {accepted && record.action === "cluster.upgrade-engine" && (
        <span className="mt-1 block" data-testid="upgrade-probe">
          {record.followUp ?? "probe: writing to the group from CacheDeck while the upgrade runs; its result shows here when the upgrade has finished."}
        </span>
      )}
    </p>
  );
}
