import "server-only";
import { currentPriceBook } from "@/lib/cost/prices";
import { placeKey, type Place } from "@/lib/place";
import { watcherFor } from "@/lib/watcher";
import { reservationViews, summarizeSpend, type Spend, type SpendLine } from "@/lib/cost/spend-summary";
import { loadFleet } from "./fleet";
import { resolveTimeWindow } from "./time-range";

// /spend and its CSV export: what the fleet costs a month, grouped by account, region, engine and a tag, from the
// costs the watchers already hold (no AWS call of its own), with reserved-node coverage and what Valkey would save.

export type { ReservationView, Spend, SpendGroup, SpendLine } from "@/lib/cost/spend-summary";

export const tagKeyPattern = /^[\w.:/=+@ -]{1,128}$/;

export async function loadSpend(tagKey: string, now: number, places: Place[]): Promise<Spend> {
  const { window } = resolveTimeWindow({ range: "1h" }, now);
  const fleet = await loadFleet(window, now, places);
  const lines: SpendLine[] = fleet.clusters.map((c) => ({
    account: c.account,
    region: c.region,
    id: c.id,
    kind: c.kind,
    engine: c.engine,
    engineVersion: c.engineVersion,
    nodeType: c.nodeType,
    nodes: c.nodes,
    tags: c.tags,
    href: c.href,
    cost: c.cost ?? null,
  }));
  // The cost inputs each place's watcher holds (read by the instance leading it, relayed to the others).
  const held = places.map((place) => ({ key: placeKey(place), ...watcherFor(place).costInputs() }));
  const readAts = held.flatMap((h) => (h.pricesReadAt === null ? [] : [h.pricesReadAt]));
  const status = { snapshotDate: currentPriceBook().snapshotDate, apiReadAt: readAts.length ? Math.min(...readAts) : null, problem: held.find((h) => h.pricesProblem)?.pricesProblem ?? null };
  const spend = summarizeSpend(lines, tagKey, reservationViews(lines, held, now), now);
  return {
    ...spend,
    prices: { snapshotDate: status.snapshotDate, apiReadAt: status.apiReadAt, dates: [...new Set(lines.flatMap((l) => (l.cost?.price ? [`${l.cost.price.date} (${l.cost.price.origin === "price-list-api" ? "AWS Price List API" : "bundled snapshot"})`] : [])))].sort(), problem: status.problem },
    problems: [...fleet.regions.flatMap((r) => r.problems), ...held.flatMap((h) => (h.inputsProblem ? [h.inputsProblem] : []))],
  };
}

const csvHeader = ["account", "region", "cache", "kind", "engine", "engine_version", "node_type", "nodes", "monthly_usd", "on_demand_monthly_usd", "extended_support_monthly_usd", "reserved_nodes", "valkey_saving_monthly_usd", "price_date", "price_source", "no_price_because", "tags"] as const;

export function spendCsvRows(lines: readonly SpendLine[]): { header: readonly string[]; rows: (string | number | null)[][] } {
  return {
    header: csvHeader,
    rows: lines.map((l) => [
      l.account, l.region, l.id, l.kind, l.engine, l.engineVersion, l.nodeType, l.nodes,
      l.cost?.monthlyUsd ?? null, l.cost?.onDemandMonthlyUsd ?? null, l.cost?.extendedSupportMonthlyUsd ?? null, l.cost?.reservedNodes ?? null,
      l.cost?.valkey?.savingMonthlyUsd ?? null, l.cost?.price?.date ?? null, l.cost?.price?.origin ?? null, l.cost?.missing ?? null,
      Object.entries(l.tags).map(([k, v]) => `${k}=${v}`).join(";"),
    ]),
  };
}
