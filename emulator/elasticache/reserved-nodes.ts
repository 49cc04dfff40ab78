import { createHash } from "node:crypto";
import { z } from "zod";
import { ApiError } from "@/emulator/server/api-error";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "./control-plane";
import { idFilter, maxRecords } from "./api/input-schemas";
import { pageOf } from "./api/paging";

// Reserved cache nodes: what a fleet file says the account bought (regions.<region>.reservedCacheNodes), answered by
// DescribeReservedCacheNodes (the offerings one could buy are not served). A
// purchase's StartTime is given in days before the emulator started (`startedDaysAgo`), so a demo reservation that
// expires "in 12 days" still does on every fresh demo. Purchases through the API are not modelled.

const YEAR_SECONDS = 31_536_000;
const DURATIONS = [YEAR_SECONDS, 3 * YEAR_SECONDS] as const;

/** One purchase in a fleet file: the API's ReservedCacheNode members, its start in days before the emulator's start. */
export const reservedNodeSchema = z.strictObject({
  ReservedCacheNodeId: z.string().min(1).max(255),
  CacheNodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, "node types look like cache.r7g.large"),
  CacheNodeCount: z.number().int().min(1).max(1000),
  ProductDescription: z.enum(["redis", "valkey", "memcached"]),
  OfferingType: z.enum(["No Upfront", "Partial Upfront", "All Upfront"]).default("No Upfront"),
  Duration: z.union(DURATIONS.map((d) => z.literal(d))).default(YEAR_SECONDS),
  FixedPrice: z.number().min(0).default(0),
  /** USD per node-hour billed whether or not a node uses the reservation. */
  HourlyCharge: z.number().min(0),
  startedDaysAgo: z.number().min(0).max(3 * 366),
});
export type ReservedNodeEntry = z.output<typeof reservedNodeSchema>;

interface Reserved extends ReservedNodeEntry {
  region: string;
  startTime: Date;
}

const dayMs = 86_400_000;
const offeringId = (region: string, type: string, product: string, offering: string, duration: number) =>
  createHash("sha256").update([region, type, product, offering, duration].join("|")).digest("hex").slice(0, 32).replace(/^(.{8})(.{4})(.{4})(.{4})/, "$1-$2-$3-$4-");

export class ReservedNodeBook {
  private readonly byRegion = new Map<string, Reserved[]>();

  constructor(entries: Iterable<[region: string, entries: ReservedNodeEntry[]]>, startedAt: Date) {
    for (const [region, list] of entries) {
      const reserved = list.map((e) => ({ ...e, region, startTime: new Date(startedAt.getTime() - e.startedDaysAgo * dayMs) }));
      this.byRegion.set(region, reserved.sort((a, b) => a.ReservedCacheNodeId.localeCompare(b.ReservedCacheNodeId)));
    }
  }

  inRegion(region: string): readonly Reserved[] {
    return this.byRegion.get(region) ?? [];
  }
}

const describeSchema = z.object({
  ReservedCacheNodeId: idFilter,
  ReservedCacheNodesOfferingId: idFilter,
  CacheNodeType: idFilter,
  Duration: z.string().optional(),
  ProductDescription: idFilter,
  OfferingType: idFilter,
  MaxRecords: maxRecords,
  Marker: z.string().optional(),
});

/** AWS accepts the duration in seconds or in years ("1", "3"). */
function durationSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const seconds = n === 1 || n === 3 ? n * YEAR_SECONDS : n;
  if (!DURATIONS.includes(seconds as (typeof DURATIONS)[number])) throw new ApiError("InvalidParameterValue", `Invalid value for Duration: ${value} (1, 3, 31536000 or 94608000)`, 400);
  return seconds;
}

/** Filters arrive lower-cased (ElastiCache matches identifiers without regard to case); no filter matches everything. */
const same = (filter: string | undefined, value: string) => filter === undefined || filter === value.toLowerCase();

function render(r: Reserved, accountId: string, now: Date) {
  const id = offeringId(r.region, r.CacheNodeType, r.ProductDescription, r.OfferingType, r.Duration);
  const ends = r.startTime.getTime() + r.Duration * 1000;
  return {
    ReservedCacheNodeId: r.ReservedCacheNodeId,
    ReservedCacheNodesOfferingId: id,
    CacheNodeType: r.CacheNodeType,
    StartTime: r.startTime,
    Duration: r.Duration,
    FixedPrice: r.FixedPrice,
    UsagePrice: 0,
    CacheNodeCount: r.CacheNodeCount,
    ProductDescription: r.ProductDescription,
    OfferingType: r.OfferingType,
    State: now.getTime() < ends ? "active" : "retired",
    RecurringCharges: [{ RecurringChargeAmount: r.HourlyCharge, RecurringChargeFrequency: "Hourly" }],
    ReservationARN: `arn:aws:elasticache:${r.region}:${accountId}:reserved-instance:${r.ReservedCacheNodeId}`,
  };
}

export function describeReservedCacheNodes(cp: ElastiCacheControlPlane, book: ReservedNodeBook): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const duration = durationSeconds(input.Duration);
    const found = book
      .inRegion(ctx.region)
      .map((r) => ({ r, rendered: render(r, cp.accountId, ctx.receivedAt) }))
      .filter(
        ({ r, rendered }) =>
          same(input.ReservedCacheNodeId, r.ReservedCacheNodeId) &&
          same(input.ReservedCacheNodesOfferingId, rendered.ReservedCacheNodesOfferingId) &&
          same(input.CacheNodeType, r.CacheNodeType) &&
          same(input.ProductDescription, r.ProductDescription) &&
          same(input.OfferingType, r.OfferingType) &&
          (duration === undefined || r.Duration === duration),
      );
    if (input.ReservedCacheNodeId !== undefined && found.length === 0) {
      throw new ApiError("ReservedCacheNodeNotFound", `Reserved node ${input.ReservedCacheNodeId} not found.`, 404);
    }
    const page = pageOf(found, (f) => f.r.ReservedCacheNodeId, input.MaxRecords, input.Marker);
    return { Marker: page.marker, ReservedCacheNodes: page.items.map((f) => f.rendered) };
  };
}
