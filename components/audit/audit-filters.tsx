import type { AuditQuery } from "@/lib/audit/query";
import { auditStatuses } from "@/lib/audit/audit-log";

const inputClass =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900 focus:outline-none focus-visible:ring-2 focus-visible:ring-sky-500";

const toLocal = (date: Date | undefined) => (date ? date.toISOString().slice(0, 16) : "");

function SelectFilter({ label, name, value, options }: { label: string; name: string; value?: string; options: readonly string[] }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      {label}
      <select name={name} defaultValue={value ?? ""} className={inputClass}>
        <option value="">any</option>
        {options.map((option) => (
          <option key={option}>{option}</option>
        ))}
      </select>
    </label>
  );
}

/** A plain GET form: the filters live in the URL, so a filtered view can be bookmarked and shared. */
export function AuditFilters({ query, actions, accounts, showWho }: { query: AuditQuery; actions: string[]; accounts: string[]; showWho: boolean }) {
  return (
    <form method="get" action="/audit" className="flex flex-wrap items-end gap-3" aria-label="Filter the audit log">
      {showWho && (
        <label className="flex flex-col gap-1 text-sm">
          Who
          <input name="who" defaultValue={query.who ?? ""} placeholder="name or e-mail" className={inputClass} />
        </label>
      )}
      <SelectFilter label="Action" name="action" value={query.action} options={actions} />
      {(accounts.length > 1 || query.account) && <SelectFilter label="Account" name="account" value={query.account} options={accounts} />}
      <SelectFilter label="Outcome" name="status" value={query.status} options={auditStatuses} />
      <label className="flex flex-col gap-1 text-sm">
        Target
        <input name="target" defaultValue={query.target ?? ""} placeholder="group or shard" className={inputClass} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        From (UTC)
        <input type="datetime-local" name="from" defaultValue={toLocal(query.from)} className={inputClass} />
      </label>
      <label className="flex flex-col gap-1 text-sm">
        To (UTC)
        <input type="datetime-local" name="to" defaultValue={toLocal(query.to)} className={inputClass} />
      </label>
      <button type="submit" className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800">
        Apply
      </button>
      <a href="/audit" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
        Clear
      </a>
    </form>
  );
}
