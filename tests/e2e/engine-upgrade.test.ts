import { CreateCacheClusterCommand, DescribeCacheClustersCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { isRead } from "../helpers/counting-proxy";
import { elasticacheClient, waitForReplicationGroup } from "../helpers/emulator";
import { groupStackPerFile } from "../helpers/group-stack";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./session";

// Upgrading a Redis OSS 6.2 group to Valkey from the browser, on this file's own small emulator (the shared demo
// fleet is never changed): the posture page's link opens the form with Valkey chosen, the effect is spelled out before
// the confirmation, and the cluster page follows the rolling replacement until the engine shows Valkey.

const GROUP = "legacy-cache";
const CLUSTER_PAGE = `/clusters/us-east-1/${GROUP}`;

const stack = groupStackPerFile({ group: GROUP, fleet: { EngineVersion: "6.2" } });
let browser: Browser;

// Both tests act as the admin: one sign-in for the browser context (a signed-in person gets no sign-in buttons).
beforeAll(async () => {
  browser = await launchBrowser();
  const page = await browser.context.newPage();
  await signIn(page, stack.app.url, "admin");
  await page.close();
});
afterAll(async () => {
  await browser?.close();
});


describe("engine upgrade from the browser", () => {
  it("admin: a standalone Redis OSS 6 cluster gets what to do instead of a form that would fail", async () => {
    const client = elasticacheClient(stack.emulator.url);
    await client.send(new CreateCacheClusterCommand({ CacheClusterId: "legacy-single", Engine: "redis", EngineVersion: "6.2", CacheNodeType: "cache.t4g.micro" }));
    await waitFor(
      async () => (await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "legacy-single" }))).CacheClusters![0].CacheClusterStatus === "available",
      { timeoutMs: 30_000, description: "legacy-single to be available" },
    );
    const page = await browser.context.newPage();
    // The posture panel explains it (no upgrade link) once the region's watcher has the new cluster.
    await waitFor(
      async () => {
        await page.goto(`${stack.app.url}/clusters/us-east-1/legacy-single`);
        return (await page.getByTestId("standalone-upgrade").count()) === 1;
      },
      { timeoutMs: 30_000, intervalMs: 1_000, description: "the cluster page's standalone upgrade advice" },
    );
    expect(await page.getByTestId("upgrade-engine-link").count()).toBe(0);
    // A link made by hand (or kept from before) gets the same advice, not a form or a 404.
    await page.goto(`${stack.app.url}/clusters/us-east-1/legacy-single/operations?op=upgrade-engine&engine=valkey`);
    const advice = (await page.getByTestId("standalone-upgrade").textContent()) ?? "";
    expect(advice).toContain("create-replication-group --replication-group-id legacy-single-rg --replication-group-description \"legacy-single\" --primary-cluster-id legacy-single");
    expect(advice).toContain("modify-cache-cluster --cache-cluster-id legacy-single --engine-version 7.1 --apply-immediately");
    expect(await page.getByTestId("operation-upgrade-engine").count()).toBe(0);
    await page.close();
  });

  it("admin: upgrades Redis OSS 6.2 to Valkey 8.0 and watches the cluster page until the engine is Valkey", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${stack.app.url}${CLUSTER_PAGE}/operations?op=upgrade-engine&engine=valkey`);
    const section = page.getByTestId("operation-upgrade-engine");
    await section.locator("form[data-ready=true]").waitFor();
    const effect = (await section.locator("form > p").first().textContent()) ?? "";
    expect(effect).toContain("from Redis OSS 6.2 to Valkey 8.0 (parameter group family valkey8, parameter group the default group default.valkey8)");
    expect(effect).toContain("one failover per shard");
    expect(effect).toContain("Extended Support charges for it stop");

    stack.proxy.reset();
    await section.getByRole("textbox").fill(GROUP);
    await section.getByRole("button", { name: "Upgrade engine" }).click();
    await page.waitForURL((url) => url.pathname === CLUSTER_PAGE, { timeout: 30_000 });
    expect(stack.proxy.operations.filter((op) => !isRead(op))).toEqual(["ModifyReplicationGroup"]);
    expect(await page.getByTestId("followed-operation").textContent()).toMatch(/^Engine upgrade of legacy-cache, sent by you at .* UTC: AWS accepted it\./);
    expect(await page.getByTestId("upgrade-probe").textContent()).toMatch(/^probe: writing to the group from CacheDeck while the upgrade runs/);

    // The cluster page's Engine fact reads "redis 6.2 / 8.0" while members are replaced, "valkey 8.0" once done.
    const engineFact = page.locator("dt", { hasText: /^Engine$/ }).locator("xpath=following-sibling::dd[1]");
    await waitFor(
      async () => {
        await page.reload();
        return ((await engineFact.textContent()) ?? "").trim() === "valkey 8.0";
      },
      { timeoutMs: 90_000, intervalMs: 2_000, description: "the cluster page to show valkey 8.0" },
    );
    const group = await waitForReplicationGroup(elasticacheClient(stack.emulator.url), GROUP, "available", 60_000);
    expect(group.Engine).toBe("valkey");

    // The write probe the action started followed the whole replacement server-side; its result is the audit record's
    // follow-up, shown in the banner once the upgrade has finished: every acknowledged write read back.
    const probe = page.getByTestId("upgrade-probe");
    await waitFor(
      async () => {
        await page.reload();
        return /^probe: [\d,]+ writes/.test((await probe.textContent()) ?? "");
      },
      { timeoutMs: 30_000, intervalMs: 1_000, description: "the probe's result on the cluster page" },
    );
    const result = (await probe.textContent()) ?? "";
    expect(result).toMatch(/^probe: [\d,]+ writes acknowledged, 0 lost, longest refused-write window [\d,]+ ms \(until the upgrade finished\)$/);
    expect(Number(result.match(/^probe: ([\d,]+)/)![1].replaceAll(",", ""))).toBeGreaterThan(10);
    await page.close();
  });
});
