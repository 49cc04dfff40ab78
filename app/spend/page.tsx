import type { Metadata } from "next";
import Link from "next/link";
import { SpendView } from "@/components/spend/spend-view";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { can, canInSomeAccount } from "@/lib/auth/permissions";
import { requireSession, roleName } from "@/lib/auth/session";
import { placesWhere } from "@/lib/accounts";
import { loadSpend, tagKeyPattern } from "@/lib/data/spend";
import { requestTime } from "@/lib/data/time-range";

export const metadata: Metadata = { title: "Spend" };

const DEFAULT_TAG = "team";

/** What the fleet costs a month (issue 15). Not /costs, which is what CacheDeck itself asks of AWS. */
export default async function SpendPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = flatParams(await searchParams);
  const by = tagKeyPattern.test(params.by ?? "") ? params.by! : DEFAULT_TAG;
  const here = (key: string) => `/spend?by=${encodeURIComponent(key)}`;
  const user = await requireSession(withParams("/spend", params, {}));
  // The accounts where the person has a role; someone admitted by one account's rules sees that account's spend alone.
  if (!canInSomeAccount(user, "fleet.read")) {
    return (
      <main>
        <h1 className="text-xl font-semibold">Spend</h1>
        <p className="mt-4" role="alert">Your role ({roleName(user.role)}) cannot see the fleet.</p>
      </main>
    );
  }
  const spend = await loadSpend(by, requestTime(), placesWhere(user, "fleet.read"));
  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Spend</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            What each cache costs a month and where the money goes.
            {can(user.role, "costs.read") && <> What CacheDeck itself asks of AWS is on <Link href="/costs" className="text-sky-800 underline dark:text-sky-300">its own page</Link>.</>}
          </p>
        </div>
        <a href="/spend/export" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800" download>
          Export CSV
        </a>
      </div>
      {spend.problems.length > 0 && <ProblemPanel problems={spend.problems} role={user.role} />}
      <SpendView spend={spend} tagHref={here} />
    </main>
  );
}
