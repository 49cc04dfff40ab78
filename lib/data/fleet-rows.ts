import { placeKey, type Place } from "@/lib/place";
import { briefOf, type PostureBrief } from "@/lib/posture/posture";
import type { HealthAssessment, HealthFigures } from "./health";
import type { ClusterKind, ClusterSummary, FleetView } from "./model";
import { timeGrid, type Values } from "./series";

// The fleet page ships every row to the browser once, in this shape, and sorts, filters and searches there. It is
// ClusterSummary without what the table never shows (ARN, resharding progress), with trend lines that know their own
// time grid (so pushed points land in the right slot) and carry three significant digits: a 48-pixel sparkline
// cannot show more, and at 1,100 caches × 5 trends × 40 points full doubles would triple the payload.

export const trendKeys = ["hitRate", "evictions", "replicationLag", "engineCpu", "memory"] as const;
export type TrendKey = (typeof trendKeys)[number];

export type FleetTrends = {
  /** Epoch ms of the first slot; slots are `step` ms apart, one value per slot in each series. */
  start: number;
  step: number;
} & Record<TrendKey, Values>;

/** What the fleet table shows of a cache's cost (the whole breakdown is on /spend). */
export interface RowCost {
  /** Per month; null when no price is known (then `missing` says why). */
  monthlyUsd: number | null;
  /** The price's date and whether it came from the Price List API or the bundled snapshot. */
  priceDate: string | null;
  origin: "price-list-api" | "snapshot" | null;
  missing: string | null;
}

export function rowCost(cost: ClusterSummary["cost"]): RowCost | null {
  if (!cost) return null;
  return { monthlyUsd: cost.monthlyUsd, priceDate: cost.price?.date ?? null, origin: cost.price?.origin ?? null, missing: cost.missing };
}

/** A ClusterSummary as the browser holds it. */
export type FleetRow = Omit<ClusterSummary, "arn" | "reshardingPercent" | "health" | "cost" | "posture"> & {
  cost: RowCost | null;
  /** Unique across the fleet: `account/region/kind/id`. */
  key: string;
  health: HealthAssessment & { figures: HealthFigures | null };
  trends: FleetTrends | null;
  /** Lifecycle and failed controls only: every control's pass would multiply the payload at 1,000 rows. */
  posture: PostureBrief;
};

export function fleetRowKey(place: Place, kind: ClusterKind, id: string): string {
  return `${placeKey(place)}/${kind}/${id}`;
}

/** Three significant digits: what a sparkline can show. */
export function compactValue(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : Number(v.toPrecision(3));
}

export function toFleetRow(c: ClusterSummary, grid: { start: number; step: number }): FleetRow {
  const t = c.health.trends;
  return {
    key: fleetRowKey(c, c.kind, c.id),
    kind: c.kind,
    id: c.id,
    account: c.account,
    region: c.region,
    engine: c.engine,
    engineVersion: c.engineVersion,
    clusterMode: c.clusterMode,
    nodeType: c.nodeType,
    shards: c.shards,
    nodes: c.nodes,
    zones: c.zones,
    status: c.status,
    activity: c.activity,
    tags: c.tags,
    posture: briefOf(c.posture),
    href: c.href,
    cost: rowCost(c.cost),
    alarms: c.alarms,
    health: { level: c.health.level, problems: c.health.problems, figures: c.health.figures },
    fillsUp: c.fillsUp,
    trends: t && {
      ...grid,
      hitRate: t.hitRate.map(compactValue),
      evictions: t.evictions.map(compactValue),
      replicationLag: t.replicationLag.map(compactValue),
      engineCpu: t.engineCpu.map(compactValue),
      memory: t.memory.map(compactValue),
    },
  };
}

/** Every cluster of the fleet view as a row; the trend grid is the one the health window's series were placed on. */
export function toFleetRows(view: Pick<FleetView, "clusters" | "window">): FleetRow[] {
  const { window } = view;
  const step = window.period * 1000;
  const start = timeGrid(window.start, window.end, window.period).times[0] ?? window.start;
  return view.clusters.map((c) => toFleetRow(c, { start, step }));
}
