import { DescribeCacheClustersCommand } from "@aws-sdk/client-elasticache";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { isRead } from "../helpers/counting-proxy";
import { elasticacheClient, waitForReplicationGroup } from "../helpers/emulator";
import type { DemoRole } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./session";

// Operations from the browser against a real emulator: the person confirms by typing the group id, lands on the
// cluster page, and watches the change happen there; the audit log records each attempt with its outcome.

const GROUP = "ops-cache";
const CLUSTER_PAGE = `/clusters/us-east-1/${GROUP}`;
const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];

const stack = groupStackPerFile({ group: GROUP, fleet: { NumCacheClusters: 3, PreferredCacheClusterAZs: ZONES } });
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function pageAs(role: DemoRole, returnTo: string): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signIn(page, stack.app.url, role, returnTo);
  return page;
}

/** Until every node of the group is available again (a failover's replaced primary has finished recovering). */
async function waitForQuietGroup(): Promise<void> {
  const client = elasticacheClient(stack.emulator.url);
  await waitFor(
    async () => {
      const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({}));
      const members = (CacheClusters ?? []).filter((c) => c.ReplicationGroupId === GROUP);
      return members.length > 0 && members.every((c) => c.CacheClusterStatus === "available");
    },
    { timeoutMs: 120_000, intervalMs: 500, description: `every node of ${GROUP} to be available` },
  );
  await waitForReplicationGroup(client, GROUP);
}

/** The cluster page URL the operator's accepted failover led to (it names the audit record to follow). */
let followLink = "";

const primaryOn = (page: Page) => page.locator('[data-testid="node-card"][data-role="primary"]').first().getAttribute("data-node");

async function confirmOperation(page: Page, testId: string, button: string): Promise<void> {
  const section = page.getByTestId(testId);
  await section.locator("form[data-ready=true]").waitFor();
  await section.getByRole("textbox").fill(GROUP);
  await section.getByRole("button", { name: button }).click();
}

describe("test failover from the browser", () => {
  it("operator: confirms, follows the failover on the cluster page and sees the new primary; a second one meanwhile is refused", async () => {
    const page = await pageAs("operator", CLUSTER_PAGE);
    const before = await primaryOn(page);
    expect(before).toBeTruthy();
    // A second tab, ready to send another failover while the first is still under way.
    const second = await browser.context.newPage();
    await second.goto(`${stack.app.url}${CLUSTER_PAGE}/operations`);
    await second.getByTestId("operation-test-failover").locator("form[data-ready=true]").waitFor();
    await second.getByTestId("operation-test-failover").getByRole("textbox").fill(GROUP);

    await page.getByTestId("operations-link").click();
    await page.waitForURL((url) => url.pathname === `${CLUSTER_PAGE}/operations`);
    expect(await page.getByTestId("operation-test-failover").textContent()).toContain(`the current primary ${before} becomes a replica`);
    await confirmOperation(page, "operation-test-failover", "Start test failover");
    await page.waitForURL((url) => url.pathname === CLUSTER_PAGE, { timeout: 30_000 });
    expect(await page.getByTestId("followed-operation").textContent()).toMatch(/^Test failover of ops-cache\/0001, sent by you at .* UTC: AWS accepted it\./);
    followLink = page.url();

    // AWS (the emulator) refuses a test failover while the previous one has not finished recovering.
    await second.getByTestId("operation-test-failover").getByRole("button", { name: "Start test failover" }).click();
    const alert = second.getByTestId("operation-test-failover").getByRole("alert");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(/^AWS will not start this test failover: A failover of node group 0001 .* is still in progress/);
    expect(new URL(second.url()).pathname).toBe(`${CLUSTER_PAGE}/operations`);

    // Live refresh brings the promotion in without a reload.
    await page.waitForFunction(
      (old) => {
        const primary = document.querySelector('[data-testid="node-card"][data-role="primary"]');
        return primary !== null && primary.getAttribute("data-node") !== old;
      },
      before,
      { timeout: 60_000, polling: 250 },
    );
    expect(await page.getByTestId("node-card").count()).toBe(3);
    await second.close();
    await page.close();
  });

  it("admin: the audit log lists both attempts, newest first, with their outcomes and AWS request ids", async () => {
    const page = await pageAs("admin", "/audit?action=cluster.test-failover");
    const rows = page.getByTestId("audit-row");
    expect(await rows.getByTestId("audit-status").allTextContents()).toEqual(["failed", "succeeded"]);
    expect(await rows.first().textContent()).toContain("is still in progress");
    for (const row of await rows.all()) {
      expect(await row.textContent()).toContain("Omar Operator");
      expect(await row.locator("td").last().textContent()).not.toBe("—");
    }
    await page.close();
  });
});

describe("the followed operation on the cluster page", () => {
  it("is shown to an admin with who sent it, and to nobody who may not read that audit record", async () => {
    const admin = await pageAs("admin", CLUSTER_PAGE);
    await admin.goto(followLink);
    expect(await admin.getByTestId("followed-operation").textContent()).toContain("sent by Omar Operator");
    await admin.close();
    const viewer = await pageAs("viewer", CLUSTER_PAGE);
    await viewer.goto(followLink);
    await viewer.getByTestId("node-card").first().waitFor();
    expect(await viewer.getByTestId("followed-operation").count()).toBe(0);
    await viewer.close();
  });
});

describe("scaling from the browser", () => {
  it("admin: adds a replica to every shard and sees the new node appear on the cluster page", async () => {
    // The failover above may still be recovering its old primary; scaling waits for a quiet group, as on AWS.
    await waitForQuietGroup();
    const page = await pageAs("admin", CLUSTER_PAGE);
    await page.getByTestId("node-card").first().waitFor();
    const before = await page.getByTestId("node-card").evaluateAll((cards) => cards.map((c) => c.getAttribute("data-node")));
    expect(before).toHaveLength(3);

    await page.goto(`${stack.app.url}${CLUSTER_PAGE}/operations`);
    const section = page.getByTestId("operation-replica-count");
    await section.locator("form[data-ready=true]").waitFor();
    // An emptied field is a field error next to it, never a count of 0: nothing is sent to AWS.
    stack.proxy.reset();
    await section.getByLabel("Replicas per shard").fill("");
    expect(await section.getByTestId("planned-replicas").textContent()).toBe("shard 0001: 2 → ? replicas");
    await confirmOperation(page, "operation-replica-count", "Change replicas");
    await section.getByText("Enter a whole number of replicas per shard, 0 to 5.").waitFor();
    expect(stack.proxy.operations.filter((op) => !isRead(op))).toEqual([]);

    await section.getByLabel("Replicas per shard").fill("3");
    expect(await section.getByTestId("planned-replicas").textContent()).toBe("shard 0001: 2 → 3 replicas");
    await confirmOperation(page, "operation-replica-count", "Change replicas");

    await page.waitForURL((url) => url.pathname === CLUSTER_PAGE, { timeout: 30_000 });
    await page.waitForFunction(
      (old) => {
        const cards = [...document.querySelectorAll('[data-testid="node-card"]')];
        return cards.length === old.length + 1 && cards.some((c) => !old.includes(c.getAttribute("data-node") ?? ""));
      },
      before,
      { timeout: 120_000, polling: 500 },
    );
    await page.goto(`${stack.app.url}/audit?action=cluster.modify-replica-count`);
    expect(await page.getByTestId("audit-status").allTextContents()).toEqual(["succeeded"]);
    await page.close();
  });
});
