import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { startCountingProxy, isRead, type CountingProxy } from "../helpers/counting-proxy";
import { demoSession, type DemoRole } from "../helpers/demo-session";
import { DescribeReplicationGroupsCommand } from "@aws-sdk/client-elasticache";
import { elasticacheClient, REPO_ROOT, startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { serverActionId, startApp, type RunningApp } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// One fleet across two AWS accounts, end to end: the built app with an accounts file assumes a role in each account
// through STS on the emulator (whose simulated caches start at once), behind a counting proxy. The fleet shows both
// accounts' caches, each row naming its account; a person's role is decided per account, on the server: Sam, an
// operator in staging and a viewer elsewhere, fails over staging's group and is refused on production's with no AWS
// call and no audit record.

const FLEET = path.join(REPO_ROOT, "tests/integration/emulator/fixtures/two-accounts.json");
const accounts = {
  accounts: [
    { name: "production", roleArn: "arn:aws:iam::000000000000:role/CacheDeckReadOnly", regions: ["us-east-1"] },
    {
      name: "staging",
      roleArn: "arn:aws:iam::111111111111:role/CacheDeckReadOnly",
      externalId: "cachedeck-test",
      regions: ["us-east-1"],
      people: { operator: { emails: ["staging-operator@demo.cachedeck.local"] } },
    },
  ],
};

let dir: string;
let emulator: TestEmulator;
let proxy: CountingProxy;
let app: RunningApp;
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-accounts-e2e-"));
  writeFileSync(path.join(dir, "accounts.json"), JSON.stringify(accounts));
  emulator = await startTestEmulator({ fleetFile: FLEET, workload: false, metricsIntervalMs: 60_000 });
  proxy = await startCountingProxy(emulator.url);
  app = await startApp({ awsEndpoint: proxy.url, env: { CACHEDECK_ACCOUNTS_FILE: path.join(dir, "accounts.json") } });
  for (const role of ["viewer", "admin", "staging-operator"] as const) cookies[role] = (await demoSession(app.url, role)).header;
});

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await emulator?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The operations that change something; the watchers' Describe/List/Get polling and STS's AssumeRole are not. */
const changes = () => proxy.operations.filter((op) => !isRead(op) && op !== "AssumeRole");

async function auditRecords(): Promise<{ account: string; target: string; role: string; actor: { name: string } }[]> {
  const response = await fetch(new URL("/audit/export?format=json", app.url), { headers: { cookie: cookies.admin } });
  return ((await response.json()) as { records: { account: string; target: string; role: string; actor: { name: string } }[] }).records;
}

const testFailover = (account: string, group: string, cookie: string) =>
  postServerAction(
    app.url,
    `/clusters/${account}~us-east-1/${group}/operations`,
    serverActionId("lib/actions/test-failover.ts", "testFailover"),
    [{ account, region: "us-east-1", replicationGroupId: group, nodeGroupId: "0001", confirmation: group }],
    cookie,
  );

describe("one fleet across accounts", () => {
  it("shows both accounts' caches in Chromium, each row naming its account and linking to its account's page", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.context.newPage();
      await signIn(page, app.url, "viewer");
      const rows = () =>
        page.locator("[data-testid=cluster-row]").evaluateAll((list) =>
          list.map((r) => [r.getAttribute("data-account"), r.getAttribute("data-cluster"), r.querySelector("[data-testid=cluster-account]")?.textContent, r.querySelector("a")?.getAttribute("href")]),
        );
      // On a loaded machine the watchers' first reads (an AssumeRole per account, then the describes) can outlast the
      // page's own wait; the rows then arrive over the push stream, and a reload renders them from the watchers.
      let loadedAt = Date.now();
      await waitFor(
        async () => {
          if ((await rows()).length === 3) return true;
          if (Date.now() - loadedAt > 15_000) {
            await page.reload();
            loadedAt = Date.now();
          }
          return false;
        },
        { timeoutMs: 120_000, intervalMs: 250, description: "rows of both accounts" },
      );
      expect((await rows()).sort()).toEqual([
        ["production", "prod-orders", "production", "/clusters/production~us-east-1/prod-orders"],
        ["staging", "staging-memcached", "staging", "/clusters/staging~us-east-1/staging-memcached"],
        ["staging", "staging-orders", "staging", "/clusters/staging~us-east-1/staging-orders"],
      ]);
      // The account filter and grouping live in the URL and run in the browser.
      await page.locator("select[name=account]").selectOption("staging");
      await waitFor(async () => new URL(page.url()).searchParams.get("account") === "staging" && (await rows()).length === 2, { timeoutMs: 10_000, intervalMs: 100, description: "the account filter" });
      await page.getByRole("link", { name: "staging-orders" }).click();
      await page.waitForURL(`${app.url}/clusters/staging~us-east-1/staging-orders`);
      await page.getByRole("heading", { name: "staging-orders" }).first().waitFor();
    } finally {
      await browser?.close();
    }
  });

  it("keeps old single-account URLs working: a bare region leads to the default account's page", async () => {
    const response = await fetch(new URL("/clusters/us-east-1/prod-orders", app.url), { redirect: "manual", headers: { cookie: cookies.viewer } });
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/\/clusters\/production~us-east-1\/prod-orders$/);
    const unknown = await fetch(new URL("/clusters/nowhere~us-east-1/prod-orders", app.url), { redirect: "manual", headers: { cookie: cookies.viewer } });
    expect(unknown.status).toBe(404);
  });
});

