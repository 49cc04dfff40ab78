import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { freePort } from "../helpers/free-port";
import { startApp, type RunningApp } from "../helpers/next-app";
import { startRegionGate, type RegionGate } from "../helpers/region-gate";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// The fleet page when AWS is only partly reachable: eu-west-1 denied by policy (a gate in front of the shared demo
// emulator answers AccessDenied for it) and CloudWatch unreachable everywhere. What can be read is shown; each
// failure is named with what to do.

let gate: RegionGate;
let app: RunningApp;
let browser: Browser;
let deadEndpoint: string;

beforeAll(async () => {
  gate = await startRegionGate(inject("emulatorUrl"), ["eu-west-1"]);
  deadEndpoint = `http://127.0.0.1:${await freePort()}`;
  app = await startApp({ awsEndpoint: gate.url, regions: inject("regions"), env: { AWS_ENDPOINT_URL_CLOUDWATCH: deadEndpoint } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await gate?.close();
});

it("shows a viewer the readable region without metrics and what failed where, without configuration", async () => {
  const page = await browser.context.newPage();
  await signIn(page, app.url, "viewer");
  await page.locator("[data-testid=cluster-row]").first().waitFor();
  const rows = await page.locator("[data-testid=cluster-row]").evaluateAll((rs) => rs.map((r) => `${r.getAttribute("data-region")}/${r.getAttribute("data-cluster")}:${r.getAttribute("data-health")}`).sort());
  expect(rows).toEqual(["us-east-1/catalog-cache:unknown", "us-east-1/orders-sessions:unknown", "us-east-1/user-profiles:unknown"]);
  const alert = await page.getByTestId("aws-problems").textContent();
  expect(alert).toMatch(/eu-west-1 — Access denied by AWS \([\w ]+\): AWS does not allow CacheDeck to call elasticache:Describe\w+ in eu-west-1\./);
  expect(alert).toMatch(/us-east-1 — AWS could not be reached \(metrics\): CloudWatch in us-east-1 could not be reached for GetMetricData: connection refused after \d+\.\d s\./);
  expect(alert).toContain("tell an admin: they see the cause on this page");
  expect(alert).not.toContain(deadEndpoint);
  expect(alert).not.toContain("iam-policy");
  expect(await page.getByTestId("count-unknown").textContent()).toBe("3");
});

it("shows an admin why: the policy to attach, the endpoint and the variable that set it", async () => {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await signIn(page, app.url, "admin");
  const alert = await page.getByTestId("aws-problems").textContent();
  expect(alert).toMatch(/eu-west-1 — Access denied by AWS .*Why \(shown to admins\): Attach the read-only policy from docs\/iam-policy\.md/);
  expect(alert).toContain(`CacheDeck sends CloudWatch calls to the endpoint ${deadEndpoint} (from AWS_ENDPOINT_URL_CLOUDWATCH)`);
});
