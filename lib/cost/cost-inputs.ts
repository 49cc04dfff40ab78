import "server-only";
import { getMetricSeries } from "@/lib/aws";
import { listNodePrices, type ListedNodePrice } from "@/lib/aws/pricing";
import { describeReservedNodes, type ReservedNodes } from "@/lib/aws/reserved-nodes";
import type { Place } from "@/lib/place";
import type { ServerlessUsage } from "./cache-cost";
import { setCurrentPriceBook, withApiNodePrices } from "./prices";

// What costing needs besides the caches: the reservations and serverless usage of an account × region, and node
// prices from the AWS Price List API. The reads are made by the instance leading the region's watcher
// (lib/watcher/cost-read.ts decides when) and relayed to the other instances as watcher records, so N app instances
// read these once; this module holds the reads themselves and the process-wide price overlay they feed.

export interface PlaceCostInputs {
  reserved: ReservedNodes[];
  /** Serverless cache name → usage of the last whole hour. */
  serverlessUsage: [name: string, usage: ServerlessUsage][];
}

export type DatedNodePrice = ListedNodePrice & { date: string };

const GB = 1e9;

/** Average data stored and ECPUs of the last whole hour, one GetMetricData for every serverless cache of the place. */
async function readServerlessUsage(place: Place, names: string[], now: number): Promise<PlaceCostInputs["serverlessUsage"]> {
  if (names.length === 0) return [];
  const end = Math.floor(now / 60_000) * 60_000;
  const requests = names.flatMap((name) => [
    { key: `${name}|bytes`, namespace: "AWS/ElastiCache", metricName: "BytesUsedForCache", dimensions: { clusterId: name }, stat: "Average", period: 3600 },
    { key: `${name}|ecpu`, namespace: "AWS/ElastiCache", metricName: "ElastiCacheProcessingUnits", dimensions: { clusterId: name }, stat: "Sum", period: 3600 },
  ]);
  const series = await getMetricSeries(place, requests, { start: new Date(end - 3600_000), end: new Date(end) });
  return names.flatMap((name) => {
    const bytes = series.get(`${name}|bytes`)?.values.at(-1);
    const ecpu = series.get(`${name}|ecpu`)?.values.at(-1);
    return bytes === undefined ? [] : [[name, { gb: bytes / GB, ecpuPerHour: ecpu ?? 0 }] as [string, ServerlessUsage]];
  });
}

/** DescribeReservedCacheNodes (paged) and, when the place has serverless caches, one GetMetricData of their usage. */
export async function readPlaceCostInputs(place: Place, serverlessNames: string[], now: number): Promise<PlaceCostInputs> {
  const [reserved, serverlessUsage] = await Promise.all([describeReservedNodes(place), readServerlessUsage(place, serverlessNames, now)]);
  return { reserved, serverlessUsage };
}

/** On-demand prices of `nodeTypes` in `region` from the Price List API (one paged GetProducts), dated today. */
export async function readRegionPrices(region: string, nodeTypes: string[]): Promise<DatedNodePrice[]> {
  if (nodeTypes.length === 0) return [];
  const date = new Date().toISOString().slice(0, 10);
  return (await listNodePrices(region, nodeTypes)).map((p) => ({ ...p, date }));
}

// The API's prices per region, as the latest read of each region left them, over the bundled snapshot. Process-wide
// because the price book is (priceOf); each region's leader reads its region, every instance applies the record.
const overlay: Map<string, DatedNodePrice[]> = ((globalThis as { __cachedeckApiPrices?: Map<string, DatedNodePrice[]> }).__cachedeckApiPrices ??= new Map());

/** Makes `prices` the API's answer for `region` in the price book every later priceOf uses. */
export function applyRegionPrices(region: string, prices: DatedNodePrice[]): void {
  overlay.set(region, prices);
  setCurrentPriceBook(withApiNodePrices([...overlay.values()].flat()));
}
