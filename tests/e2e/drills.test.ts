import path from "node:path";
import { FisClient, GetExperimentCommand, GetExperimentTemplateCommand } from "@aws-sdk/client-fis";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isRead, startCountingProxy, type CountingProxy } from "../helpers/counting-proxy";
import { elasticacheClient, REPO_ROOT, startTestEmulator, TEST_CREDENTIALS, waitForReplicationGroup, type TestEmulator } from "../helpers/emulator";
import { demoSession } from "../helpers/demo-session";
import { describeGroup, rolesOf } from "../helpers/replication-group";
import { startApp, type RunningApp } from "../helpers/next-app";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./session";

// A drill on the demo fleet from the browser, against its own emulator (time scale 0.01) so no other test's failover
// meets it, and without the demo traffic, whose write bursts make orders-sessions' replicas lag for half of every minute
// (a drill then waits for them, as the pre-check says): an operator runs the pre-flight checks, starts the drill, watches the timeline fill, and reads a report
// whose times fall in the emulator's range with a pass verdict and the new primary the emulator promoted. A viewer
// then reads the report and the stakeholder overview, with no controls and no endpoints. Last, AZ power interruption
// drills go through AWS FIS calls only (a counting proxy between the app and the emulator sees every call on the
// wire), and an abort stops the experiment.

const GROUP = "orders-sessions";

let emulator: TestEmulator;
let proxy: CountingProxy;
let app: RunningApp;
let browser: Browser;
let drillUrl: string;

beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: path.join(REPO_ROOT, "emulator/fleets/demo.json"), settings: { timeScale: 0.01 }, workload: false });
  proxy = await startCountingProxy(emulator.url);
  [app, browser] = await Promise.all([
    startApp({
      awsEndpoint: proxy.url,
      regions: ["us-east-1", "eu-west-1"],
      env: {
        CACHEDECK_DRILL_POLL_SECONDS: "0.25",
        CACHEDECK_DRILL_RECOVERY_EVENT_WAIT_SECONDS: "10",
      },
    }),
    launchBrowser(),
  ]);
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await proxy?.close();
  await emulator?.dispose();
});

async function pageAs(role: "viewer" | "operator", returnTo: string): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signIn(page, app.url, role, returnTo);
  return page;
}

describe("an operator drills orders-sessions from the browser", () => {
  it("runs the pre-flight checks, starts the drill, follows the timeline and reads a passing report", async () => {
    const before = rolesOf(await describeGroup(elasticacheClient(emulator.url), GROUP)).roles;
    const page = await pageAs("operator", "/drills/new");
    await page.locator('select[name="group"]').selectOption(`us-east-1/${GROUP}`);
    await page.getByRole("button", { name: "Choose" }).click();
    await page.getByRole("checkbox", { name: /0001/ }).check();
    await page.getByRole("checkbox", { name: /Probe/ }).check();
    await page.getByRole("button", { name: "Run pre-flight checks" }).click();

    const checklist = page.getByTestId("checklist");
    await checklist.waitFor();
    expect(await checklist.getAttribute("data-ready")).toBe("true");
    const statuses = await page.locator("[data-testid^=check-]").evaluateAll((items) => items.map((i) => `${i.getAttribute("data-testid")}:${i.getAttribute("data-status")}`));
    expect(statuses).toEqual(expect.arrayContaining(["check-group-available:pass", "check-automatic-failover:pass", "check-multi-az:pass", "check-quota:pass", "check-no-running-drill:pass", "check-probe:pass"]));
    expect(statuses.filter((s) => s.endsWith(":fail"))).toEqual([]);

    await page.getByTestId("start-drill").locator("form[data-ready=true]").waitFor();
    await page.getByLabel(`Type ${GROUP} to confirm`).fill(GROUP);
    await page.getByRole("button", { name: "Start drill" }).click();
    await page.waitForURL(/\/drills\/\d+$/, { timeout: 30_000 });
    drillUrl = page.url();
    const rerenders: string[] = [];
    page.on("request", (r) => r.url().startsWith(drillUrl) && rerenders.push(r.url()));

    // The page follows the drill over its push stream: the primary change shows up while the drill runs, then the
    // report, without the page asking the server to render it again (no refresh polling).
    await page.locator('[data-testid="timeline"] [data-kind="primary-change"]').waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="drill-page"][data-status="completed"]').waitFor({ timeout: 60_000 });
    expect(rerenders).toEqual([]);
    await page.getByTestId("report").waitFor();
    expect(await page.getByTestId("verdict").first().textContent()).toMatch(/Pass/);

    const newPrimaryMs = Number(await page.getByTestId("report-new-primary").getAttribute("data-ms"));
    const healthyMs = Number(await page.getByTestId("report-healthy").getAttribute("data-ms"));
    expect(newPrimaryMs).toBeGreaterThanOrEqual(600);
    expect(newPrimaryMs).toBeLessThan(5_000);
    expect(healthyMs).toBeGreaterThanOrEqual(6_600);
    expect(healthyMs).toBeLessThan(30_000);

    const after = rolesOf(await describeGroup(elasticacheClient(emulator.url), GROUP)).roles;
    const promoted = Object.keys(after).find((id) => after[id] === "primary")!;
    expect(promoted).not.toBe(Object.keys(before).find((id) => before[id] === "primary"));
    expect(await page.getByTestId("new-primary").first().textContent()).toContain(promoted);
    expect(await page.locator('[data-testid="topology-after"] [data-shard="0001"]').getAttribute("data-primary")).toBe(promoted);
    expect(Number(await page.getByTestId("probe").getAttribute("data-keys-lost"))).toBe(0);

    const kinds = await page.locator('[data-testid="timeline"] li').evaluateAll((items) => items.map((i) => i.getAttribute("data-kind")));
    for (const kind of ["drill-started", "api-call", "event", "primary-change", "shard-healthy", "drill-finished"]) expect(kinds).toContain(kind);
    expect(Number(await page.getByTestId("chart-connections").getAttribute("data-points"))).toBeGreaterThan(0);
    await page.close();
  });
});

