import { createHash } from "node:crypto";
import snapshot from "@/prices/elasticache-prices.json";

// The AWS Price List's ElastiCache node products, built from CacheDeck's bundled price snapshot (the same file the
// dashboard falls back to), in the shape GetProducts answers: one product per region × engine × node type with its
// attributes and one OnDemand term whose price dimension is USD per node-hour. Only what the snapshot holds exists:
// a region or type without a figure there has no product, as a region AWS does not sell a type in.

export interface PriceItem {
  /** What GetProducts filters may name: the product's attributes and its productFamily. */
  fields: Record<string, string>;
  /** The PriceList entry: a JSON document, as AWS sends it (a string inside the answer). */
  json: string;
}

const ENGINE_NAMES: Record<string, string> = { redis: "Redis", valkey: "Valkey", memcached: "Memcached" };
/** AWS's location names for the regions the snapshot may hold. */
const LOCATIONS: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-2": "US West (Oregon)",
  "eu-west-1": "EU (Ireland)",
  "eu-central-1": "EU (Frankfurt)",
  "ap-southeast-1": "Asia Pacific (Singapore)",
};
/** OnDemand's offer term code and the per-hour rate code are constants across AWS's price lists. */
const ON_DEMAND = "JRTCKXETXF";
const PER_HOUR = "6YS6EN2CT7";

const sku = (...parts: string[]) => createHash("sha256").update(parts.join("|")).digest("hex").slice(0, 16).toUpperCase();

function item(region: string, engine: string, nodeType: string, usd: number, date: string): PriceItem {
  const id = sku(region, engine, nodeType);
  const cacheEngine = ENGINE_NAMES[engine] ?? engine;
  const attributes = {
    servicecode: "AmazonElastiCache",
    servicename: "Amazon ElastiCache",
    location: LOCATIONS[region] ?? region,
    locationType: "AWS Region",
    regionCode: region,
    instanceType: nodeType,
    cacheEngine,
    currentGeneration: "Yes",
    usagetype: `NodeUsage:${nodeType}`,
    operation: `CreateCacheCluster:${cacheEngine}`,
  };
  const term = `${id}.${ON_DEMAND}`;
  const document = {
    product: { productFamily: "Cache Instance", attributes, sku: id },
    serviceCode: "AmazonElastiCache",
    terms: {
      OnDemand: {
        [term]: {
          priceDimensions: {
            [`${term}.${PER_HOUR}`]: {
              unit: "Hrs",
              endRange: "Inf",
              description: `$${usd} per On-demand Node ${nodeType} hour (${cacheEngine})`,
              appliesTo: [],
              rateCode: `${term}.${PER_HOUR}`,
              beginRange: "0",
              pricePerUnit: { USD: usd.toFixed(10) },
            },
          },
          sku: id,
          effectiveDate: `${date}T00:00:00Z`,
          offerTermCode: ON_DEMAND,
          termAttributes: {},
        },
      },
    },
    version: snapshot.snapshotDate.replaceAll("-", ""),
    publicationDate: `${snapshot.snapshotDate}T00:00:00Z`,
  };
  return { fields: { ...attributes, productFamily: "Cache Instance" }, json: JSON.stringify(document) };
}

const sourceDates = snapshot.sources as Record<string, { date: string }>;

/** Every node product the snapshot prices, in a stable order (so NextToken offsets hold between calls). */
export const PRICE_ITEMS: readonly PriceItem[] = snapshot.nodeHours.flatMap((row) =>
  Object.entries(row.prices).map(([nodeType, usd]) => item(row.region, row.engine, nodeType, usd, sourceDates[row.source]?.date ?? snapshot.snapshotDate)),
);

/** The attribute names GetProducts may filter on (DescribeServices lists them). */
export const ATTRIBUTE_NAMES = Object.keys(PRICE_ITEMS[0]?.fields ?? {}).filter((n) => n !== "servicecode");
