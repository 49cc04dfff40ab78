import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateCacheClusterCommand } from "@aws-sdk/client-elasticache";
import { Client } from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { startCountingProxy, type CountingProxy } from "../helpers/counting-proxy";
import { demoSession } from "../helpers/demo-session";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "../helpers/emulator";
import { serverActionId, startApp, type RunningApp } from "../helpers/next-app";
import { startPostgres, type TestPostgres } from "../helpers/postgres";
import { postServerAction } from "../helpers/server-action";
import { smallGroup } from "../helpers/small-fleet";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// Two `next start` instances of one build on one Postgres and one emulator, each behind its own counting proxy so the
// test sees which instance calls AWS. One leads the region's watcher and calls AWS; the other follows through
// Postgres and still pushes live changes to its own pages. The leader is killed (SIGKILL): the survivor takes over
// within 15 s and its open page keeps updating. The in-flight guard refuses a double submission across the two, and a
// drill owned by the killed instance is marked interrupted by the survivor. See docs/architecture.md.

const ORDERS = "multi-orders";
const DRILLED = "multi-drilled";
let dir: string;
let emulator: TestEmulator;
let postgres: TestPostgres;
let browser: Browser;
const proxies: CountingProxy[] = [];
const apps: RunningApp[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-multi-"));
  const fleetFile = path.join(dir, "fleet.json");
  writeFileSync(fleetFile, JSON.stringify({ regions: { "us-east-1": { replicationGroups: [smallGroup(ORDERS), smallGroup(DRILLED)] } } }));
  [emulator, postgres] = await Promise.all([startTestEmulator({ fleetFile }), startPostgres()]);
  await Promise.all([ORDERS, DRILLED].map((id) => waitForReplicationGroup(elasticacheClient(emulator.url), id)));
  for (let i = 0; i < 2; i++) proxies.push(await startCountingProxy(emulator.url));
  // One after the other: the first to serve a page leads.
  for (const proxy of proxies) apps.push(await startApp({ awsEndpoint: proxy.url, env: { DATABASE_URL: postgres.url } }));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(apps.map((app) => app.stop()));
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await postgres?.stop();
  await emulator?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function leaseOn(app: RunningApp, cookie: string): Promise<string | null> {
  const page = await (await fetch(new URL("/costs", app.url), { headers: { cookie } })).text();
  return /data-testid="watcher-lease"[^>]*>([^<]+)</.exec(page)?.[1] ?? null;
}

/** Creates a Memcached cluster through the emulator, as someone outside CacheDeck would: a new row on every fleet page. */
async function createOutsideCacheDeck(id: string): Promise<number> {
  const sent = Date.now();
  await elasticacheClient(emulator.url).send(new CreateCacheClusterCommand({ CacheClusterId: id, Engine: "memcached", CacheNodeType: "cache.t4g.micro", NumCacheNodes: 1 }));
  return sent;
}

let leader: RunningApp;
let follower: RunningApp;
let followerProxy: CountingProxy;
let leaderProxy: CountingProxy;
let page: Awaited<ReturnType<Browser["context"]["newPage"]>>;

it("runs one watcher for the region: the instance that looked first leads and calls AWS, the other follows and calls nothing", async () => {
  const admins = await Promise.all(apps.map((app) => demoSession(app.url, "admin")));
  // A region's watcher starts with the first page that needs it, and its instance takes the lease if it is free.
  const fleetPage = (i: number) => fetch(new URL("/", apps[i].url), { headers: { cookie: admins[i].header } });
  expect((await fleetPage(0)).status).toBe(200);
  await waitFor(async () => (await leaseOn(apps[0], admins[0].header)) === "led by this instance" || undefined, { timeoutMs: 15_000, intervalMs: 250, description: "the first instance to lead" });
  [leader, follower] = apps;
  [leaderProxy, followerProxy] = proxies;
  expect((await fleetPage(1)).status).toBe(200);
  expect(await leaseOn(follower, admins[1].header)).toBe("follows another instance (no AWS calls)");

  // A live fleet page on the follower, then a change made outside CacheDeck: the follower hears it through Postgres.
  page = await browser.context.newPage();
  await signIn(page, follower.url, "viewer", "/");
  await page.locator("[data-testid=live-status][data-state=live]").waitFor({ timeout: 30_000 });
  await page.locator(`[data-testid=cluster-row][data-cluster=${ORDERS}]`).waitFor({ timeout: 30_000 });
  const sent = await createOutsideCacheDeck("multi-relayed");
  await page.locator("[data-testid=cluster-row][data-cluster=multi-relayed]").waitFor({ timeout: 30_000 });
  console.log(`[e2e] a cache created outside CacheDeck on the follower's open fleet page after ${Date.now() - sent} ms`);

  // Everything the follower showed came from the leader's calls.
  expect(leaderProxy.operations.filter((op) => op === "DescribeEvents").length).toBeGreaterThan(0);
  expect(followerProxy.operations).toEqual([]);
});

it("serves a follower's cluster page from the leader's reads: it renders and stays live with no AWS call from the follower", async () => {
  const clusterPage = await browser.context.newPage();
  // The context is signed in on the follower already (the fleet page above).
  await clusterPage.goto(`${follower.url}/clusters/default~us-east-1/${ORDERS}?range=15m`);
  await clusterPage.locator("[data-testid=live-status][data-state=live]").waitFor({ timeout: 30_000 });
  expect(await clusterPage.getByTestId("node-card").count()).toBe(2);
  const firstRead = Number(await clusterPage.getByTestId("rendered-at").getAttribute("data-rendered-at"));
  // The page's next read (every 10 s on a 15-minute range) comes through the leader too.
  await clusterPage.waitForFunction((t) => Number(document.querySelector("[data-testid=rendered-at]")?.getAttribute("data-rendered-at")) > t, firstRead, { timeout: 30_000 });
  expect(await clusterPage.getByTestId("node-card").count()).toBe(2);
  expect(leaderProxy.operations).toContain("GetMetricData");
  expect(followerProxy.operations).toEqual([]);
  await clusterPage.close();
});

it("sends the same operation submitted to both instances at once exactly once, and refuses the other", async () => {
  const operators = await Promise.all(apps.map((app) => demoSession(app.url, "operator")));
  const input = { account: "default", region: "us-east-1", replicationGroupId: ORDERS, nodeGroupId: "0001", confirmation: ORDERS };
  // Whichever instance claims the target first has its TestFailover held on the wire, so the two submissions overlap
  // for sure; the other must be refused without reaching AWS.
  const held = Promise.race(proxies.map((proxy) => proxy.hold("TestFailover")));
  const action = serverActionId("lib/actions/test-failover.ts", "testFailover");
  const submissions = apps.map((app, i) => postServerAction(app.url, `/clusters/default~us-east-1/${ORDERS}/operations`, action, [input], operators[i].header));
  const refused = await Promise.race(submissions.map((s) => s.then((r) => r.result)));
  expect(refused).toEqual({ ok: false, error: `Another operation on ${ORDERS}/0001 is being sent right now; wait for it to finish, then check the cluster.` });
  await held;
  proxies.forEach((proxy) => proxy.release("TestFailover"));
  const results = (await Promise.all(submissions)).map((r) => r.result as { ok: boolean });
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(proxies.flatMap((proxy) => proxy.operations).filter((op) => op === "TestFailover")).toHaveLength(1);
});

let drillId: number;
let killedAt: number;

it("takes over within 15 s when the leader is killed, and the survivor's open page keeps updating", async () => {
  // A drill owned by the leader, running when it dies.
  const operator = await demoSession(leader.url, "operator");
  const { result } = await postServerAction(
    leader.url,
    "/drills/new",
    serverActionId("lib/actions/start-drill.ts", "startDrill"),
    [{ account: "default", region: "us-east-1", replicationGroupId: DRILLED, confirmation: DRILLED, kind: "test-failover", shards: ["0001"] }],
    operator.header,
  );
  expect(result).toMatchObject({ ok: true, data: { drillId: expect.any(Number) } });
  drillId = (result as { data: { drillId: number } }).data.drillId;

  followerProxy.reset();
  killedAt = Date.now();
  await leader.stop("SIGKILL");
  apps.splice(apps.indexOf(leader), 1);
  // The survivor's first call of its own is its first act as leader.
  await waitFor(async () => followerProxy.operations.includes("DescribeEvents") || undefined, { timeoutMs: 15_000, intervalMs: 50, description: "the survivor to take over" });
  const takeoverMs = Date.now() - killedAt;
  console.log(`[e2e] takeover: the survivor called AWS ${takeoverMs} ms after the leader was killed`);
  expect(takeoverMs).toBeLessThanOrEqual(15_000);
  const admin = await demoSession(follower.url, "admin");
  expect(await leaseOn(follower, admin.header)).toBe("led by this instance");

  // The page opened before the takeover, never reloaded, shows a change made after it.
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  const sent = await createOutsideCacheDeck("multi-after-takeover");
  await page.locator("[data-testid=cluster-row][data-cluster=multi-after-takeover]").waitFor({ timeout: 30_000 });
  console.log(`[e2e] a cache created after the takeover on the survivor's open page after ${Date.now() - sent} ms`);
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
});

it("marks the killed instance's drill interrupted from the survivor within a minute", async () => {
  const client = new Client({ connectionString: postgres.url });
  await client.connect();
  try {
    await waitFor(
      async () => (await client.query<{ status: string }>("select status from drills where id = $1", [drillId])).rows[0]?.status === "interrupted" || undefined,
      { timeoutMs: 60_000 - (Date.now() - killedAt), intervalMs: 250, description: "the drill to be marked interrupted" },
    );
    console.log(`[e2e] the killed instance's drill marked interrupted ${Date.now() - killedAt} ms after the kill`);
    const { rows } = await client.query("select verdict from drill_reports where drill_id = $1", [drillId]);
    expect(rows).toEqual([{ verdict: "inconclusive" }]);
  } finally {
    await client.end();
  }
});
