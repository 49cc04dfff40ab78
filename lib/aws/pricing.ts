import "server-only";
import { GetProductsCommand, type Filter } from "@aws-sdk/client-pricing";
import { accountsConfig } from "@/lib/accounts";
import { nodePriceFromDocument, type ListedNodePrice } from "@/lib/cost/price-documents";
import { pricingClient } from "./clients";
import { callAws } from "./errors";
import { drainPages } from "./paging";

export type { ListedNodePrice } from "@/lib/cost/price-documents";

/**
 * On-demand node prices of `nodeTypes` in `region` (every engine) from GetProducts, ServiceCode AmazonElastiCache,
 * filtered by regionCode and instanceType (ANY_OF): one paged call per region, whatever the number of types.
 */
export function listNodePrices(region: string, nodeTypes: string[]): Promise<ListedNodePrice[]> {
  const client = pricingClient();
  const filters: Filter[] = [
    { Type: "TERM_MATCH", Field: "regionCode", Value: region },
    { Type: "TERM_MATCH", Field: "productFamily", Value: "Cache Instance" },
    { Type: "ANY_OF", Field: "instanceType", Value: nodeTypes.join(",") },
  ];
  return callAws({ service: "pricing", account: accountsConfig().defaultAccount, region: "us-east-1", operation: "GetProducts" }, async () => {
    const items = await drainPages(async (NextToken) => {
      const out = await client.send(new GetProductsCommand({ ServiceCode: "AmazonElastiCache", Filters: filters, FormatVersion: "aws_v1", MaxResults: 100, NextToken }));
      return { items: out.PriceList as unknown[] | undefined, next: out.NextToken || undefined };
    });
    return items.flatMap((entry) => nodePriceFromDocument(entry) ?? []);
  });
}
