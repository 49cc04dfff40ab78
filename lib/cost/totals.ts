import type { RowCost } from "@/lib/data/fleet-rows";

/** The sum of what a set of caches costs a month, and what it rests on: how many have no price, of which dates. */
export interface CostTotal {
  monthlyUsd: number;
  priced: number;
  unpriced: number;
  /** Distinct price dates used, oldest first, each with where it came from. */
  priceDates: { date: string; origin: "price-list-api" | "snapshot" }[];
}

export function costTotal(rows: readonly { cost: RowCost | null }[]): CostTotal {
  let monthly = 0;
  let priced = 0;
  const dates = new Map<string, "price-list-api" | "snapshot">();
  for (const { cost } of rows) {
    if (cost?.monthlyUsd == null) continue;
    monthly += cost.monthlyUsd;
    priced += 1;
    if (cost.priceDate && cost.origin) dates.set(`${cost.priceDate}|${cost.origin}`, cost.origin);
  }
  const priceDates = [...dates].map(([key, origin]) => ({ date: key.split("|")[0], origin })).sort((a, b) => a.date.localeCompare(b.date));
  return { monthlyUsd: Math.round(monthly * 100) / 100, priced, unpriced: rows.length - priced, priceDates };
}
