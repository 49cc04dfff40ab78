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
    await expect(session.page.getByText("Primary endpoint").isVisible()).resolves.toBe(true);
  });

  it("shows a cluster-mode group's shards with their slot ranges", async () => {
    await session.page.goto(`${baseUrl}/clusters/us-east-1/catalog-cache`);
    const shards = session.page.getByTestId("shard-row");
    await shards.first().waitFor();
    expect(await shards.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-shard")))).toEqual(["0001", "0002", "0003"]);
    expect(await shards.first().textContent()).toMatch(/0-5460/);
  });

  // The page streams behind its loading skeleton, so the status is already 200 when the lookup finds nothing.
  it("answers an unknown cluster, or a region that is not configured, with the not-found page", async () => {
    await session.page.goto(`${baseUrl}/clusters/us-east-1/no-such-cluster`);
    await expect(session.page.getByRole("heading", { name: "No such cluster" }).isVisible()).resolves.toBe(true);
    await session.page.goto(`${baseUrl}/clusters/ap-south-1/orders-sessions`);
    await expect(session.page.getByRole("heading", { name: "No such cluster" }).isVisible()).resolves.toBe(true);
  });
});
