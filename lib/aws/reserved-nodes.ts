import "server-only";
import { DescribeReservedCacheNodesCommand, type ReservedCacheNode } from "@aws-sdk/client-elasticache";
import type { Place } from "@/lib/place";
import { elastiCacheClient } from "./clients";
import { callAws } from "./errors";
import { drainPages } from "./paging";

/** A purchase of reserved nodes, as CacheDeck reads DescribeReservedCacheNodes. */
export interface ReservedNodes {
  id: string;
  nodeType: string;
  count: number;
  /** redis, valkey or memcached (AWS's ProductDescription). */
  engine: string;
  /** active, payment-pending or retired. */
  state: string;
  /** Epoch ms. */
  start: number;
  end: number;
  offeringType: string;
  /** Upfront USD for the whole term, and USD per reserved node-hour (billed whether used or not). */
  fixedUsd: number;
  hourlyUsd: number;
}

export function fromReservedCacheNode(r: ReservedCacheNode): ReservedNodes {
  const start = r.StartTime?.getTime() ?? 0;
  const hourly = (r.RecurringCharges ?? []).filter((c) => c.RecurringChargeFrequency === "Hourly").reduce((sum, c) => sum + (c.RecurringChargeAmount ?? 0), 0);
  return {
    id: r.ReservedCacheNodeId ?? "",
    nodeType: r.CacheNodeType ?? "",
    count: r.CacheNodeCount ?? 0,
    engine: (r.ProductDescription ?? "").toLowerCase(),
    state: r.State ?? "",
    start,
    end: start + (r.Duration ?? 0) * 1000,
    offeringType: r.OfferingType ?? "",
    fixedUsd: r.FixedPrice ?? 0,
    hourlyUsd: hourly + (r.UsagePrice ?? 0),
  };
}

/** Every reservation of the account in the region (active and retired), in pages of 100. */
export async function describeReservedNodes(place: Place): Promise<ReservedNodes[]> {
  const client = elastiCacheClient(place);
  const all = await callAws({ service: "elasticache", ...place, operation: "DescribeReservedCacheNodes" }, () =>
    drainPages(async (Marker) => {
      const out = await client.send(new DescribeReservedCacheNodesCommand({ MaxRecords: 100, Marker }));
      return { items: out.ReservedCacheNodes, next: out.Marker };
    }),
  );
  return all.map(fromReservedCacheNode);
}
