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

it("shows the readable region without metrics and says what to fix for the rest", async () => {
  const page = await browser.context.newPage();
  await signIn(page, app.url, "viewer");
  await page.locator("[data-testid=cluster-row]").first().waitFor();
  const rows = await page.locator("[data-testid=cluster-row]").evaluateAll((rs) => rs.map((r) => `${r.getAttribute("data-region")}/${r.getAttribute("data-cluster")}:${r.getAttribute("data-health")}`).sort());
  expect(rows).toEqual(["us-east-1/catalog-cache:unknown", "us-east-1/orders-sessions:unknown"]);
  const alert = await page.getByTestId("aws-problems").textContent();
  expect(alert).toMatch(/eu-west-1 — Access denied by AWS: .*elasticache:Describe\w+ in eu-west-1.*docs\/iam-policy\.md/);
  expect(alert).toContain(`us-east-1 — AWS endpoint unreachable: Could not reach the endpoint ${deadEndpoint} (from AWS_ENDPOINT_URL_CLOUDWATCH) for us-east-1 (ECONNREFUSED)`);
  expect(await page.getByTestId("count-unknown").textContent()).toBe("2");
});
