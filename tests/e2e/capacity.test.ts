import { describe, expect, inject, it } from "vitest";
import type { Page } from "playwright-core";
import { waitFor } from "@/emulator/nodes/wait-for";
import { signedInPage } from "./session";

// Capacity on the shared demo app (read only: following a rightsizing link opens the pre-filled form, nothing is
// submitted). The demo fleet seeds 14 days of history: orders-sessions is filling up, catalog-cache is over-sized.

const baseUrl = inject("baseUrl");
const session = signedInPage(baseUrl, "admin");

/** The capacity read starts with the first page that asks and answers shortly after: reload until it is in. */
async function openUntil(page: Page, url: string, testId: string): Promise<void> {
  await waitFor(
    async () => {
      await page.goto(url);
      return (await page.getByTestId(testId).count()) > 0;
    },
    { timeoutMs: 60_000, intervalMs: 1_000, description: `${testId} on ${url}` },
  );
}

describe("capacity forecast and rightsizing", () => {
  it("lists the cache that fills up first on the overview and dates it on the fleet", async () => {
    const page = session.page;
    await openUntil(page, `${baseUrl}/overview`, "fills-up-entry");
    const first = page.getByTestId("fills-up-entry").first();
    expect(await first.getAttribute("data-cluster")).toBe("orders-sessions");
    expect(await first.textContent()).toMatch(/memory on \d{4}-\d{2}-\d{2}, in (2\d|3[0-2]) days/);

    await page.goto(`${baseUrl}/?sort=fillsUp`);
    const row = page.locator("[data-testid=cluster-row][data-cluster=orders-sessions]");
    await row.waitFor();
    expect(await row.locator("[data-metric=fills-up]").textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(await page.locator("[data-testid=cluster-row]").first().getAttribute("data-cluster")).toBe("orders-sessions");
    expect(await page.locator("[data-testid=cluster-row][data-cluster=catalog-cache] [data-metric=fills-up]").textContent()).toBe("—");
  });

  it("draws the 14-day trend with its projection for the cache filling up", async () => {
    const page = session.page;
    await openUntil(page, `${baseUrl}/clusters/us-east-1/orders-sessions`, "capacity-chart");
    expect(await page.getByTestId("fills-up-date").textContent()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const peaks = await page.getByTestId("capacity-peaks").getAttribute("points");
    expect(peaks!.trim().split(" ").length).toBeGreaterThanOrEqual(13);
    await page.getByTestId("capacity-projection").waitFor({ state: "attached" });
    // Memory-bound, not read-bound: its two replicas' reads (21% engine CPU at peak) fit on one, which Multi-AZ keeps.
    expect(await page.getByTestId("rightsizing-target").textContent()).toBe("1 × cache.r7g.large with 1 replica per shard");
    // The snapshot's Redis OSS cache.r7g.large in us-east-1, $0.219 a node-hour, × 1 node × 730 hours = $160.
    expect(await page.getByTestId("rightsizing-saving").textContent()).toMatch(/^Saves \$160 a month/);
    // Its three nodes are the demo's reservation of three cache.r7g.large: two nodes after the change are still
    // covered, so nothing is saved until the reservation ends.
    expect(await page.getByTestId("rightsizing-reserved").textContent()).toMatch(
      /^3 of its nodes are reserved \(the first reservation ends \d{4}-\d{2}-\d{2}\) and billed for the whole term whatever the shape: until then the change saves nothing\.$/,
    );
  });

  it("recommends one shard for the over-sized cache with its saving, linking to the pre-filled resharding", async () => {
    const page = session.page;
    await openUntil(page, `${baseUrl}/clusters/us-east-1/catalog-cache`, "rightsizing-target");
    const card = page.getByTestId("rightsizing");
    expect(await card.textContent()).toContain("Over-sized");
    expect(await page.getByTestId("rightsizing-target").textContent()).toBe("1 × cache.m7g.large with 1 replica per shard");
    // The price snapshot's Valkey cache.m7g.large in us-east-1, $0.1264 a node-hour, × 4 nodes fewer × 730 hours = $369.
    expect(await page.getByTestId("rightsizing-saving").textContent()).toMatch(/^Saves \$369 a month on demand \(prices of \d{4}-\d{2}-\d{2}\)\.$/);
    // Four of its six nodes draw the demo's reservation that ends in 12 days. Until then the two nodes of one shard are
    // covered by it and the two on-demand nodes go: 2 × $0.1264 × 730 hours = $185.
    const reserved = await page.getByTestId("rightsizing-reserved").textContent();
    const ends = /^4 of its nodes are reserved \(the first reservation ends (\d{4}-\d{2}-\d{2})\) and billed for the whole term whatever the shape: until then the change saves \$185 a month\.$/.exec(reserved ?? "");
    expect(ends, reserved ?? "").not.toBeNull();
    expect(Math.round((Date.parse(ends![1]) - Date.now()) / 86_400_000)).toBeGreaterThanOrEqual(11);
    expect(Math.round((Date.parse(ends![1]) - Date.now()) / 86_400_000)).toBeLessThanOrEqual(13);
    const link = page.getByTestId("rightsizing-link");
    expect(await link.getAttribute("href")).toBe("/clusters/us-east-1/catalog-cache/operations?op=modify-shard-count&shards=1");
    await link.click();
    await page.getByTestId("prefill-note").waitFor();
    expect(await page.locator("[data-testid=operation-shard-count] input[name=shardCount]").inputValue()).toBe("1");
  });

  it("forecasts the Memcached cluster's item memory and the serverless cache's data stored against its maximum", async () => {
    const page = session.page;
    await openUntil(page, `${baseUrl}/clusters/eu-west-1/pricing-memcached`, "capacity-chart");
    // The steady model: ~40% of each cache.t4g.medium's item memory (3.09 GiB less 100 MiB = 3.21 GB), flat.
    expect(await page.getByTestId("capacity-figures").textContent()).toMatch(/item memory: latest peak (3\d|4\d)\.\d% of 3\.21 GB/);
    expect(await page.getByTestId("capacity-forecast").textContent()).toContain("do not reach their limits within 90 days");
    expect(await page.getByTestId("rightsizing").textContent()).toContain("Redis OSS and Valkey caches only");

    await openUntil(page, `${baseUrl}/serverless/us-east-1/user-profiles`, "capacity-chart");
    // Seeded at 2% of its 10 GB maximum (±1 point of daily wobble), +0.05 points a day: no date within 90 days.
    expect(await page.getByTestId("capacity-figures").textContent()).toMatch(/data stored: latest peak [1-3]\.\d% of 10 GB/);
    expect(await page.getByTestId("capacity-forecast").textContent()).toContain("Data stored does not reach its limit within 90 days");
  });
});
