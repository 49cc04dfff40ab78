import type { Metadata } from "next";
import Link from "next/link";
import { requireSession, roleName } from "@/lib/auth/session";
import { accountsWhere } from "@/lib/auth/permissions";
import { NotAllowed } from "@/components/drills/not-allowed";
import { loadOverview } from "@/lib/drills/overview";
import { OverviewSections } from "@/components/drills/overview-sections";
import { FillsUpFirst } from "@/components/drills/fills-up-first";
import { FleetCostTotal } from "@/components/fleet/fleet-cost-total";
import { flatParams, type SearchParams } from "@/components/ui/url";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { accountsConfig } from "@/lib/accounts";

export const metadata: Metadata = { title: "Overview" };

const DEFAULT_TAG = "service";

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = flatParams(await searchParams);
  const here = (changes: { by?: string; account?: string | null }) => {
    const query = new URLSearchParams();
    const by = changes.by ?? params.by;
    const account = changes.account === undefined ? params.account : changes.account;
    if (by) query.set("by", by);
    if (account) query.set("account", account);
    return query.size ? `/overview?${query}` : "/overview";
  };
  const user = await requireSession(here({}));
  // The accounts whose caches and drills the person may read; someone admitted by one account's rules sees it alone.
  const readable = accountsWhere(user, "drill.read", accountsWhere(user, "fleet.read", accountsConfig().accounts.map((a) => a.name)));
  if (readable.length === 0) return <NotAllowed role={roleName(user.role)} what="the overview" />;
  const by = /^[\w.:/=+@ -]{1,128}$/.test(params.by ?? "") ? params.by! : DEFAULT_TAG;
  // Only a configured account filters; anything else in the URL shows every account.
  const { fromFile } = accountsConfig();
  const account = readable.find((name) => name === params.account) ?? null;
  const overview = await loadOverview(by, account ? [account] : readable);

  return (
    <main className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">Cache status by {by}</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          How each cache is doing now, when its failover was last rehearsed and how that went, and what ElastiCache reported in the last {overview.incidentDays} days.
          Drill rehearsals are not counted as incidents.
        </p>
        <nav aria-label="Group by tag" className="mt-2 flex flex-wrap gap-2 text-sm">
          Group by:
          {[...new Set([DEFAULT_TAG, "team", ...overview.tagKeys])].map((key) => (
            <Link key={key} href={here({ by: key })} aria-current={key === by ? "page" : undefined} className={key === by ? "font-semibold underline" : "text-sky-700 hover:underline dark:text-sky-400"}>
              {key}
            </Link>
          ))}
        </nav>
        {fromFile && (
          <nav aria-label="Account" className="mt-2 flex flex-wrap gap-2 text-sm">
            Account:
            {[null, ...readable].map((name) => (
              <Link key={name ?? "all"} href={here({ account: name })} aria-current={name === account ? "page" : undefined} className={name === account ? "font-semibold underline" : "text-sky-700 hover:underline dark:text-sky-400"}>
                {name ?? "all"}
              </Link>
            ))}
          </nav>
        )}
      </div>
      <ProblemPanel problems={overview.problems} role={user.role} title="Some regions could not be read completely right now; the caches there may be missing or show no data." />
      <FillsUpFirst entries={overview.fillsUpFirst} />
      <FleetCostTotal total={overview.cost} />
      <OverviewSections sections={overview.sections} by={by} incidentDays={overview.incidentDays} />
    </main>
  );
}
