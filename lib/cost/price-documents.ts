// Reading the AWS Price List's answers: GetProducts returns each product as a JSON document (product attributes and
// terms). Pure, so lib/aws/pricing.ts and scripts/refresh-prices.ts read them the same way.

/** One on-demand node price the Price List API answered. */
export interface ListedNodePrice {
  region: string;
  /** redis, valkey or memcached (the Price List's cacheEngine, lower-cased). */
  engine: string;
  nodeType: string;
  hourlyUsd: number;
}

interface PriceDocument {
  product?: { productFamily?: string; attributes?: Record<string, string> };
  terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string; pricePerUnit?: { USD?: string } }> }> };
}

/**
 * The hourly on-demand USD of one PriceList entry, or null when it has none. The API sends each entry as a JSON
 * document inside a string; the SDK hands it over as a String object (its LazyJsonString), a plain string or parsed, depending on its version.
 */
export function nodePriceFromDocument(entry: unknown): ListedNodePrice | null {
  const doc = (typeof entry === "string" || entry instanceof String ? JSON.parse(String(entry)) : entry) as PriceDocument;
  const a = doc.product?.attributes;
  if (doc.product?.productFamily !== "Cache Instance" || !a?.instanceType || !a.regionCode || !a.cacheEngine) return null;
  for (const term of Object.values(doc.terms?.OnDemand ?? {})) {
    for (const dim of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(dim.pricePerUnit?.USD);
      // A "reserved instance applied" dimension prices 0: only a positive hourly figure is the on-demand price.
      if (dim.unit === "Hrs" && usd > 0) return { region: a.regionCode, engine: a.cacheEngine.toLowerCase(), nodeType: a.instanceType, hourlyUsd: usd };
    }
  }
  return null;
}