describe("roles per account, decided on the server", () => {
  it("refuses an operator of staging on production's group: no AWS call, no audit record", async () => {
    proxy.reset();
    const refused = await testFailover("production", "prod-orders", cookies["staging-operator"]);
    expect(refused.result).toEqual({ ok: false, error: "Your role in account production (viewer) does not allow this (cluster.test-failover). Ask an admin if you need it." });
    expect(changes()).toEqual([]);
    expect((await auditRecords()).filter((r) => r.target.startsWith("prod-orders"))).toEqual([]);
  });

  it("lets the same person fail over staging's group, recorded with its account and their role there", async () => {
    proxy.reset();
    const done = await testFailover("staging", "staging-orders", cookies["staging-operator"]);
    expect(done.result).toMatchObject({ ok: true });
    expect(changes()).toEqual(["TestFailover"]);
    expect(await auditRecords()).toEqual([expect.objectContaining({ account: "staging", target: "staging-orders/0001", role: "operator", actor: expect.objectContaining({ name: "Sam Staging" }) })]);
  });

  it("filters the audit export and the overview by account", async () => {
    const exported = async (account: string) =>
      ((await (await fetch(new URL(`/audit/export?format=json&account=${account}`, app.url), { headers: { cookie: cookies.admin } })).json()) as { records: { account: string }[] }).records;
    expect((await exported("staging")).map((r) => r.account)).toEqual(["staging"]);
    expect(await exported("production")).toEqual([]);
    const overview = async (query: string) => (await fetch(new URL(`/overview${query}`, app.url), { headers: { cookie: cookies.viewer } })).text();
    const staging = await overview("?account=staging");
    expect(staging).toContain('data-cluster="staging-orders" data-account="staging"');
    expect(staging).not.toContain('data-cluster="prod-orders"');
    const everything = await overview("");
    expect(everything).toContain('data-cluster="prod-orders" data-account="production"');
    expect(everything).toContain('data-cluster="staging-orders" data-account="staging"');
  });

  it("offers operations by the role in the page's account", async () => {
    const page = (account: string, group: string) => fetch(new URL(`/clusters/${account}~us-east-1/${group}/operations`, app.url), { headers: { cookie: cookies["staging-operator"] } }).then((r) => r.text());
    expect(await page("production", "prod-orders")).toContain("Your role in account production (viewer) can look but not change");
    expect(await page("staging", "staging-orders")).toContain("Start test failover");
  });
});

describe("the authorization matrix: role × account × action", () => {
  // The role each demo user has in each account: the global mapping, unless the account's own rules name them.
  const roles: Record<"viewer" | "staging-operator" | "admin", Record<"production" | "staging", "viewer" | "operator" | "admin">> = {
    viewer: { production: "viewer", staging: "viewer" },
    "staging-operator": { production: "viewer", staging: "operator" },
    admin: { production: "admin", staging: "admin" },
  };
  const groups = { production: "prod-orders", staging: "staging-orders" };
  let nodeType = "";
  beforeAll(async () => {
    const described = await elasticacheClient(emulator.url).send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "prod-orders" }));
    nodeType = described.ReplicationGroups?.[0]?.CacheNodeType ?? "";
  });

  // Each input passes validation and, when authorized, is refused by the action's pre-check against the group's fresh
  // state, so the matrix changes nothing in either account.
  const actions = [
    { file: "lib/actions/test-failover.ts", name: "testFailover", permission: "cluster.test-failover", allowed: ["operator", "admin"], page: "operations", input: () => ({ nodeGroupId: "0009" }) },
    { file: "lib/actions/modify-node-type.ts", name: "modifyNodeType", permission: "cluster.scale", allowed: ["admin"], page: "operations", input: () => ({ cacheNodeType: nodeType }) },
    { file: "lib/actions/modify-replica-count.ts", name: "modifyReplicaCount", permission: "cluster.scale", allowed: ["admin"], page: "operations", input: () => ({ replicas: 1 }) },
    { file: "lib/actions/modify-shard-count.ts", name: "modifyShardCount", permission: "cluster.scale", allowed: ["admin"], page: "operations", input: () => ({ shardCount: 2 }) },
    { file: "lib/actions/start-drill.ts", name: "startDrill", permission: "drill.run", allowed: ["operator", "admin"], page: "/drills/new", input: () => ({ kind: "test-failover", shards: ["0009"] }) },
    { file: "lib/actions/abort-drill.ts", name: "abortDrill", permission: "drill.run", allowed: ["operator", "admin"], page: "/drills/1", input: () => ({ drillId: 999_999 }) },
  ];

  for (const action of actions) {
    it(`${action.name}: refused on the server wherever the person's role in the target's account lacks ${action.permission}`, async () => {
      const before = (await auditRecords()).length;
      for (const [user, byAccount] of Object.entries(roles) as [keyof typeof roles, Record<"production" | "staging", string>][]) {
        for (const account of ["production", "staging"] as const) {
          const group = groups[account];
          const page = action.page === "operations" ? `/clusters/${account}~us-east-1/${group}/operations` : action.page;
          const confirmation = action.name === "abortDrill" ? {} : { confirmation: group };
          proxy.reset();
          const { result } = await postServerAction(app.url, page, serverActionId(action.file, action.name), [{ account, region: "us-east-1", replicationGroupId: group, ...confirmation, ...action.input() }], cookies[user]);
          const role = byAccount[account];
          const where = `${user} in ${account}`;
          if (action.allowed.includes(role)) {
            expect(result, where).toMatchObject({ ok: false, error: expect.not.stringMatching(/does not allow/) });
          } else {
            expect(result, where).toEqual({ ok: false, error: `Your role in account ${account} (${role}) does not allow this (${action.permission}). Ask an admin if you need it.` });
          }
          expect(changes(), where).toEqual([]);
        }
      }
      // Refused and pre-checked requests alike leave no audit record: nothing was attempted.
      expect((await auditRecords()).length).toBe(before);
    });
  }
});
