import type { Metadata } from "next";
import Link from "next/link";
import { CostReportView } from "@/components/costs/cost-report";
import { can } from "@/lib/auth/permissions";
import { requireSession, roleName } from "@/lib/auth/session";
import { costReport } from "@/lib/data/costs";
import { requestTime } from "@/lib/data/time-range";

export const metadata: Metadata = { title: "AWS costs" };

/** What CacheDeck itself asks of AWS on this app instance. Admins only, checked here on the server. */
export default async function CostsPage() {
  const user = await requireSession("/costs");
  if (!can(user.role, "costs.read")) {
    return (
      <main>
        <h1 className="text-xl font-semibold">AWS costs</h1>
        <p className="mt-4" role="alert">Your role ({roleName(user.role)}) cannot see what CacheDeck spends on AWS; admins can.</p>
      </main>
    );
  }
  return (
    <main className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold">AWS costs</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          What this CacheDeck instance asks of AWS. ElastiCache Describe* calls are free but rate-limited; CloudWatch
          bills GetMetricData per metric requested, so the watchers plan their reads within the daily budget whatever
          the number of people looking. What the caches themselves cost is on <Link href="/spend" className="text-sky-800 underline dark:text-sky-300">Spend</Link>.
        </p>
      </div>
      <CostReportView report={costReport(requestTime())} />
    </main>
  );
}
