import { readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { isRead } from "../helpers/counting-proxy";
import { demoSession, type DemoRole } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { serverActionId, serverActionsInBuild } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";

// The authorization matrix over HTTP against the built app, a real emulator behind a counting proxy: every route
// handler and server action, for someone not signed in and for each role, including requests sent straight to the
// endpoints without the UI. A refusal must leave no AWS call behind.

const GROUP = "authz-cache";
const OPERATIONS_PAGE = `/clusters/us-east-1/${GROUP}/operations`;

const stack = groupStackPerFile({ group: GROUP });
const cookies = {} as Record<DemoRole, string>;

beforeAll(async () => {
  for (const role of ["viewer", "operator", "admin"] as const) cookies[role] = (await demoSession(stack.app.url, role)).header;
});

/**
 * AWS operations the requests under test sent, reads included: everything but the shared readers' background reads
 * (the region's watcher polls every second or faster once a test has opened a cluster page or sent a change, the
 * cluster page's detail feed refreshes), which name themselves in their User-Agent whatever a test does.
 */
const actionCalls = () => stack.proxy.requestCalls();

const get = (pathname: string, cookie?: string) => fetch(new URL(pathname, stack.app.url), { redirect: "manual", headers: cookie ? { cookie } : {} });

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

  it("/spend/export: refused when not signed in, served to every role as CSV (viewers see the fleet's spend)", async () => {
    const anonymous = await get("/spend/export");
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
    for (const role of ["viewer", "operator", "admin"] as const) {
      const allowed = await get("/spend/export", cookies[role]);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("content-disposition")).toMatch(/attachment; filename="cachedeck-spend-.*\.csv"/);
      expect((await allowed.text()).split("\r\n")[0]).toMatch(/^account,region,cache,/);
    }
  });

  it("/drills/[id]/export: refused when not signed in, served to every role (a drill report is shared with viewers)", async () => {
    const anonymous = await get("/drills/1/export?format=md");
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
    for (const role of ["viewer", "operator", "admin"] as const) {
      const missing = await get("/drills/1/export?format=md", cookies[role]);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: "No drill #1." });
    }
    const badFormat = await get("/drills/1/export?format=pdf", cookies.viewer);
    expect(badFormat.status).toBe(400);
  });

  it("/posture/export: refused when not signed in, served to every role from the watchers' memory, hostile filters refused", async () => {
    const anonymous = await get("/posture/export");
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
    for (const role of ["viewer", "operator", "admin"] as const) {
      const allowed = await get("/posture/export?region=us-east-1", cookies[role]);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("content-disposition")).toMatch(/^attachment; filename="cachedeck-posture-.*\.csv"$/);
      const csv = await allowed.text();
      expect(csv).toMatch(/^account,region,kind,cache,/);
      expect(csv).toContain(`,us-east-1,replication-group,${GROUP},`);
    }
    stack.proxy.reset();
    for (const query of ["region=__proto__", "region=us-east-1%0d%0a", "account=..%2Fetc", `account=${"a".repeat(80)}`]) {
      const refused = await get(`/posture/export?${query}`, cookies.viewer);
      expect(refused.status, query).toBe(400);
    }
    expect((await get("/posture/export?region=ap-south-9", cookies.viewer)).status).toBe(404);
    expect(actionCalls()).toEqual([]);
  });

  it("/api/live: refused when not signed in, streams to every role, refuses unknown views, regions and drills", async () => {
    const anonymous = await get("/api/live?view=fleet");
    expect(anonymous.status).toBe(307);
    expect(anonymous.headers.get("location")).toMatch(/\/sign-in\?callbackUrl=/);
    for (const role of ["viewer", "operator", "admin"] as const) {
      const reading = new AbortController();
      const stream = await fetch(new URL("/api/live?view=fleet", stack.app.url), { headers: { cookie: cookies[role] }, signal: reading.signal });
      expect(stream.status).toBe(200);
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/);
      reading.abort();
    }
    const unknownView = await get("/api/live?view=__proto__", cookies.viewer);
    expect(unknownView.status).toBe(400);
    const otherRegion = await get(`/api/live?view=clusters&region=ap-south-9&id=${GROUP}`, cookies.viewer);
    expect(otherRegion.status).toBe(404);
    // A drill page's stream: a viewer may follow a drill (reports are shared); ids are positive integers only.
    for (const id of ["0", "-1", "1e3", "__proto__", "99999999999999999"]) expect((await get(`/api/live?view=drill&id=${id}`, cookies.viewer)).status).toBe(400);
    // The drill's account decides who may follow it, so a drill that does not exist has nothing to stream.
    const missing = await get("/api/live?view=drill&id=1", cookies.viewer);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: "No drill #1." });
  });

  it("refuses a forged session cookie like no session at all", async () => {
    const forged = await get("/audit/export?format=json", "cachedeck.session=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..forged.forged.forged");
    expect(forged.status).toBe(307);
  });
});

