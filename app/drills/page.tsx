import type { Metadata } from "next";
import Link from "next/link";
import { requireSession, roleName } from "@/lib/auth/session";
import { accountsWhere, canInSomeAccount } from "@/lib/auth/permissions";
import { accountsConfig } from "@/lib/accounts";
import { parsePlaceSegment, placeLabel, placeSegment } from "@/lib/place";
import { loadHistory } from "@/lib/drills/views";
import { DrillHistoryTable, TrendCards } from "@/components/drills/drill-history";
import { NotAllowed } from "@/components/drills/not-allowed";
import { flatParams, type SearchParams } from "@/components/ui/url";

export const metadata: Metadata = { title: "Drills" };

/** "staging~us-east-1/orders" (or an old "us-east-1/orders": the default account) → the group; anything else → the whole fleet. */
function groupFilter(value: string | undefined): { account: string; region: string; replicationGroupId: string } | null {
  const match = /^((?:[a-z][a-z0-9-]{0,31}~)?[a-z]{2}(?:-[a-z]+)+-\d+)\/([a-z][a-z0-9-]{0,39})$/.exec(value ?? "");
  if (!match) return null;
  const { account, region } = parsePlaceSegment(match[1]);
  return { account: account ?? accountsConfig().defaultAccount, region, replicationGroupId: match[2] };
}

export default async function DrillsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = flatParams(await searchParams);
  const user = await requireSession(params.group ? `/drills?group=${encodeURIComponent(params.group)}` : "/drills");
  if (!canInSomeAccount(user, "drill.read")) return <NotAllowed role={roleName(user.role)} what="drills" />;
  const group = groupFilter(params.group);
  // Drills of the accounts where the person may read them, and no other.
  const readable = accountsWhere(user, "drill.read", accountsConfig().accounts.map((a) => a.name));
  const history = await loadHistory({ ...group, accounts: readable });

  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          {group && (
            <Link href="/drills" className="text-sm text-slate-600 hover:underline dark:text-slate-300">
              ← All drills
            </Link>
          )}
          <h1 className="text-xl font-semibold">{group ? `Drills of ${group.replicationGroupId} (${placeLabel(group)})` : "Failover drills across the fleet"}</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Every drill on record, newest first, with the trend of its measured recovery.{" "}
            <Link href="/overview" className="text-sky-700 hover:underline dark:text-sky-400">
              Stakeholder overview
            </Link>
          </p>
        </div>
        {canInSomeAccount(user, "drill.run") && (
          <Link
            href={group ? `/drills/new?group=${placeSegment(group)}/${group.replicationGroupId}` : "/drills/new"}
            className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800"
          >
            New drill
          </Link>
        )}
      </div>
      <TrendCards trends={history.trends} />
      <DrillHistoryTable items={history.items} showGroup={!group} />
    </main>
  );
}
