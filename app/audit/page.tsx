import type { Metadata } from "next";
import { requireSession, roleName } from "@/lib/auth/session";
import { canInSomeAccount } from "@/lib/auth/permissions";
import { getAuditLog } from "@/lib/audit";
import { scopedAuditQuery } from "@/lib/audit/query";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";

export const metadata: Metadata = { title: "Audit log" };

const PAGE_SIZE = 100;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

function toUrlParams(params: Record<string, string | string[] | undefined>): URLSearchParams {
  const result = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string") result.set(key, value);
  }
  return result;
}

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireSession("/audit");
  // Own operations for whoever may operate in some account; every record only for an admin by the global rules.
  if (!canInSomeAccount(user, "audit.read-own")) {
    return (
      <main>
        <h1 className="text-xl font-semibold">Audit log</h1>
        <p className="mt-4" role="alert">
          Your role ({roleName(user.role)}) cannot read the audit log. Operators see their own operations; admins see all of them.
        </p>
      </main>
    );
  }

  const params = toUrlParams(await searchParams);
  const { query, filter, problems, scope } = scopedAuditQuery(user, params, PAGE_SIZE);
  const auditLog = await getAuditLog();
  const [records, actions, accounts] = await Promise.all([auditLog.list(filter), auditLog.actions(filter.actorId), auditLog.accounts(filter.actorId)]);

  const exportParams = new URLSearchParams(params);
  exportParams.delete("before");
  const exportHref = (format: string) => `/audit/export?${new URLSearchParams([...exportParams, ["format", format]])}`;
  const olderParams = new URLSearchParams(params);
  const oldest = records.at(-1);
  if (oldest) olderParams.set("before", String(oldest.id));

  return (
    <main className="flex flex-col gap-4">
      <div className="flex flex-wrap items-baseline justify-between gap-3">
        <h1 className="text-xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-600 dark:text-slate-300">
          {scope === "all" ? "Every operation run from CacheDeck." : "The operations you ran from CacheDeck."}{" "}
          Export: <a className="underline" href={exportHref("csv")}>CSV</a> · <a className="underline" href={exportHref("json")}>JSON</a>
        </p>
      </div>
      <AuditFilters query={query} actions={actions} accounts={accounts} showWho={scope === "all"} />
      {problems.length > 0 && (
        <ul role="alert" className="rounded-md border border-amber-400 bg-amber-50 p-3 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">
          {problems.map((problem) => (
            <li key={problem}>Ignored {problem}</li>
          ))}
        </ul>
      )}
      <AuditTable records={records} />
      {records.length === PAGE_SIZE && (
        <a className="self-start text-sm underline" href={`/audit?${olderParams}`}>
          Older operations
        </a>
      )}
    </main>
  );
}
