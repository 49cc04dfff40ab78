import Link from "next/link";
import { formatUsd } from "@/components/ui/format";
import type { CostTotal } from "@/lib/cost/totals";

/** "Fleet monthly cost $1,234 · prices of 2026-10-02 (snapshot)", with the caches it leaves out and a link to /spend. */
export function FleetCostTotal({ total }: { total: CostTotal }) {
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="fleet-cost-total">
      Fleet monthly cost <strong className="tabular-nums" data-testid="fleet-cost-usd">{formatUsd(total.monthlyUsd)}</strong>
      {total.unpriced > 0 && <> ({total.unpriced} {total.unpriced === 1 ? "cache" : "caches"} without a price)</>}
      {total.priceDates.length > 0 && (
        <span data-testid="fleet-price-date">
          {" · prices of "}
          {total.priceDates.map((d) => `${d.date} (${d.origin === "price-list-api" ? "AWS Price List API" : "bundled snapshot"})`).join(", ")}
        </span>
      )}
      {" · "}
      <Link href="/spend" prefetch={false} className="text-sky-800 underline dark:text-sky-300">
        where it goes
      </Link>
    </p>
  );
}
