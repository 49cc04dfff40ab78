import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAwsCalls } from "@/lib/aws";
import { listNodePrices } from "@/lib/aws/pricing";
import { describeReservedNodes } from "@/lib/aws/reserved-nodes";
import { priceOf, snapshotPriceBook } from "@/lib/cost/prices";
import { at } from "../../helpers/place";
import { startTestEmulator, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";

// The emulator's Price List subset and reserved nodes, read by boto3 (as a real client would) and by the app's own
// lib/aws through the SDK, configured only with AWS_ENDPOINT_URL. A fleet without caches keeps it quick.
const run = promisify(execFile);
let emulator: TestEmulator;
const DAY = 86_400_000;

beforeAll(async () => {
  const fleetFile = path.join(fs.mkdtempSync(path.join(process.env.TMPDIR ?? "/tmp", "cachedeck-pricing-")), "fleet.json");
  fs.writeFileSync(
    fleetFile,
    JSON.stringify({
      regions: {
        "us-east-1": {
          reservedCacheNodes: [
            { ReservedCacheNodeId: "ri-covering", CacheNodeType: "cache.r7g.large", CacheNodeCount: 3, ProductDescription: "redis", HourlyCharge: 0.142, startedDaysAgo: 100 },
            { ReservedCacheNodeId: "ri-old", CacheNodeType: "cache.t4g.small", CacheNodeCount: 1, ProductDescription: "valkey", HourlyCharge: 0.02, startedDaysAgo: 400 },
          ],
        },
      },
    }),
  );
  emulator = await startTestEmulator({ fleetFile, workload: false });
  pointAwsSdkAt(emulator.url);
});
afterAll(() => emulator?.dispose());

const boto3 = (code: string) =>
  run("python3", ["-c", code, emulator.url], { env: { ...process.env, AWS_DEFAULT_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" } }).then((r) => JSON.parse(r.stdout));

describe("Price List subset", () => {
  it("answers boto3's GetProducts with the snapshot's price, filtered and paged", async () => {
    const out = await boto3(`
import boto3, json, sys
c = boto3.client("pricing", endpoint_url=sys.argv[1], region_name="us-east-1")
f = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": "us-east-1"}, {"Type": "TERM_MATCH", "Field": "instanceType", "Value": "cache.r7g.large"}]
one = c.get_products(ServiceCode="AmazonElastiCache", Filters=f)
pages = list(c.get_paginator("get_products").paginate(ServiceCode="AmazonElastiCache", Filters=f[:1], PaginationConfig={"PageSize": 7}))
try:
    c.get_products(ServiceCode="AmazonElastiCache", Filters=[{"Type": "TERM_MATCH", "Field": "colour", "Value": "x"}])
    err = None
except c.exceptions.InvalidParameterException as e:
    err = e.response["Error"]["Code"]
svc = c.describe_services(ServiceCode="AmazonElastiCache")["Services"][0]
print(json.dumps({"items": [json.loads(p) for p in one["PriceList"]], "pages": [len(p["PriceList"]) for p in pages], "err": err, "attrs": svc["AttributeNames"]}))
`);
    const byEngine = Object.fromEntries(
      out.items.map((i: { product: { attributes: Record<string, string> }; terms: { OnDemand: Record<string, { priceDimensions: Record<string, { pricePerUnit: { USD: string } }> }> } }) => [
        i.product.attributes.cacheEngine,
        Number(Object.values(Object.values(i.terms.OnDemand)[0].priceDimensions)[0].pricePerUnit.USD),
      ]),
    );
    expect(byEngine).toEqual({ Redis: 0.219, Valkey: 0.1752, Memcached: 0.219 });
    // 20 node types × 3 engines in us-east-1, 7 a page.
    expect(out.pages.reduce((a: number, b: number) => a + b, 0)).toBe(60);
    expect(out.pages[0]).toBe(7);
    expect(out.err).toBe("InvalidParameterException");
    expect(out.attrs).toContain("instanceType");
  });

  it("gives the app's GetProducts every engine's price of the types asked for, in one call, equal to the snapshot", async () => {
    const { result, calls } = await countAwsCalls(() => listNodePrices("us-east-1", ["cache.r7g.large", "cache.t4g.micro"]));
    expect(calls.map((c) => `${c.service}:${c.operation}`)).toEqual(["pricing:GetProducts"]);
    expect(result).toHaveLength(6);
    for (const p of result) expect(p.hourlyUsd).toBe(priceOf(p, snapshotPriceBook())?.hourlyUsd);
    expect(await listNodePrices("eu-west-1", ["cache.r7g.large"])).toEqual([]);
  });
});

describe("reserved nodes", () => {
  it("answers boto3's DescribeReservedCacheNodes with the fleet's purchases and their state", async () => {
    const out = await boto3(`
import boto3, json, sys
c = boto3.client("elasticache", endpoint_url=sys.argv[1], region_name="us-east-1")
r = c.describe_reserved_cache_nodes()["ReservedCacheNodes"]
try:
    c.describe_reserved_cache_nodes(ReservedCacheNodeId="nope")
    err = None
except c.exceptions.ReservedCacheNodeNotFoundFault as e:
    err = e.response["Error"]["Code"]
print(json.dumps({"r": [{k: str(v) for k, v in x.items()} for x in r], "err": err}))
`);
    expect(out.r.map((r: Record<string, string>) => [r.ReservedCacheNodeId, r.State, r.CacheNodeCount])).toEqual([
      ["ri-covering", "active", "3"],
      ["ri-old", "retired", "1"],
    ]);
    expect(out.err).toBe("ReservedCacheNodeNotFound");
  });

  it("gives the app each purchase with its end and hourly charge", async () => {
    const [covering, old] = await describeReservedNodes(at("us-east-1"));
    expect(covering).toMatchObject({ id: "ri-covering", nodeType: "cache.r7g.large", count: 3, engine: "redis", state: "active", hourlyUsd: 0.142 });
    expect(covering.end - covering.start).toBe(365 * DAY);
    expect(Math.round((covering.end - Date.now()) / DAY)).toBe(265);
    expect(old.state).toBe("retired");
    expect(await describeReservedNodes(at("eu-west-1"))).toEqual([]);
  });
});
