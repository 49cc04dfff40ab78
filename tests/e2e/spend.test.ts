import { describe, expect, inject, it } from "vitest";
import { signedInPage } from "./session";

// Issue 15 in the browser, on the shared demo app (read only): every cache's monthly cost on the fleet, the total with
// its price date, and /spend. Expected figures are the snapshot's us-east-1 prices worked out by hand: orders-sessions'
// three r7g.large nodes are covered by the demo's reservation at $0.142 an hour (3 × 0.142 × 730 = $310.98) once the
// hourly DescribeReservedCacheNodes read has landed, $479.61 on demand before. feature-flags (eu-west-1, a Redis OSS 6
// replication group of two cache.t4g.small nodes) is priced from the snapshot's eu-west-1 row: 2 × 0.034 × 730 = $49.64,
// plus 80% Extended Support from 1 Feb 2027 (the posture calendar): 49.64 + 0.8 × 49.64 = $89.35. user-profiles, the
// serverless Valkey cache in us-east-1, is metered from its last hour's usage (measured, so no exact figure): at least
// AWS's minimum of 100 MB stored at the snapshot's Valkey $0.084 per GB-hour, 0.1 × 0.084 × 730 = $6.13 a month, plus
// its ECPUs. Every demo cache has a price, so the fleet total leaves none out.
const baseUrl = inject("baseUrl");
const session = signedInPage(baseUrl, "viewer");

const costOf = (id: string) => session.page.locator(`[data-testid=cluster-row][data-cluster=${id}] [data-metric=monthly-cost]`).textContent();
/** "$1,234" or "$310.98" as a number. */
const usd = (text: string | null) => Number(text!.replace(/^\$/, "").replaceAll(",", ""));

describe("monthly cost", () => {
  it("shows every cache's cost (reserved nodes at their rate, eu-west-1 at its own prices, serverless metered) and the total of all of them with its price date", async () => {
    const page = session.page;
    // The hourly reservations and serverless-usage read lands within the first minute or two of the app: until then
    // orders-sessions is on demand, and user-profiles has no cost until a read finds its usage (read again each minute
    // while it has none; the emulator publishes its first points a minute after start).
    for (const deadline = Date.now() + 150_000; ; ) {
      await page.goto(`${baseUrl}/`);
      await page.locator("[data-testid=cluster-row]").first().waitFor();
      const [orders, profiles] = [await costOf("orders-sessions"), await costOf("user-profiles")];
      if (orders === "$310.98" && /^\$/.test(profiles ?? "")) break;
      expect(orders).toMatch(/^\$(479\.61|310\.98)$/);
      if (Date.now() > deadline) throw new Error(`after 150 s orders-sessions costs ${orders} and user-profiles ${profiles}`);
      await page.waitForTimeout(2_000);
    }
    expect(await costOf("feature-flags")).toBe(Date.now() < Date.parse("2027-02-01T00:00:00Z") ? "$49.64" : "$89.35");
    const profiles = await costOf("user-profiles");
    expect(profiles).toMatch(/^\$[\d,]+\.\d\d$/);
    expect(usd(profiles)).toBeGreaterThanOrEqual(6.13);
    // Every row priced, and the total is their sum (shown to the cent below $1,000, to the dollar above).
    const costs = await page.locator("[data-testid=cluster-row] [data-metric=monthly-cost]").allTextContents();
    expect(costs).toHaveLength(5);
    for (const cost of costs) expect(cost).toMatch(/^\$[\d,]+(\.\d\d)?$/);
    const total = await page.getByTestId("fleet-cost-total").textContent();
    expect(total).toMatch(/^Fleet monthly cost \$[\d,.]+ · prices of /);
    expect(total).not.toMatch(/without a price/);
    expect(Math.abs(usd(await page.getByTestId("fleet-cost-usd").textContent()) - costs.map(usd).reduce((a, b) => a + b, 0))).toBeLessThanOrEqual(0.5);
    expect(await page.getByTestId("fleet-price-date").textContent()).toMatch(/prices of \d{4}-\d{2}-\d{2} \((AWS Price List API|bundled snapshot)\)/);

    await page.goto(`${baseUrl}/overview`);
    expect(await page.getByTestId("fleet-cost-total").textContent()).toMatch(/^Fleet monthly cost \$[\d,.]+ · prices of /);
  });

  it("renders /spend: totals by region, the expiring reservation, the Valkey saving with its upgrade link", async () => {
    const page = session.page;
    await page.goto(`${baseUrl}/spend?by=team`);
    expect(await page.getByTestId("spend-total").textContent()).toMatch(/^\$[\d,.]+ per month$/);
    expect(await page.getByTestId("spend-prices").textContent()).toMatch(/^5 caches\. Prices of /);
    const profiles = page.getByTestId("spend-lines").locator("tr", { hasText: "user-profiles" });
    expect(await profiles.textContent()).toMatch(/serverless\$[\d,]+\.\d\d[\d.]+ GB stored, [\d,]+ ECPUs\/hour/);
    expect(await page.getByTestId("spend-lines").textContent()).not.toContain("no price");
    expect(await page.getByTestId("spend-by-region").textContent()).toMatch(/us-east-1/);
    expect(await page.getByTestId("spend-by-tag").textContent()).toMatch(/checkout/);
    await expect(page.getByTestId("reservation-expiring").textContent()).resolves.toMatch(/expires in 1[12] days/);
    const orders = page.getByTestId("valkey-savings").locator("tr", { hasText: "orders-sessions" });
    // 3 × (0.219 − 0.1752) × 730 = 95.922
    expect(await orders.textContent()).toContain("$95.92");
    expect(await orders.getByRole("link", { name: "Upgrade to Valkey" }).getAttribute("href")).toMatch(/^\/clusters\/(production~)?us-east-1\/orders-sessions\/operations\?op=upgrade-engine&engine=valkey$/);
    // The Redis OSS 6 cache in eu-west-1, where the snapshot has no Valkey price: listed for what staying costs,
    // 2 × 0.034 × 0.8 × 730 = 39.712 a month from 1 Feb 2027, with no saving made up.
    const flags = page.getByTestId("valkey-savings").locator("tr", { hasText: "feature-flags" });
    expect(await flags.textContent()).toContain("no Valkey cache.t4g.small price for eu-west-1");
    expect(await flags.textContent()).toContain("$39.71 a month from 2027-02-01");
  });
});
