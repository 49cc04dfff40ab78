import Link from "next/link";
import type { FillsUpEntry } from "@/lib/drills/overview";

/** The overview's "fills up first": the caches that reach a memory or connection limit soonest at their 14-day trend. */
export function FillsUpFirst({ entries }: { entries: FillsUpEntry[] }) {
  return (
    <section aria-labelledby="fills-up-first" className="rounded-md border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900" data-testid="fills-up-first">
      <h2 id="fills-up-first" className="font-semibold">Fills up first</h2>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No cache reaches its memory or connection limit within 90 days at its 14-day trend.</p>
      ) : (
        <ol className="mt-1 space-y-1 text-sm">
          {entries.map((e) => (
            <li key={`${e.account}/${e.region}/${e.id}`} data-testid="fills-up-entry" data-cluster={e.id}>
              <Link href={e.href} className="font-medium text-sky-800 hover:underline dark:text-sky-300">{e.id}</Link>{" "}
              <span className="text-slate-600 dark:text-slate-400">({e.account} / {e.region})</span>: {e.figure} on{" "}
              <strong>{new Date(e.at).toISOString().slice(0, 10)}</strong>
              {e.inDays <= 0 ? " — full now" : `, in ${e.inDays} days`}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
