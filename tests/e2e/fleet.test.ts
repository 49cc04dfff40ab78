import { readFile } from "node:fs/promises";
import type { Request } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { signedInPage } from "./session";

const baseUrl = inject("baseUrl");
const session = signedInPage(baseUrl, "viewer");

const rowIds = () => session.page.locator("[data-testid=cluster-row]").evaluateAll((rows) => rows.map((r) => `${r.getAttribute("data-region")}/${r.getAttribute("data-cluster")}`).sort());

describe("fleet page", () => {
  it("lists every demo cluster of both regions with its health, engine and topology", async () => {
    await session.page.goto(`${baseUrl}/`);
    await session.page.locator("[data-testid=cluster-row]").first().waitFor();
    expect(await rowIds()).toEqual([
      "eu-west-1/feature-flags",
      "eu-west-1/pricing-memcached",
      "us-east-1/catalog-cache",
      "us-east-1/orders-sessions",
      "us-east-1/user-profiles",
    ]);
    const catalog = session.page.locator("[data-testid=cluster-row][data-cluster=catalog-cache]");
    await expect(catalog.textContent()).resolves.toMatch(/valkey 8\.0.*cluster mode.*cache\.m7g\.large.*3 × 2/);
    expect(await catalog.getAttribute("data-health")).toMatch(/^(healthy|warning|critical|unknown)$/);
    expect(await session.page.getByTestId("count-total").textContent()).toBe("5");
  });

  it("shows health figures measured by CloudWatch for the node-based clusters", async () => {
    const page = session.page;
    // The collector publishes every few seconds; reload until the first figures are in.
    const memoryOf = (id: string) => page.locator(`[data-testid=cluster-row][data-cluster=${id}] [data-metric=memory]`).textContent();
    for (const deadline = Date.now() + 90_000; ; ) {
      await page.goto(`${baseUrl}/?range=15m`);
      await page.locator("[data-testid=cluster-row]").first().waitFor();
      if ((await memoryOf("orders-sessions")) !== "—" && (await memoryOf("catalog-cache")) !== "—") break;
      if (Date.now() > deadline) throw new Error("no memory figures on the fleet page after 90 s");
      await page.waitForTimeout(2_000);
    }
    for (const id of ["orders-sessions", "catalog-cache", "feature-flags"]) {
      expect(await memoryOf(id)).toMatch(/^\d+(\.\d)?%$/);
      expect(await page.locator(`[data-testid=cluster-row][data-cluster=${id}] [data-metric=cpu]`).textContent()).toMatch(/^\d+(\.\d)?%$/);
      expect(await page.locator(`[data-testid=cluster-row][data-cluster=${id}]`).getAttribute("data-health")).not.toBe("unknown");
    }
    expect(await page.locator("[data-testid=cluster-row][data-cluster=pricing-memcached] [data-metric=cpu]").textContent()).toMatch(/%$/);
  });

  it("filters by region from the menu, keeps the filter in the URL, and searches", async () => {
    await session.page.goto(`${baseUrl}/`);
    // The menus submit on change once hydrated (before that, the Apply button does it).
    await session.page.locator("form[data-autosubmit=ready]").waitFor();
    await session.page.getByLabel("Region").selectOption("eu-west-1");
    await session.page.waitForURL(/region=eu-west-1/);
    await session.page.waitForFunction(() => document.querySelectorAll("[data-testid=cluster-row]").length === 2);
    expect(await rowIds()).toEqual(["eu-west-1/feature-flags", "eu-west-1/pricing-memcached"]);

    await session.page.goto(`${baseUrl}/?q=catalog`);
    expect(await rowIds()).toEqual(["us-east-1/catalog-cache"]);
    await session.page.goto(`${baseUrl}/?engine=memcached`);
    expect(await rowIds()).toEqual(["eu-west-1/pricing-memcached"]);
  });

  it("sorts by name from the column header, both ways", async () => {
    await session.page.goto(`${baseUrl}/`);
    await session.page.getByRole("link", { name: /^Name/ }).click();
    await session.page.waitForURL(/sort=name&dir=asc|dir=asc&sort=name|sort=name/);
    const names = () => session.page.locator("[data-testid=cluster-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster")));
    await session.page.waitForFunction(() => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") === "catalog-cache");
    expect(await names()).toEqual(["catalog-cache", "feature-flags", "orders-sessions", "pricing-memcached", "user-profiles"]);
    // The headers are memoised: the one sorted before must lose its state as the new one gains it.
    const header = (name: RegExp) => session.page.getByRole("columnheader", { name });
    expect(await header(/^Name/).getAttribute("aria-sort")).toBe("ascending");
    expect(await header(/^Health/).getAttribute("aria-sort")).toBeNull();
    expect(await header(/^Health/).getByRole("link").getAttribute("href")).toMatch(/sort=health&dir=desc|dir=desc&sort=health/);
    await session.page.getByRole("link", { name: /^Name/ }).click();
    await session.page.waitForFunction(() => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") === "user-profiles");
    expect(session.page.url()).toMatch(/dir=desc/);
    expect(await header(/^Name/).getAttribute("aria-sort")).toBe("descending");
    expect(await header(/^Name/).getByRole("link").getAttribute("href")).toMatch(/dir=asc/);
  });

  it("goes Back and Forward through sorts and filters, the table and its controls following the URL", async () => {
    const page = session.page;
    const names = () => page.locator("[data-testid=cluster-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster")));
    const firstIs = (id: string) => page.waitForFunction((id) => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") === id, id);
    const nameSort = () => page.getByRole("columnheader", { name: /^Name/ }).getAttribute("aria-sort");
    const byName = ["catalog-cache", "feature-flags", "orders-sessions", "pricing-memcached", "user-profiles"];
    await page.goto(`${baseUrl}/?sort=name`);
    await page.locator("form[data-autosubmit=ready]").waitFor();
    await page.getByRole("link", { name: /^Name/ }).click();
    await firstIs("user-profiles");

    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get("sort") === "name" && !url.searchParams.has("dir"));
    await firstIs("catalog-cache");
    expect(await names()).toEqual(byName);
    expect(await nameSort()).toBe("ascending");
    await page.goForward();
    await page.waitForURL(/dir=desc/);
    await firstIs("user-profiles");
    expect(await names()).toEqual([...byName].reverse());
    expect(await nameSort()).toBe("descending");

    await page.getByLabel("Engine").selectOption("memcached");
    await page.getByTestId("shown-count").filter({ hasText: "Showing 1 of 5" }).waitFor();
    await page.goBack();
    await page.getByTestId("shown-count").filter({ hasText: "Showing 5 of 5" }).waitFor();
    expect(await page.getByLabel("Engine").inputValue()).toBe("");
    expect(await names()).toEqual([...byName].reverse());
  });

  it("keeps the sort, the filters and the search when another time range is picked, and the range when sorting again", async () => {
    const page = session.page;
    const names = () => page.locator("[data-testid=cluster-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster")));
    const rangeLink = (name: string) => page.getByRole("navigation", { name: "Time range" }).getByRole("link", { name, exact: true });
    const query = () => Object.fromEntries(new URL(page.url()).searchParams);
    const view = { sort: "name", dir: "desc", region: "us-east-1", q: "valkey" };
    await page.goto(`${baseUrl}/?range=1h`);
    await page.locator("form[data-autosubmit=ready]").waitFor();
    // Requests for the fleet page (navigations and prefetches both carry the RSC header) while sorting and filtering:
    // none. The navigation bar's links to other pages are prefetched whenever Next gets to them, whatever the table does.
    const serverRequests: string[] = [];
    const onRequest = (request: Request) => {
      if (request.headers()["rsc"] && new URL(request.url()).pathname === "/") serverRequests.push(request.url());
    };
    page.on("request", onRequest);
    try {
      await page.getByRole("link", { name: /^Name/ }).click();
      await page.waitForURL((url) => url.searchParams.get("sort") === "name");
      await page.getByRole("link", { name: /^Name/ }).click();
      await page.waitForURL((url) => url.searchParams.get("dir") === "desc");
      await page.getByLabel("Region").selectOption("us-east-1");
      await page.getByLabel("Search").fill("valkey");
      await page.waitForURL((url) => url.searchParams.get("q") === "valkey");
      await page.getByTestId("shown-count").filter({ hasText: "Showing 2 of 5" }).waitFor();
      expect(await names()).toEqual(["user-profiles", "catalog-cache"]);
      // A real link to the same view in another range, for a middle-click as much as for a click.
      const href = new URL((await rangeLink("3h").getAttribute("href"))!, baseUrl);
      expect(Object.fromEntries(href.searchParams)).toEqual({ ...view, range: "3h" });
      const customRange = await page.locator("details form input[type=hidden]").evaluateAll((inputs) => inputs.map((i) => [i.getAttribute("name"), i.getAttribute("value")]));
      expect(Object.fromEntries(customRange)).toEqual({ ...view, range: "custom" });
    } finally {
      page.off("request", onRequest);
    }
    expect(serverRequests).toEqual([]);

    await rangeLink("3h").click();
    await page.waitForURL((url) => url.searchParams.get("range") === "3h");
    await page.getByText("health over last 3 hours").waitFor();
    expect(query()).toEqual({ ...view, range: "3h" });
    expect(await rangeLink("3h").getAttribute("aria-current")).toBe("page");
    expect(await names()).toEqual(["user-profiles", "catalog-cache"]);
    expect(await page.getByLabel("Search").inputValue()).toBe("valkey");
    expect(await page.getByLabel("Region").inputValue()).toBe("us-east-1");
    expect(await page.getByRole("columnheader", { name: /^Name/ }).getAttribute("aria-sort")).toBe("descending");

    await page.goBack();
    await page.waitForURL((url) => url.searchParams.get("range") === "1h");
    await page.getByText("health over last hour").waitFor();
    expect(query()).toEqual({ ...view, range: "1h" });
    expect(await names()).toEqual(["user-profiles", "catalog-cache"]);
    await page.goForward();
    await page.getByText("health over last 3 hours").waitFor();
    expect(query()).toEqual({ ...view, range: "3h" });

    // And the other way: a sort after the range change keeps the range.
    await page.getByRole("link", { name: /^Name/ }).click();
    await page.waitForURL((url) => url.searchParams.get("dir") === "asc");
    expect(query()).toEqual({ ...view, dir: "asc", range: "3h" });
    await page.waitForFunction(() => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") === "catalog-cache");
    expect(await names()).toEqual(["catalog-cache", "user-profiles"]);
  });

  it("is usable from the keyboard and switches to dark mode", async () => {
    const page = session.page;
    await page.goto(`${baseUrl}/?sort=name`);
    await page.locator("[data-testid=cluster-row]").first().waitFor();
    const link = page.locator("[data-testid=cluster-row][data-cluster=catalog-cache] th a");
    await link.focus();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("catalog-cache");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/clusters\/us-east-1\/catalog-cache/);
    await page.getByTestId("az-column").first().waitFor();

    await page.getByRole("button", { name: "Switch to dark mode" }).click();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(true);
    await page.getByRole("button", { name: "Switch to light mode" }).click();
    expect(await page.evaluate(() => document.documentElement.classList.contains("dark"))).toBe(false);
  });

  it("shows the Redis OSS 6 cache's engine support and every cache's posture badge, filters by them, and downloads the posture CSV", async () => {
    const page = session.page;
    const beforeExtended = Date.now() < Date.parse("2027-02-01T00:00:00Z");
    await page.goto(`${baseUrl}/`);
    await page.locator("form[data-autosubmit=ready]").waitFor();
    const flags = page.locator("[data-testid=cluster-row][data-cluster=feature-flags]");
    expect(await flags.getByTestId("lifecycle").getAttribute("data-lifecycle")).toBe(beforeExtended ? "standard-ends-soon" : "extended-support");
    expect(await flags.getByTestId("lifecycle").textContent()).toMatch(beforeExtended ? /Standard support ends 31 January 2027/ : /Extended Support since 1 February 2027/);
    // feature-flags has no backups and sits in the default subnet group: high-severity findings.
    const badge = flags.getByTestId("posture-badge");
    expect(await badge.textContent()).toMatch(/^\W*\d+ findings?/);
    expect(await badge.getAttribute("data-severity")).toBe("high");
    expect(await page.locator("[data-testid=cluster-row][data-cluster=user-profiles] [data-testid=posture-badge]").getAttribute("data-findings")).toBe("0");

    await page.getByLabel("Lifecycle").selectOption("standard-ends-soon");
    await page.waitForURL(/lifecycle=standard-ends-soon/);
    // Applied in the browser, on rows it holds: once the URL changed the table shows only the matches.
    await page.waitForFunction(() => !document.querySelector("[data-testid=cluster-row][data-cluster=orders-sessions]"));
    expect(await rowIds()).toEqual(beforeExtended ? ["eu-west-1/feature-flags"] : []);
    await page.goto(`${baseUrl}/?posture=ElastiCache.7`);
    // Every node-based demo cache but orders-sessions (subnet group orders-private) is in the default subnet group; the
    // serverless one is not judged.
    expect(await rowIds()).toEqual(["eu-west-1/feature-flags", "eu-west-1/pricing-memcached", "us-east-1/catalog-cache"]);

    await page.goto(`${baseUrl}/?region=eu-west-1`);
    await page.locator("form[data-autosubmit=ready]").waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("posture-export").click()]);
    expect(download.suggestedFilename()).toMatch(/^cachedeck-posture-.*\.csv$/);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.trim().split("\r\n");
    expect(lines[0]).toMatch(/^account,region,kind,cache,engine,engine_version,lifecycle_state,/);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[3]))).toEqual(new Set(["feature-flags", "pricing-memcached"]));
    expect(lines.find((l) => l.includes("feature-flags") && l.includes(",ElastiCache.7,"))).toMatch(/,2027-01-31,.*,high,fail,/);

    // The cluster page says what happens when, what to upgrade to, and each control with its fix.
    await page.goto(`${baseUrl}/clusters/eu-west-1/feature-flags`);
    const support = page.getByTestId("engine-support");
    expect(await support.textContent()).toMatch(/Redis OSS 6.*31 January 2027.*1 February 2027.*Extended Support.*Valkey 8\.x/s);
    expect(await page.getByTestId("upgrade-engine-link").getAttribute("href")).toMatch(/^\/clusters\/[^/]+\/feature-flags\/operations\?op=upgrade-engine&engine=valkey$/);
    expect(await page.locator("[data-testid=controls] tr[data-control='ElastiCache.7']").getAttribute("data-outcome")).toBe("fail");
    expect(await page.locator("[data-testid=controls] tr[data-control='ElastiCache.7']").textContent()).toMatch(/create-cache-subnet-group/);
    // A replication group, so the group controls apply: not encrypted at rest.
    expect(await page.locator("[data-testid=controls] tr[data-control='ElastiCache.4']").getAttribute("data-outcome")).toBe("fail");
  });

  it("fits a phone's width: no page scrolls sideways, header included", async () => {
    const page = session.page;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const path of ["/", "/clusters/us-east-1/catalog-cache"]) {
        await page.goto(`${baseUrl}${path}`);
        await page.getByTestId("user-menu").waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});