describe("a viewer", () => {
  it("reads the shared report link and exports it, with no drill controls", async () => {
    const reportPath = new URL(drillUrl).pathname;
    const page = await pageAs("viewer", reportPath);
    await page.getByTestId("report").waitFor();
    expect(await page.getByTestId("verdict").first().textContent()).toMatch(/Pass/);
    expect(await page.getByRole("button", { name: /Abort/ }).count()).toBe(0);

    const cookie = (await demoSession(app.url, "viewer")).header;
    const markdown = await fetch(new URL(`${reportPath}/export?format=md`, app.url), { headers: { cookie } });
    expect(markdown.status).toBe(200);
    expect(await markdown.text()).toMatch(new RegExp(`^# Drill #\\d+: Test failover of ${GROUP} \\(us-east-1\\)\\n\\n\\*\\*Verdict: PASS\\*\\*`));
    const json = await fetch(new URL(`${reportPath}/export?format=json`, app.url), { headers: { cookie } });
    expect(await json.json()).toMatchObject({ replicationGroupId: GROUP, verdict: { verdict: "pass" }, status: "completed" });

    await page.goto(`${app.url}/clusters/us-east-1/${GROUP}`);
    await page.getByTestId("drills-link").click();
    await page.waitForURL(`${app.url}/drills?group=us-east-1/${GROUP}`);
    expect(await page.locator(`[data-testid="drill-history"] [data-drill="${reportPath.split("/").at(-1)}"]`).textContent()).toMatch(/completed.*Pass/);

    await page.goto(`${app.url}/drills/new`);
    expect(await page.getByRole("note").textContent()).toMatch(/can read drill reports but not start drills/);
    await page.goto(`${app.url}/drills`);
    expect(await page.getByRole("link", { name: "New drill" }).count()).toBe(0);
    await page.close();
  });

  it("reads the stakeholder overview: health, last drill and verdict per service, no endpoints and no controls", async () => {
    const page = await pageAs("viewer", "/overview");
    const orders = page.locator('[data-section="orders"]');
    await orders.waitFor();
    const row = orders.locator(`[data-cluster="${GROUP}"]`);
    expect(await row.getByTestId("last-drill").textContent()).toMatch(/Last drill \d{4}-\d\d-\d\d\s*✓Pass/);
    expect(await page.locator('[data-section="catalog"] [data-cluster="catalog-cache"]').getByTestId("last-drill").textContent()).toBe("Never drilled");
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).not.toMatch(/127\.0\.0\.1|:\d{4,5}\b|endpoint/i);
    expect(await page.locator("main button, main form, main input").count()).toBe(0);
    await page.getByRole("link", { name: "team" }).click();
    await page.locator('[data-section="checkout"]').waitFor();
    await page.close();
  });
});

