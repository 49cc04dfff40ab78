import { describe, expect, inject, it } from "vitest";
import { signedInPage } from "./session";

const baseUrl = inject("baseUrl");
const session = signedInPage(baseUrl, "viewer");

describe("cluster page", () => {
  it("shows a replication group's nodes in one column per AZ, with exactly one primary", async () => {
    await session.page.goto(`${baseUrl}/clusters/us-east-1/orders-sessions`);
    const columns = session.page.getByTestId("az-column");
    await columns.first().waitFor();
    expect(await columns.evaluateAll((cs) => cs.map((c) => c.getAttribute("data-zone")))).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    for (const column of await columns.all()) expect(await column.getByTestId("node-card").count()).toBe(1);
    const roles = await session.page.getByTestId("node-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-role")).sort());
    expect(roles).toEqual(["primary", "replica", "replica"]);
    await expect(session.page.getByRole("heading", { level: 1 }).textContent()).resolves.toBe("orders-sessions");
    await session.page.getByText("Primary endpoint").waitFor();
  });

  it("draws charts with CloudWatch data points and refreshes them in place, without a reload", async () => {
    const page = session.page;
    await page.goto(`${baseUrl}/clusters/us-east-1/orders-sessions?range=15m&refresh=5`);
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    const points = (id: string) => page.locator(`[data-testid=chart-${id}]`).getAttribute("data-points").then(Number);
    for (const chart of ["engine-cpu", "memory", "connections"]) {
      await page.waitForFunction((id) => Number(document.querySelector(`[data-testid=chart-${id}]`)?.getAttribute("data-points")) > 0, chart, { timeout: 90_000 });
      expect(await points(chart)).toBeGreaterThan(0);
      // Charts draw one at a time (components/charts/render-turns.ts): wait for this one's turn.
      await page.locator(`[data-testid=chart-${chart}] path.recharts-curve`).first().waitFor({ state: "attached" });
    }
    expect(await page.locator("[data-testid=chart-memory] figcaption").textContent()).toMatch(/Latest: orders-sessions-001 \d+(\.\d)?%, orders-sessions-002 \d/);
    const firstRender = Number(await page.getByTestId("rendered-at").getAttribute("data-rendered-at"));
    await page.waitForFunction((t) => Number(document.querySelector("[data-testid=rendered-at]")?.getAttribute("data-rendered-at")) > t, firstRender, { timeout: 30_000 });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  });

  it("focuses the charts on one node from its card, and filters the events timeline", async () => {
    const page = session.page;
    await page.goto(`${baseUrl}/clusters/us-east-1/orders-sessions?range=15m`);
    await page.locator("[data-testid=node-card][data-node=orders-sessions-002] a").click();
    await page.waitForURL(/node=orders-sessions-002/);
    await page.waitForFunction(() => document.querySelector("[data-testid=chart-engine-cpu]")?.getAttribute("data-lines") === "orders-sessions-002", undefined, { timeout: 30_000 });
    await page.getByRole("link", { name: "show all nodes" }).click();
    await page.waitForFunction(() => document.querySelector("[data-testid=chart-engine-cpu]")?.getAttribute("data-lines")?.split("|").length === 3, undefined, { timeout: 30_000 });

    const events = page.locator("[data-testid=events] li[data-category]");
    await events.first().waitFor();
    const all = await events.count();
    const lifecycle = await page.locator("[data-testid=events] li[data-category=lifecycle]").count();
    expect(lifecycle).toBeGreaterThan(0);
    await page.getByRole("checkbox", { name: /Lifecycle/ }).uncheck();
    expect(await events.count()).toBe(all - lifecycle);
    await page.getByLabel("Filter events by text").fill("orders-sessions-003");
    expect(await events.evaluateAll((items) => items.every((i) => i.textContent?.includes("orders-sessions-003")))).toBe(true);
  });

  it("takes a custom time range from the picker into the URL and the charts' period", async () => {
    const page = session.page;
    await page.goto(`${baseUrl}/clusters/us-east-1/orders-sessions`);
    await page.getByText("Custom…").click();
    const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);
    const to = Date.now();
    await page.locator("input[name=from]").fill(iso(to - 2 * 3600_000));
    await page.locator("input[name=to]").fill(iso(to));
    await page.getByRole("button", { name: "Show range" }).click();
    await page.waitForURL(/range=custom/);
    await page.getByText(/one point per 1 min/).waitFor();
    expect(page.url()).toMatch(/from=\d{4}-\d\d-\d\dT\d\d(%3A|:)\d\d/);
    await page.getByRole("link", { name: "1h", exact: true }).click();
    await page.waitForURL(/range=1h/);
  });

  it("shows a cluster-mode group's shards with their slot ranges", async () => {
    await session.page.goto(`${baseUrl}/clusters/us-east-1/catalog-cache`);
    const shards = session.page.getByTestId("shard-row");
    await shards.first().waitFor();
    expect(await shards.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-shard")))).toEqual(["0001", "0002", "0003"]);
    expect(await shards.first().textContent()).toMatch(/0-5460/);
  });

  it("gives Memcached nodes without roles or replication, and a serverless cache its endpoint and limits", async () => {
    const page = session.page;
    await page.goto(`${baseUrl}/clusters/eu-west-1/pricing-memcached`);
    await page.getByTestId("node-card").first().waitFor();
    expect(await page.getByTestId("node-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-role")))).toEqual(["node", "node"]);
    expect(await page.getByTestId("az-column").count()).toBe(2);
    await page.getByTestId("chart-hit-rate").waitFor();
    expect(await page.getByTestId("chart-replication-lag").count()).toBe(0);

    await page.goto(`${baseUrl}/serverless/us-east-1/user-profiles`);
    await page.getByText("Data storage limit").waitFor();
    expect(await page.getByRole("main").textContent()).toMatch(/10 GB.*5,000 per second/);
    expect(await page.getByTestId("node-card").count()).toBe(0);
    await page.getByTestId("chart-ecpus").waitFor();
  });

  // The status (404) is asserted over HTTP in not-found-status.test.ts; this follows the page in the browser.
  it("answers an unknown cluster, or a region that is not configured, with the not-found page", async () => {
    await session.page.goto(`${baseUrl}/clusters/us-east-1/no-such-cluster`);
    await session.page.getByRole("heading", { name: "No such cluster" }).waitFor();
    await session.page.goto(`${baseUrl}/clusters/ap-south-1/orders-sessions`);
    await session.page.getByRole("heading", { name: "No such cluster" }).waitFor();
  });
});
