import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { startCountingProxy, type CountingProxy } from "../helpers/counting-proxy";
import { demoSession, type DemoRole } from "../helpers/demo-session";
import { serverActionId, startApp, type RunningApp } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";

// The authorization matrix over HTTP against the built app, a real emulator behind a counting proxy: every route
// handler and server action, for someone not signed in and for each role, including requests sent straight to the
// endpoints without the UI. A refusal must leave no AWS call behind.

const GROUP = "authz-cache";
const OPERATIONS_PAGE = `/clusters/us-east-1/${GROUP}/operations`;

let dir: string;
let emulator: TestEmulator;
let proxy: CountingProxy;
let app: RunningApp;
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-authz-"));
  const fleet = path.join(dir, "fleet.json");
  writeFileSync(
    fleet,
    JSON.stringify({
      regions: {
        "us-east-1": {
          replicationGroups: [
            {
              ReplicationGroupId: GROUP,
              ReplicationGroupDescription: "authorization matrix",
              Engine: "redis",
              CacheNodeType: "cache.t4g.small",
              NumCacheClusters: 2,
              AutomaticFailoverEnabled: true,
              MultiAZEnabled: true,
            },
          ],
        },
      },
    }),
  );
  emulator = await startTestEmulator({ fleetFile: fleet });
  proxy = await startCountingProxy(emulator.url);
  app = await startApp({ awsEndpoint: proxy.url });
  for (const role of ["viewer", "operator", "admin"] as const) cookies[role] = (await demoSession(app.url, role)).header;
});

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const get = (pathname: string, cookie?: string) => fetch(new URL(pathname, app.url), { redirect: "manual", headers: cookie ? { cookie } : {} });

describe("route handlers", () => {
  for (const format of ["csv", "json"]) {
    it(`/audit/export?format=${format}: refused when not signed in and for viewers, served to operators and admins`, async () => {
      const anonymous = await get(`/audit/export?format=${format}`);
      expect(anonymous.status).toBe(307);
      expect(anonymous.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);

      const viewer = await get(`/audit/export?format=${format}`, cookies.viewer);
      expect(viewer.status).toBe(403);
      expect(await viewer.json()).toEqual({ error: expect.stringMatching(/viewer.*does not allow/) });

      for (const role of ["operator", "admin"] as const) {
        const allowed = await get(`/audit/export?format=${format}`, cookies[role]);
        expect(allowed.status).toBe(200);
        expect(allowed.headers.get("content-disposition")).toMatch(new RegExp(`attachment; filename="cachedeck-audit-.*\\.${format}"`));
      }
    });
  }

  it("refuses a forged session cookie like no session at all", async () => {
    const forged = await get("/audit/export?format=json", "cachedeck.session=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged");
    expect(forged.status).toBe(307);
  });
});

describe("pages", () => {
  it("sends people without a session to the sign-in page, remembering where they were going", async () => {
    for (const pathname of ["/", "/audit", OPERATIONS_PAGE]) {
      const response = await get(pathname);
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe(`/sign-in?callbackUrl=${encodeURIComponent(pathname)}`);
    }
  });

  it("refuses the audit log to viewers on the server and shows it to operators", async () => {
    const viewer = await (await get("/audit", cookies.viewer)).text();
    expect(viewer).toContain("cannot read the audit log");
    expect(viewer).not.toContain("Export:");
    const operator = await (await get("/audit", cookies.operator)).text();
    expect(operator).toContain("The operations you ran from CacheDeck.");
  });

  it("renders operation controls for operators only", async () => {
    const viewer = await (await get(OPERATIONS_PAGE, cookies.viewer)).text();
    expect(viewer).not.toContain('data-testid="operations-panel"');
    expect(viewer).not.toContain("Start test failover");
    const operator = await (await get(OPERATIONS_PAGE, cookies.operator)).text();
    expect(operator).toContain("Start test failover");
  });
});

describe("server action cluster.test-failover, posted directly", () => {
  const actionId = () => serverActionId("lib/actions/test-failover.ts", "testFailover");
  const valid = { region: "us-east-1", replicationGroupId: GROUP, nodeGroupId: "0001", confirmation: GROUP };

  it("is refused without a session, before the action runs, and calls no AWS operation", async () => {
    proxy.reset();
    const response = await postServerAction(app.url, OPERATIONS_PAGE, actionId(), [valid]);
    expect(response.status).toBe(307);
    expect(response.location).toMatch(/\/sign-in/);
    expect(response.result).toBeUndefined();
    expect(proxy.operations).toEqual([]);
  });

  it("is refused for a viewer by the action itself, with no AWS call", async () => {
    proxy.reset();
    const response = await postServerAction(app.url, OPERATIONS_PAGE, actionId(), [valid], cookies.viewer);
    expect(response.status).toBe(200);
    expect(response.result).toEqual({ ok: false, error: expect.stringMatching(/Your role \(viewer\) does not allow this \(cluster\.test-failover\)/) });
    expect(proxy.operations).toEqual([]);
  });

  it("returns field errors for malformed input and makes no AWS call", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, replicationGroupId: "Bad_Id!", confirmation: "Bad_Id!" }, "replicationGroupId"],
      [{ ...valid, region: "mars-north-1" }, "region"],
      [{ ...valid, nodeGroupId: "1" }, "nodeGroupId"],
      [{ ...valid, confirmation: "something-else" }, "confirmation"],
    ];
    proxy.reset();
    for (const [input, field] of cases) {
      const { result } = await postServerAction(app.url, OPERATIONS_PAGE, actionId(), [input], cookies.operator);
      expect(result, field).toMatchObject({ ok: false, fieldErrors: { [field]: [expect.any(String)] } });
    }
    expect(proxy.operations).toEqual([]);
  });

  it("refuses a shard the group does not have after reading the group, without calling TestFailover", async () => {
    proxy.reset();
    const { result } = await postServerAction(app.url, OPERATIONS_PAGE, actionId(), [{ ...valid, nodeGroupId: "0009" }], cookies.operator);
    expect(result).toEqual({ ok: false, error: "No such shard.", fieldErrors: { nodeGroupId: [`${GROUP} has shards 0001.`] } });
    expect(proxy.operations).toEqual(["DescribeReplicationGroups"]);
  });

  it("leaves no audit record for any refusal", async () => {
    const response = await get("/audit/export?format=json", cookies.admin);
    expect((await response.json()).records).toEqual([]);
  });
});
