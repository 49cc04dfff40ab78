import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, SetAlarmStateCommand } from "@aws-sdk/client-cloudwatch";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elasticacheClient, TEST_CREDENTIALS, waitForReplicationGroup } from "../helpers/emulator";
import type { DemoRole } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./session";

// Recommended alarms from the cluster page, on a small emulator of its own (alarms are per region: the shared demo's
// pages must not see these). Someone's own alarm on the primary's Evictions counts as the recommended one and its
// trip to ALARM is drawn on the Evictions chart; an operator creates the rest in one click, notifying the configured
// topic; a viewer is offered nothing.

const GROUP = "alarm-cache";
const CLUSTER_PAGE = `/clusters/us-east-1/${GROUP}`;
const TOPIC = "arn:aws:sns:us-east-1:000000000000:cache-alarms";
const HAND_MADE = "team-pager-evictions";

const stack = groupStackPerFile({ group: GROUP, appEnv: () => ({ CACHEDECK_ALARM_SNS_TOPIC_ARN: TOPIC }) });
let browser: Browser;
let cloudwatch: CloudWatchClient;
let primary: string;

beforeAll(async () => {
  browser = await launchBrowser();
  cloudwatch = new CloudWatchClient({ endpoint: stack.emulator.url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const group = await waitForReplicationGroup(elasticacheClient(stack.emulator.url), GROUP);
  primary = group.NodeGroups![0].NodeGroupMembers!.find((m) => m.CurrentRole === "primary")!.CacheClusterId!;
  // Before anyone opens a page, so the region's first alarms read finds it and its history.
  await cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: HAND_MADE, Namespace: "AWS/ElastiCache", MetricName: "Evictions",
      Dimensions: [{ Name: "CacheNodeId", Value: "0001" }, { Name: "CacheClusterId", Value: primary }],
      Statistic: "Sum", Period: 60, EvaluationPeriods: 1, Threshold: 100, ComparisonOperator: "GreaterThanThreshold",
    }),
  );
  await cloudwatch.send(new SetAlarmStateCommand({ AlarmName: HAND_MADE, StateValue: "ALARM", StateReason: "paging test" }));
});
afterAll(async () => {
  cloudwatch?.destroy();
  await browser?.close();
});

async function pageAs(role: DemoRole): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signIn(page, stack.app.url, role, CLUSTER_PAGE);
  return page;
}

const countText = (page: Page) => page.getByTestId("alarm-count").textContent();

describe("recommended alarms on the cluster page", () => {
  it("viewer: sees which exist, the hand-made one in its place, and its ALARM on the Evictions chart; nothing to create", async () => {
    const page = await pageAs("viewer");
    await page.getByTestId("alarm-count").waitFor({ timeout: 30_000 });
    expect(await countText(page)).toMatch(/^1 of 12 recommended alarms exist/);
    const row = page.locator(`[data-alarm="cachedeck-${primary}-0001-Evictions"]`);
    expect(await row.textContent()).toContain(`as ${HAND_MADE}`);
    expect(await page.locator('[data-alarm] [data-testid="alarm-state"]', { hasText: "Missing" }).count()).toBe(11);
    expect(await page.getByTestId("create-alarms").count()).toBe(0);
    const evictionsChart = page.getByTestId("chart-evictions");
    await evictionsChart.waitFor();
    expect(await evictionsChart.getAttribute("data-alarm-markers")).toContain("ALARM");
    expect(await page.getByTestId("chart-connections").getAttribute("data-alarm-markers")).toBeNull();
    await page.close();
  });

  it("fleet: the Alarms column counts them, its filter keeps the cache, and only an operator is offered creating them for the caches shown", async () => {
    const page = await pageAs("viewer");
    await page.goto(`${stack.app.url}/`);
    const cell = page.locator(`[data-testid=cluster-row][data-cluster=${GROUP}] [data-metric=alarms]`);
    await cell.waitFor({ timeout: 30_000 });
    expect(await cell.textContent()).toBe("1/12");
    await page.locator("form[data-autosubmit=ready]").waitFor();
    await page.getByLabel("Alarms").selectOption("missing recommended");
    await page.waitForURL(/alarms=missing/);
    expect(await page.locator("[data-testid=cluster-row]").count()).toBe(1);
    expect(await page.getByTestId("create-alarms-for-shown").count()).toBe(0);
    await page.close();

    const operator = await pageAs("operator");
    await operator.goto(`${stack.app.url}/?alarms=missing%20recommended`);
    const offer = operator.getByTestId("create-alarms-for-shown");
    await offer.waitFor({ timeout: 30_000 });
    expect(await offer.getByRole("button").textContent()).toBe("Create the missing recommended alarms of 1 cache");
    await operator.close();
  });

  it("operator: creates the 11 missing alarms in one click; they notify the topic and the page shows 12 of 12", async () => {
    const page = await pageAs("operator");
    const create = page.locator('[data-testid="create-alarms"][data-ready=true]');
    await create.waitFor({ timeout: 30_000 });
    expect(await create.textContent()).toContain(TOPIC);
    await create.getByRole("button", { name: "Create 11 recommended alarms" }).click();
    // The outcome stays on screen after the refreshed page drops the button (nothing left to create).
    const status = page.getByTestId("recommended-alarms").getByRole("status");
    await status.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toMatch(/^Created 11 alarms \(audit record #\d+\)/);
    await page.waitForFunction(() => document.querySelector('[data-testid="alarm-count"]')?.textContent?.startsWith("12 of 12"), undefined, { timeout: 30_000, polling: 250 });
    expect(await page.getByTestId("create-alarms").count()).toBe(0);

    const { MetricAlarms } = await cloudwatch.send(new DescribeAlarmsCommand({ AlarmNamePrefix: "cachedeck-" }));
    expect(MetricAlarms).toHaveLength(11);
    expect(MetricAlarms!.every((a) => a.AlarmActions?.[0] === TOPIC && a.OKActions?.[0] === TOPIC)).toBe(true);
    expect(MetricAlarms!.map((a) => a.AlarmName)).not.toContain(`cachedeck-${primary}-0001-Evictions`);
    await page.close();
  });

  it("admin: the audit log records the operator's creation", async () => {
    const page = await pageAs("admin");
    await page.goto(`${stack.app.url}/audit?action=cluster.create-recommended-alarms`);
    const rows = page.getByTestId("audit-row");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain("Omar Operator");
    expect(await rows.getByTestId("audit-status").allTextContents()).toEqual(["succeeded"]);
    await page.close();
  });
});
