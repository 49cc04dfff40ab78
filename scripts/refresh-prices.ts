import fs from "node:fs";
import path from "node:path";
import { GetProductsCommand, PricingClient } from "@aws-sdk/client-pricing";
import { nodePriceFromDocument } from "@/lib/cost/price-documents";

// Rewrites the node-hour prices of prices/elasticache-prices.json from the AWS Price List API, with real credentials
// (the SDK's chain: AWS_PROFILE, SSO, keys) allowed pricing:GetProducts. Usage:
//   npx tsx scripts/refresh-prices.ts [region ...]      (default: the regions already in the snapshot, and eu-west-1)
// For each region it asks for the node types the snapshot already prices, every engine, and replaces those rows,
// naming the read as their source. Serverless prices and the Extended Support share are not in the Price List's
// node products: edit them by hand from the pricing page, with their source (docs/cost.md).

const file = path.join(__dirname, "../prices/elasticache-prices.json");
const snapshot = JSON.parse(fs.readFileSync(file, "utf8"));
const regions: string[] = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [...new Set<string>([...snapshot.nodeHours.map((r: { region: string }) => r.region), "eu-west-1"])];
const nodeTypes = [...new Set<string>(snapshot.nodeHours.flatMap((r: { prices: Record<string, number> }) => Object.keys(r.prices)))].sort();
// The Price List API answers from us-east-1 for every region's prices.
const client = new PricingClient({ region: "us-east-1" });
const today = new Date().toISOString().slice(0, 10);
const source = `price-list-${today}`;

async function pricesOf(region: string) {
  const found: Record<string, Record<string, number>> = {};
  let NextToken: string | undefined;
  do {
    const out = await client.send(
      new GetProductsCommand({
        ServiceCode: "AmazonElastiCache",
        Filters: [
          { Type: "TERM_MATCH", Field: "regionCode", Value: region },
          { Type: "TERM_MATCH", Field: "productFamily", Value: "Cache Instance" },
          { Type: "ANY_OF", Field: "instanceType", Value: nodeTypes.join(",") },
        ],
        MaxResults: 100,
        NextToken,
      }),
    );
    for (const entry of (out.PriceList as unknown[] | undefined) ?? []) {
      const p = nodePriceFromDocument(entry);
      if (p) (found[p.engine] ??= {})[p.nodeType] = p.hourlyUsd;
    }
    NextToken = out.NextToken || undefined;
  } while (NextToken);
  return found;
}

async function main() {
  const rows = snapshot.nodeHours.filter((r: { region: string }) => !regions.includes(r.region));
  for (const region of regions) {
    const byEngine = await pricesOf(region);
    for (const [engine, prices] of Object.entries(byEngine)) {
      rows.push({ region, engine, source, prices: Object.fromEntries(Object.entries(prices).sort(([a], [b]) => a.localeCompare(b))) });
      console.log(`${region} ${engine}: ${Object.keys(prices).length} node types`);
    }
    if (Object.keys(byEngine).length === 0) console.log(`${region}: no node products answered (a region AWS does not sell these types in?)`);
  }
  snapshot.nodeHours = rows;
  snapshot.sources[source] = { what: "AWS Price List API GetProducts (AmazonElastiCache, productFamily Cache Instance), read by scripts/refresh-prices.ts", date: today };
  snapshot.snapshotDate = today;
  fs.writeFileSync(file, JSON.stringify(snapshot, null, 1) + "\n");
  console.log(`wrote ${file}; check the notes array still says what is missing`);
}

main().catch((error) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exit(1);
});