describe("pages", () => {
  it("sends people without a session to the sign-in page, remembering where they were going", async () => {
    for (const pathname of ["/", "/audit", OPERATIONS_PAGE, "/drills", "/drills/new", "/drills/1", "/overview", "/costs", "/spend"]) {
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

  it("refuses the AWS cost page to viewers and operators on the server and shows it to admins", async () => {
    for (const role of ["viewer", "operator"] as const) {
      const refused = (await (await get("/costs", cookies[role])).text()).replaceAll("<!-- -->", "");
      expect(refused).toContain(`Your role (${role}) cannot see what CacheDeck spends on AWS`);
      expect(refused).not.toContain('data-testid="budget"');
    }
    expect(await (await get("/costs", cookies.admin)).text()).toContain('data-testid="budget"');
  });

    it("renders operation controls for operators only", async () => {
    const viewer = await (await get(OPERATIONS_PAGE, cookies.viewer)).text();
    expect(viewer).not.toContain('data-testid="operations-panel"');
    expect(viewer).not.toContain("Start test failover");
    const operator = await (await get(OPERATIONS_PAGE, cookies.operator)).text();
    expect(operator).toContain("Start test failover");
  });
});

interface ActionCase {
  file: string;
  exportName: string;
  permission: string;
  /** Roles the permission table grants it to. */
  allowed: DemoRole[];
  valid: Record<string, unknown>;
  /** Malformed inputs and the field each must be reported on. */
  malformed: [Record<string, unknown>, string][];
  /** The page the action is posted to (one that uses it); the operations page unless said. */
  page?: string;
}

const base = { account: "default", region: "us-east-1", replicationGroupId: GROUP, confirmation: GROUP };
const malformedCommon = (valid: Record<string, unknown>): [Record<string, unknown>, string][] => [
  [{ ...valid, replicationGroupId: "Bad_Id!", confirmation: "Bad_Id!" }, "replicationGroupId"],
  [{ ...valid, region: "mars-north-1" }, "region"],
  [{ ...valid, account: "payments-prod" }, "account"],
  [{ ...valid, confirmation: "something-else" }, "confirmation"],
];

const actions: ActionCase[] = [
  {
    file: "lib/actions/test-failover.ts",
    exportName: "testFailover",
    permission: "cluster.test-failover",
    allowed: ["operator", "admin"],
    valid: { ...base, nodeGroupId: "0001" },
    malformed: [...malformedCommon({ ...base, nodeGroupId: "0001" }), [{ ...base, nodeGroupId: "1" }, "nodeGroupId"]],
  },
  {
    file: "lib/actions/modify-node-type.ts",
    exportName: "modifyNodeType",
    permission: "cluster.scale",
    allowed: ["admin"],
    valid: { ...base, cacheNodeType: "cache.r7g.large" },
    malformed: [
      ...malformedCommon({ ...base, cacheNodeType: "cache.r7g.large" }),
      [{ ...base, cacheNodeType: "r7g.huge; drop" }, "cacheNodeType"],
      [{ ...base, cacheNodeType: "cache.x9z.mega" }, "cacheNodeType"],
    ],
  },
  {
    file: "lib/actions/modify-replica-count.ts",
    exportName: "modifyReplicaCount",
    permission: "cluster.scale",
    allowed: ["admin"],
    valid: { ...base, replicas: 2 },
    malformed: [
      ...malformedCommon({ ...base, replicas: 2 }),
      [{ ...base, replicas: 6 }, "replicas"],
      [{ ...base, replicas: -1 }, "replicas"],
      [{ ...base, shards: [{ nodeGroupId: "0001", replicas: 9 }] }, "shards"],
      [{ ...base, shards: [{ nodeGroupId: "0001", replicas: 2 }, { nodeGroupId: "0001", replicas: 3 }] }, "shards"],
    ],
  },
  {
    file: "lib/actions/modify-shard-count.ts",
    exportName: "modifyShardCount",
    permission: "cluster.scale",
    allowed: ["admin"],
    valid: { ...base, shardCount: 2 },
    malformed: [...malformedCommon({ ...base, shardCount: 2 }), [{ ...base, shardCount: 0 }, "shardCount"], [{ ...base, shardCount: 501 }, "shardCount"]],
  },
  {
    file: "lib/actions/upgrade-engine.ts",
    exportName: "upgradeEngine",
    permission: "cluster.scale",
    allowed: ["admin"],
    valid: { ...base, engine: "valkey", engineVersion: "8.0" },
    malformed: [
      ...malformedCommon({ ...base, engine: "valkey", engineVersion: "8.0" }),
      [{ ...base, engine: "memcached", engineVersion: "1.6" }, "engine"],
      [{ ...base, engine: "valkey", engineVersion: "8.0; FLUSHALL" }, "engineVersion"],
      [{ ...base, engine: "valkey", engineVersion: "8.0", parameterGroup: "../default" }, "parameterGroup"],
    ],
  },
  {
    file: "lib/actions/start-drill.ts",
    exportName: "startDrill",
    permission: "drill.run",
    allowed: ["operator", "admin"],
    page: "/drills/new",
    valid: { ...base, kind: "test-failover", shards: ["0001"] },
    malformed: [
      ...malformedCommon({ ...base, kind: "test-failover", shards: ["0001"] }),
      [{ ...base, kind: "chaos-monkey", shards: ["0001"] }, "kind"],
      [{ ...base, kind: "test-failover", shards: ["1"] }, "shards"],
      [{ ...base, kind: "test-failover", shards: [] }, "shards"],
      [{ ...base, kind: "az-power-interruption", availabilityZone: "moon-1a", durationSeconds: 60 }, "availabilityZone"],
      [{ ...base, kind: "az-power-interruption", availabilityZone: "us-east-1a", durationSeconds: 5 }, "durationSeconds"],
      [{ ...base, kind: "test-failover", shards: ["0001"], objectives: { newPrimarySeconds: -1, healthySeconds: 60, writeOutageSeconds: 5 } }, "objectives"],
    ],
  },
  {
    file: "lib/actions/create-recommended-alarms.ts",
    exportName: "createRecommendedAlarms",
    permission: "alarms.create",
    allowed: ["operator", "admin"],
    page: `/clusters/us-east-1/${GROUP}`,
    valid: { account: "default", region: "us-east-1", kind: "cluster", cacheId: GROUP },
    malformed: [
      [{ account: "default", region: "us-east-1", kind: "cluster", cacheId: "Bad_Id!" }, "cacheId"],
      [{ account: "default", region: "us-east-1", kind: "cluster", cacheId: "a".repeat(41) }, "cacheId"],
      [{ account: "default", region: "mars-north-1", kind: "cluster", cacheId: GROUP }, "region"],
      [{ account: "payments-prod", region: "us-east-1", kind: "cluster", cacheId: GROUP }, "account"],
      [{ account: "default", region: "us-east-1", kind: "dynamodb", cacheId: GROUP }, "kind"],
    ],
  },
  {
    file: "lib/actions/abort-drill.ts",
    exportName: "abortDrill",
    permission: "drill.run",
    allowed: ["operator", "admin"],
    page: "/drills/1",
    valid: { account: "default", region: "us-east-1", replicationGroupId: GROUP, drillId: 1 },
    malformed: [
      [{ account: "default", region: "us-east-1", replicationGroupId: "Bad_Id!", drillId: 1 }, "replicationGroupId"],
      [{ account: "default", region: "mars-north-1", replicationGroupId: GROUP, drillId: 1 }, "region"],
      [{ account: "payments-prod", region: "us-east-1", replicationGroupId: GROUP, drillId: 1 }, "account"],
      [{ account: "default", region: "us-east-1", replicationGroupId: GROUP, drillId: -3 }, "drillId"],
      [{ account: "default", region: "us-east-1", replicationGroupId: GROUP, drillId: "1; drop" }, "drillId"],
    ],
  },
];

for (const action of actions) {
  describe(`server action ${action.exportName}, posted directly`, () => {
    const post = (input: unknown, cookie?: string) =>
      postServerAction(stack.app.url, action.page ?? OPERATIONS_PAGE, serverActionId(action.file, action.exportName), [input], cookie);

    it("is refused without a session before the action runs, and calls no AWS operation", async () => {
      stack.proxy.reset();
      const response = await post(action.valid);
      expect(response.status).toBe(307);
      expect(response.location).toMatch(/\/sign-in/);
      expect(response.result).toBeUndefined();
      expect(actionCalls()).toEqual([]);
    });

    for (const role of (["viewer", "operator", "admin"] as const).filter((r) => !action.allowed.includes(r))) {
      it(`is refused for ${role === "admin" ? "an" : "a"} ${role} by the action itself, with no AWS call`, async () => {
        stack.proxy.reset();
        const response = await post(action.valid, cookies[role]);
        expect(response.status).toBe(200);
        expect(response.result).toEqual({ ok: false, error: `Your role (${role}) does not allow this (${action.permission}). Ask an admin if you need it.` });
        expect(actionCalls()).toEqual([]);
      });
    }

    it("returns a field error for each malformed input and makes no AWS call", async () => {
      stack.proxy.reset();
      for (const [input, field] of action.malformed) {
        const { result } = await post(input, cookies[action.allowed[0]]);
        expect(result, JSON.stringify(input)).toMatchObject({ ok: false, fieldErrors: { [field]: [expect.any(String)] } });
      }
      expect(actionCalls()).toEqual([]);
    });
  });
}

describe("coverage of this matrix", () => {
  it("includes every server action the build contains (add a new action to `actions` above)", () => {
    expect(serverActionsInBuild().sort()).toEqual(actions.map((a) => `${a.file}#${a.exportName}`).sort());
  });

  it("includes every route handler (add a new one to the route handler tests above)", () => {
    const appDir = path.resolve(__dirname, "../../app");
    const handlers = (readdirSync(appDir, { recursive: true }) as string[]).filter((f) => path.basename(f) === "route.ts").sort();
    expect(handlers).toEqual(["api/auth/[...nextauth]/route.ts", "api/live/route.ts", "audit/export/route.ts", "drills/[id]/export/route.ts", "posture/export/route.ts", "spend/export/route.ts"]);
  });
});

describe("pre-checks against the group's fresh state", () => {
  const failover = () => serverActionId("lib/actions/test-failover.ts", "testFailover");

  it("refuses a shard the group does not have after reading the group, without calling TestFailover", async () => {
    stack.proxy.reset();
    const input = { ...base, nodeGroupId: "0009" };
    const { result } = await postServerAction(stack.app.url, OPERATIONS_PAGE, failover(), [input], cookies.operator);
    expect(result).toEqual({ ok: false, error: "No such shard.", fieldErrors: { nodeGroupId: [`${GROUP} has shards 0001.`] } });
    // The group and the region's events (for the test failover quota) are read; nothing is changed.
    expect([...actionCalls()].sort()).toEqual(["DescribeEvents", "DescribeReplicationGroups"]);
  });

  it("refuses resharding a group without cluster mode, and a node type AWS does not offer for this group", async () => {
    stack.proxy.reset();
    const shards = await postServerAction(stack.app.url, OPERATIONS_PAGE, serverActionId("lib/actions/modify-shard-count.ts", "modifyShardCount"), [{ ...base, shardCount: 2 }], cookies.admin);
    expect(shards.result).toMatchObject({ ok: false, error: expect.stringMatching(/cluster mode disabled/) });
    const nodeType = await postServerAction(
      stack.app.url,
      OPERATIONS_PAGE,
      serverActionId("lib/actions/modify-node-type.ts", "modifyNodeType"),
      [{ ...base, cacheNodeType: "cache.r6gd.16xlarge" }],
      cookies.admin,
    );
    expect(nodeType.result).toMatchObject({ ok: false, fieldErrors: { cacheNodeType: [expect.stringMatching(/^Choose one of: cache\./)] } });
    expect(actionCalls().filter((op) => !isRead(op))).toEqual([]);
  });

  it("refuses an engine downgrade and a parameter group of another family after reading the group, without calling ModifyReplicationGroup", async () => {
    stack.proxy.reset();
    const upgrade = (input: Record<string, unknown>) =>
      postServerAction(stack.app.url, OPERATIONS_PAGE, serverActionId("lib/actions/upgrade-engine.ts", "upgradeEngine"), [{ ...base, ...input }], cookies.admin);
    const downgrade = await upgrade({ engine: "redis", engineVersion: "6.2" });
    expect(downgrade.result).toMatchObject({ ok: false, fieldErrors: { engineVersion: [expect.stringMatching(/runs redis 7.1; redis 6.2 is not newer, and ElastiCache does not downgrade/)] } });
    const family = await upgrade({ engine: "valkey", engineVersion: "8.0", parameterGroup: "default.redis7" });
    expect(family.result).toMatchObject({ ok: false, fieldErrors: { parameterGroup: ["default.redis7 is of family redis7; valkey 8.0 needs family valkey8."] } });
    expect(stack.proxy.operations.filter((op) => !op.startsWith("Describe") && !op.startsWith("List"))).toEqual([]);
  });

  it("refuses removing the last replica of a Multi-AZ group", async () => {
    const { result } = await postServerAction(
      stack.app.url,
      OPERATIONS_PAGE,
      serverActionId("lib/actions/modify-replica-count.ts", "modifyReplicaCount"),
      [{ ...base, replicas: 0 }],
      cookies.admin,
    );
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^A shard cannot go to 0 replicas here/),
      fieldErrors: { replicas: [`Multi-AZ is on for ${GROUP}: every shard must keep at least 1 replica (shard 0001 would have none).`] },
    });
  });

  it("refuses every number that is not one (empty, blank, null, a list, words) as a field error, never as 0, before any AWS call", async () => {
    stack.proxy.reset();
    const post = (file: string, name: string, input: Record<string, unknown>) =>
      postServerAction(stack.app.url, OPERATIONS_PAGE, serverActionId(file, name), [{ ...base, ...input }], cookies.admin).then((r) => r.result);
    for (const empty of [null, [], " ", "", "two"]) {
      const label = JSON.stringify(empty);
      expect(await post("lib/actions/modify-replica-count.ts", "modifyReplicaCount", { replicas: empty }), label).toMatchObject({
        ok: false,
        fieldErrors: { replicas: ["Enter a whole number of replicas per shard, 0 to 5."] },
      });
      expect(await post("lib/actions/modify-replica-count.ts", "modifyReplicaCount", { shards: [{ nodeGroupId: "0001", replicas: empty }] }), label).toMatchObject({
        ok: false,
        fieldErrors: { shards: ["Enter a whole number of replicas per shard, 0 to 5."] },
      });
      expect(await post("lib/actions/modify-shard-count.ts", "modifyShardCount", { shardCount: empty }), label).toMatchObject({
        ok: false,
        fieldErrors: { shardCount: ["Enter a whole number of shards, 1 to 500."] },
      });
      const objectives = { newPrimarySeconds: "30", healthySeconds: "120", writeOutageSeconds: empty };
      expect(await post("lib/actions/start-drill.ts", "startDrill", { kind: "test-failover", shards: ["0001"], objectives }), label).toMatchObject({
        ok: false,
        fieldErrors: { objectives: ["Enter a number of seconds, 0 to 3600."] },
      });
    }
    expect(actionCalls()).toEqual([]);
  });

  it("leaves no audit record for any refusal", async () => {
    const response = await get("/audit/export?format=json", cookies.admin);
    expect((await response.json()).records).toEqual([]);
  });
});

describe("an allowed request, posted directly", () => {
  it("reads the group, makes the one change call, and is audited with AWS's request id", async () => {
    stack.proxy.reset();
    const input = { ...base, nodeGroupId: "0001" };
    const { result } = await postServerAction(stack.app.url, OPERATIONS_PAGE, serverActionId("lib/actions/test-failover.ts", "testFailover"), [input], cookies.operator);
    expect(result).toMatchObject({ ok: true, auditId: expect.any(Number) });
    // The fresh reads (the group, the events for the quota), then the call; the re-render after revalidation only
    // reads. The fleet watcher polls the same endpoint meanwhile, so other reads may be interleaved, never a change.
    const call = actionCalls().indexOf("TestFailover");
    expect(actionCalls().slice(0, call)).toEqual(expect.arrayContaining(["DescribeEvents", "DescribeReplicationGroups"]));
    expect(stack.proxy.operations.filter((op) => !isRead(op))).toEqual(["TestFailover"]);
    const { records } = await (await get("/audit/export?format=json", cookies.admin)).json();
    expect(records).toEqual([
      expect.objectContaining({ action: "cluster.test-failover", status: "succeeded", requestId: expect.stringMatching(/\S/), role: "operator" }),
    ]);
  });
});