describe("an AZ power interruption drill", () => {
  const fis = () => new FisClient({ region: "us-east-1", endpoint: emulator.url, credentials: TEST_CREDENTIALS });

  async function startAzDrill(durationSeconds: number): Promise<Page> {
    const group = await describeGroup(elasticacheClient(emulator.url), GROUP);
    const zone = group.NodeGroups![0].NodeGroupMembers!.find((m) => m.CurrentRole === "primary")!.PreferredAvailabilityZone!;
    const page = await pageAs("operator", `/drills/new?group=us-east-1/${GROUP}&kind=az-power-interruption&az=${zone}&duration=${durationSeconds}&check=1`);
    await page.getByTestId("checklist").waitFor();
    expect(await page.getByTestId("check-fis-role").getAttribute("data-status")).toBe("info");
    await page.getByTestId("start-drill").locator("form[data-ready=true]").waitFor();
    await page.getByLabel(`Type ${GROUP} to confirm`).fill(GROUP);
    await page.getByRole("button", { name: "Start drill" }).click();
    await page.waitForURL(/\/drills\/\d+$/, { timeout: 30_000 });
    return page;
  }

  /** The experiment the drill's timeline says it started. */
  async function startedExperimentId(page: Page): Promise<string> {
    const started = page.locator('[data-testid="timeline"] [data-kind="api-call"]').first();
    await started.waitFor({ timeout: 30_000 });
    const text = (await started.textContent()) ?? "";
    expect(text).toMatch(/AWS FIS experiment EXP\w+ started: power of us-east-1\w off for /);
    return /EXP\w+/.exec(text)![0];
  }

  it("runs from the browser through AWS FIS calls only, never the emulator's fault endpoint", async () => {
    proxy.reset();
    const page = await startAzDrill(60);
    const id = await startedExperimentId(page);
    await page.locator('[data-testid="drill-page"][data-status="completed"]').waitFor({ timeout: 90_000 });
    expect(await page.locator('[data-testid="timeline"] [data-kind="primary-change"]').count()).toBeGreaterThan(0);
    // What changed anything went to FIS, in this order; the reads (the drill's and the fleet watcher's) include the
    // experiment followed to its end.
    expect(proxy.operations.filter((operation) => !isRead(operation))).toEqual(["CreateExperimentTemplate", "StartExperiment", "DeleteExperimentTemplate"]);
    expect(proxy.operations).toContain("GetExperiment");
    const { experiment } = await fis().send(new GetExperimentCommand({ id }));
    expect(experiment?.state?.status).toBe("completed");
    // The drill's own template is gone with the drill.
    await expect(fis().send(new GetExperimentTemplateCommand({ id: experiment!.experimentTemplateId }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await page.close();
  });

  it("stops the experiment when the drill is aborted: GetExperiment shows it stopped", async () => {
    proxy.reset();
    const page = await startAzDrill(43_200);
    const id = await startedExperimentId(page);
    await page.getByRole("button", { name: "Abort before next shard" }).click();
    await page.locator('[data-testid="drill-page"][data-status="aborted"]').waitFor({ timeout: 60_000 });
    expect(proxy.operations.filter((operation) => !isRead(operation))).toEqual(["CreateExperimentTemplate", "StartExperiment", "StopExperiment", "DeleteExperimentTemplate"]);
    const { experiment } = await fis().send(new GetExperimentCommand({ id }));
    expect(experiment?.state?.status).toBe("stopped");
    expect(experiment?.actions?.["interrupt-az-power"]?.state?.status).toBe("stopped");
    expect(await page.locator('[data-testid="timeline"] [data-kind="abort-requested"]').textContent()).toMatch(/AWS FIS experiment EXP\w+ stopped, power back in us-east-1\w/);
    await page.close();
  });
});
