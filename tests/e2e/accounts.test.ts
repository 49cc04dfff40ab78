import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { startCountingProxy, isRead, type CountingProxy } from "../helpers/counting-proxy";
import { demoSession, type DemoRole } from "../helpers/demo-session";
import { CreateCacheClusterCommand, DescribeReplicationGroupsCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { elasticacheClient, REPO_ROOT, startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from "../helpers/emulator";
import { serverActionId, startApp, type RunningApp } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// One fleet across two AWS accounts, end to end: the built app with an accounts file assumes a role in each account
// through STS on the emulator (whose simulated caches start at once), behind a counting proxy. The fleet shows both
// accounts' caches, each row naming its account; a person's role is decided per account, on the server: Sam, an
// operator in staging and a viewer elsewhere, fails over staging's group and is refused on production's with no AWS
// call and no audit record. Stella has no global role at all, only staging's rule: she signs in, and sees and streams
// staging alone.

const FLEET = path.join(REPO_ROOT, "tests/integration/emulator/fixtures/two-accounts.json");
const accounts = {
  accounts: [
    { name: "production", roleArn: "arn:aws:iam::000000000000:role/CacheDeckReadOnly", regions: ["us-east-1"] },
    {
      name: "staging",
      roleArn: "arn:aws:iam::111111111111:role/CacheDeckReadOnly",
      externalId: "cachedeck-test",
      regions: ["us-east-1"],
      people: { operator: { emails: ["staging-operator@demo.cachedeck.local"] }, viewer: { emails: ["staging-only@demo.cachedeck.local"] } },
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
  for (const role of ["viewer", "admin", "staging-operator", "staging-only"] as const) cookies[role] = (await demoSession(app.url, role)).header;
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
      // With the account column too, the names keep their least width (16rem) rather than being squeezed to nothing
      // under the fixed columns, and each name's link is clickable, not covered by the next cell.
      expect(await page.locator("[data-testid=cluster-row][data-cluster=staging-orders] th").evaluate((th) => th.getBoundingClientRect().width)).toBeGreaterThanOrEqual(16 * 16);
      await page.getByRole("link", { name: "staging-orders" }).click();
      await page.waitForURL(`${app.url}/clusters/staging~us-east-1/staging-orders`);
      await page.getByRole("heading", { name: "staging-orders" }).first().waitFor();
    } finally {
      await browser?.close();
    }
  });

  it("admits through the sign-in page someone only staging's rules name, and shows them staging's caches alone", async () => {
    let browser: Browser | undefined;
    try {
      browser = await launchBrowser();
      const page = await browser.context.newPage();
      await signIn(page, app.url, "staging-only");
      expect(await page.getByTestId("user-role").textContent()).toBe("viewer in staging");
      const rows = () => page.locator("[data-testid=cluster-row]").evaluateAll((list) => list.map((r) => [r.getAttribute("data-account"), r.getAttribute("data-cluster")]));
      // The watchers are warm (the test above): the page renders from their memory, with production's rows left out.
      await waitFor(async () => (await rows()).length > 0, { timeoutMs: 30_000, intervalMs: 250, description: "staging's rows" });
      expect((await rows()).sort()).toEqual([
        ["staging", "staging-memcached"],
        ["staging", "staging-orders"],
      ]);
      expect(await page.locator("select[name=account] option").allTextContents()).not.toContain("production");
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

describe("someone with a role in one account only", () => {
  const stella = () => cookies["staging-only"];
  const text = (pathname: string) => fetch(new URL(pathname, app.url), { headers: { cookie: stella() } }).then(async (r) => (await r.text()).replaceAll("<!-- -->", ""));

  it("is refused the other account's cache pages before anything is read there, and served their own", async () => {
    for (const pathname of ["/clusters/production~us-east-1/prod-orders", "/clusters/production~us-east-1/prod-orders/operations", "/serverless/production~us-east-1/anything"]) {
      proxy.reset();
      const page = await text(pathname);
      expect(page, pathname).toContain("Your role (none in account production) cannot read its caches.");
      expect(page, pathname).not.toContain('data-cluster="prod-orders"');
      expect(proxy.requestCalls(), pathname).toEqual([]);
    }
    expect(await text("/clusters/staging~us-east-1/staging-orders")).toContain("staging-orders");
    expect(await text("/clusters/staging~us-east-1/staging-orders/operations")).toContain("Your role in account staging (viewer) can look but not change");
  });

  it("sees only their account in the overview (whatever the URL asks), the spend and the posture export, and no audit log", async () => {
    for (const query of ["", "?account=production"]) {
      const overview = await text(`/overview${query}`);
      expect(overview, query).toContain('data-cluster="staging-orders" data-account="staging"');
      expect(overview, query).not.toContain('data-cluster="prod-orders"');
    }
    const spend = await text("/spend");
    expect(spend).toContain("staging-orders");
    expect(spend).not.toContain("prod-orders");
    // The posture export holds her account's caches and answers "nothing you may read" for the other one.
    const posture = await text("/posture/export");
    expect(posture).toContain("staging-orders");
    expect(posture).not.toContain("prod-orders");
    const foreign = await fetch(new URL("/posture/export?account=production", app.url), { headers: { cookie: stella() } });
    expect(foreign.status).toBe(404);
    expect(await text("/audit")).toContain("Your role (no role) cannot read the audit log.");
    const exported = await fetch(new URL("/audit/export?format=json", app.url), { headers: { cookie: stella() } });
    expect(exported.status).toBe(403);
  });

  it("gets a live stream only for what they may read: a cache page of the other account is refused", async () => {
    const live = (query: string, cookie = stella()) => {
      const reading = new AbortController();
      return fetch(new URL(`/api/live?${query}`, app.url), { headers: { cookie }, signal: reading.signal }).then((response) => ({ response, stop: () => reading.abort() }));
    };
    const refused = await live("view=clusters&account=production&region=us-east-1&id=prod-orders");
    expect(refused.response.status).toBe(403);
    expect(await refused.response.json()).toEqual({ error: "Your role in account production (no role) does not allow this (fleet.read)." });
    for (const query of ["view=clusters&account=staging&region=us-east-1&id=staging-orders", "view=fleet"]) {
      const served = await live(query);
      expect(served.response.status, query).toBe(200);
      served.stop();
    }
    const anonymous = await fetch(new URL("/api/live?view=fleet", app.url), { redirect: "manual" });
    expect(anonymous.status).toBe(307);
  });
});

describe("the authorization matrix: role × account × action", () => {
  // The role each demo user has in each account: the global mapping, unless the account's own rules name them; Stella
  // has none by the global mapping.
  type Role = "viewer" | "operator" | "admin" | null;
  const roles: Record<"viewer" | "staging-operator" | "staging-only" | "admin", Record<"production" | "staging", Role>> = {
    viewer: { production: "viewer", staging: "viewer" },
    "staging-operator": { production: "viewer", staging: "operator" },
    "staging-only": { production: null, staging: "viewer" },
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
          if (role !== null && action.allowed.includes(role)) {
            expect(result, where).toMatchObject({ ok: false, error: expect.not.stringMatching(/does not allow/) });
          } else {
            expect(result, where).toEqual({ ok: false, error: `Your role in account ${account} (${role ?? "no role"}) does not allow this (${action.permission}). Ask an admin if you need it.` });
          }
          expect(changes(), where).toEqual([]);
        }
      }
      // Refused and pre-checked requests alike leave no audit record: nothing was attempted.
      expect((await auditRecords()).length).toBe(before);
    });
  }
});

describe("the fleet's push stream, per account", () => {
  /** A fleet stream as the page opens it, noting the account of every change it carries. */
  async function fleetStream(cookie: string) {
    const reading = new AbortController();
    const response = await fetch(new URL("/api/live?view=fleet", app.url), { headers: { cookie }, signal: reading.signal });
    expect(response.status).toBe(200);
    const seen: { account: string; keys: string[] }[] = [];
    void (async () => {
      const reader = response.body!.getReader();
      const decoder = new TextDecoder();
      let buffer = "";
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf("\n\n"); end >= 0; end = buffer.indexOf("\n\n")) {
          const [event, data] = buffer.slice(0, end).split("\n");
          buffer = buffer.slice(end + 2);
          if (event !== "event: changes") continue;
          const message = JSON.parse(data.slice("data: ".length)) as { account: string; changes: ({ type: "upsert"; row: { key: string } } | { type: "remove"; key: string })[] };
          seen.push({ account: message.account, keys: message.changes.map((c) => (c.type === "upsert" ? c.row.key : c.key)) });
        }
      }
    })();
    return { seen, has: (id: string) => seen.some((s) => s.keys.some((k) => k.endsWith(`/${id}`))), stop: () => reading.abort() };
  }

  it("carries both accounts' changes to a viewer of both, and only staging's to someone with a role in staging alone", async () => {
    const everything = await fleetStream(cookies.viewer);
    const stagingOnly = await fleetStream(cookies["staging-only"]);
    try {
      // A cache appears in each account, created straight at the emulator (no audit, nothing through the app).
      const sts = new STSClient({ region: "us-east-1", endpoint: emulator.url, credentials: TEST_CREDENTIALS });
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::111111111111:role/CacheDeckReadOnly", RoleSessionName: "e2e", ExternalId: "cachedeck-test" }));
      const staging = new ElastiCacheClient({
        region: "us-east-1",
        endpoint: emulator.url,
        credentials: { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken },
      });
      const memcached = (id: string) => new CreateCacheClusterCommand({ CacheClusterId: id, Engine: "memcached", CacheNodeType: "cache.t3.micro", NumCacheNodes: 1 });
      await elasticacheClient(emulator.url).send(memcached("stream-prod"));
      await staging.send(memcached("stream-staging"));
      await waitFor(() => everything.has("stream-prod") && everything.has("stream-staging") && stagingOnly.has("stream-staging"), {
        timeoutMs: 60_000,
        intervalMs: 250,
        description: "each account's new cache on the streams",
      });
      // The production change reached the same watcher's listeners as the staging one; Stella's stream left it out.
      expect(new Set(everything.seen.map((s) => s.account))).toEqual(new Set(["production", "staging"]));
      expect(new Set(stagingOnly.seen.map((s) => s.account))).toEqual(new Set(["staging"]));
      expect(stagingOnly.has("stream-prod")).toBe(false);
    } finally {
      everything.stop();
      stagingOnly.stop();
    }
  });
});
