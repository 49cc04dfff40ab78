import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { describeGroup, rolesOf } from "../../helpers/replication-group";
import { elasticacheClient } from "../../helpers/emulator";
import { groups, runToEnd, startDrillKit, type DrillKit } from "./drill-kit";

// Drills against a real emulator, run by the same runner the app uses: the primary really changes, the measured
// times fall in the emulator's documented range (time scale 0.01: promotion 0.6 s after the call plus the promotion
// itself, recovery 6 s more plus the restart and sync), the probe loses no acknowledged write, and each call is audited.

let kit: DrillKit;

beforeAll(async () => {
  kit = await startDrillKit({ replicationGroups: [groups.sessions, groups.catalog, groups.secure] });
});
afterAll(async () => {
  await kit?.dispose();
});

describe("test failover drill, cluster mode disabled, with the probe", () => {
  it("passes its pre-checks, fails over to the replica the emulator promoted, recovers in range and loses nothing", async () => {
    const request = { replicationGroupId: "drill-sessions", shards: ["0001"], probe: true };
    const preflight = await kit.preflight(request);
    expect(preflight.checklist.items.filter((i) => i.status === "fail")).toEqual([]);
    expect(preflight.checklist.ready).toBe(true);
    const before = rolesOf(await describeGroup(elasticacheClient(kit.emulator.url), "drill-sessions")).roles;
    const oldPrimary = Object.keys(before).find((id) => before[id] === "primary");

    const drill = await kit.create(preflight, request);
    const ended = await runToEnd(kit, drill, preflight);
    expect(ended).toMatchObject({ status: "completed", verdict: "pass", error: null });

    const report = (await kit.store.report(drill.id))!;
    const after = rolesOf(await describeGroup(elasticacheClient(kit.emulator.url), "drill-sessions")).roles;
    const promoted = Object.keys(after).find((id) => after[id] === "primary");
    expect(promoted).not.toBe(oldPrimary);
    expect(report.shards[0]).toMatchObject({ outcome: "healthy", oldPrimary: { cacheClusterId: oldPrimary }, newPrimary: { cacheClusterId: promoted } });
    expect(report.events.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        "Test Failover API called for node group 0001",
        `Failover from primary node ${oldPrimary} to replica node ${promoted} completed`,
        "Recovering cache nodes 0001",
        "Finished recovery for cache nodes 0001",
      ]),
    );
    expect(report.newPrimaryMs).toBeGreaterThanOrEqual(600);
    expect(report.newPrimaryMs).toBeLessThan(5_000);
    expect(report.healthyMs).toBeGreaterThanOrEqual(6_600);
    expect(report.healthyMs).toBeLessThan(30_000);
    expect(report.topologyBefore?.shards[0].primary?.cacheClusterId).toBe(oldPrimary);
    expect(report.topologyAfter?.shards[0].primary?.cacheClusterId).toBe(promoted);

    expect(report.probe).toMatchObject({ keysLost: 0, problem: null });
    expect(report.probe!.writesAcknowledged).toBeGreaterThan(50);
    expect(report.probe!.keysVerified).toBe(report.probe!.writesAcknowledged);
    expect(report.probe!.longestWriteOutageMs).toBeLessThan(5_000);

    const audited = await kit.audit.list({ action: "cluster.test-failover" });
    expect(audited[0]).toMatchObject({ outcome: "succeeded", target: "drill-sessions/0001", parameters: { drillId: drill.id }, actor: { id: "u-omar" } });
    expect(audited[0].requestId).toMatch(/\S/);

    const kinds = (await kit.store.timeline(drill.id)).map((e) => e.kind);
    expect(kinds.slice(0, 2)).toEqual(["drill-started", "probe"]);
    for (const kind of ["shard-started", "api-call", "event", "primary-change", "shard-healthy", "drill-finished"]) expect(kinds).toContain(kind);
    expect(kinds.indexOf("primary-change")).toBeLessThan(kinds.indexOf("shard-healthy"));
  });
});

describe("test failover drill, cluster mode enabled, two shards", () => {
  it("fails over one shard at a time, the second only once the first has recovered", async () => {
    const request = { replicationGroupId: "drill-catalog", shards: ["0001", "0002"], probe: true };
    const preflight = await kit.preflight(request);
    expect(preflight.checklist.items.filter((i) => i.status === "fail")).toEqual([]);
    const drill = await kit.create(preflight, request);
    // Each accepted TestFailover tells the region's watcher a change is coming (it then polls events busy).
    const expected: string[] = [];
    const ended = await runToEnd(kit, drill, preflight, { expectChange: (place, id) => expected.push(`${place.account}/${place.region}/${id}`) });
    expect(ended.status).toBe("completed");
    expect(expected).toEqual(["default/us-east-1/drill-catalog", "default/us-east-1/drill-catalog"]);

    const report = (await kit.store.report(drill.id))!;
    const [first, second] = report.shards;
    expect(first.outcome).toBe("healthy");
    expect(second.outcome).toBe("healthy");
    expect(Date.parse(second.apiCallAt!)).toBeGreaterThanOrEqual(Date.parse(first.healthyAt!));
    for (const shard of report.shards) {
      expect(shard.newPrimary?.cacheClusterId).toMatch(new RegExp(`^drill-catalog-${shard.shard}-00\\d$`));
      expect(shard.newPrimary?.cacheClusterId).not.toBe(shard.oldPrimary?.cacheClusterId);
    }
    expect(report.topologyAfter?.shards.map((s) => s.primary?.cacheClusterId)).toEqual(report.shards.map((s) => s.newPrimary?.cacheClusterId));
    expect(report.probe).toMatchObject({ keysLost: 0, problem: null });
    expect(report.verdict.verdict).toBe("pass");
  });
});

describe("abort", () => {
  it("stops before the next shard: the shard under way recovers, the next is never called", async () => {
    const request = { replicationGroupId: "drill-catalog", shards: ["0002", "0001"] };
    const preflight = await kit.preflight(request);
    expect(preflight.checklist.items.filter((i) => i.status === "fail")).toEqual([]);
    const drill = await kit.create(preflight, request);
    const running = runToEnd(kit, drill, preflight);
    await waitFor(async () => (await kit.store.timeline(drill.id)).some((e) => e.kind === "api-call"), { timeoutMs: 20_000, description: "the first TestFailover call" });
    expect(await kit.store.requestAbort(drill.id, "Ada Admin")).toBe(true);

    const ended = await running;
    expect(ended).toMatchObject({ status: "aborted", verdict: "inconclusive" });
    const report = (await kit.store.report(drill.id))!;
    expect(report.shards.map((s) => [s.shard, s.outcome])).toEqual([
      ["0002", "healthy"],
      ["0001", "not-started"],
    ]);
    const timeline = await kit.store.timeline(drill.id);
    expect(timeline.filter((e) => e.kind === "api-call").map((e) => e.shard)).toEqual(["0002"]);
    expect(timeline.find((e) => e.kind === "abort-requested")?.message).toBe("Aborted by Ada Admin before the next shard");
  });
});

describe("test failover drill on a TLS + AUTH group, with the probe", () => {
  it("says what the probe lacks until CacheDeck has the group's token, then writes over TLS with it and loses nothing", async () => {
    const request = { replicationGroupId: "drill-secure", shards: ["0001"], probe: true };
    const caFile = path.join(kit.emulator.dataDir, "tls", "ca.crt");
    const probeItem = async (cacheAccess: { caFile: string | null; authTokensFile: string | null }) =>
      (await kit.preflight(request, { cacheAccess })).checklist.items.find((i) => i.id === "probe");

    expect((await probeItem({ caFile, authTokensFile: null }))?.status).toBe("fail");
    const tokensFile = path.join(kit.dir, "cache-auth-tokens.json");
    writeFileSync(tokensFile, JSON.stringify({ "default/us-east-1/drill-secure": "a-wrong-token-of-enough-length" }));
    const wrong = await probeItem({ caFile, authTokensFile: tokensFile });
    expect(wrong).toMatchObject({ status: "fail", detail: expect.stringMatching(/cannot reach .*(WRONGPASS|NOAUTH|invalid username-password)/i) });
    expect(JSON.stringify(wrong)).not.toContain("a-wrong-token-of-enough-length");

    writeFileSync(tokensFile, JSON.stringify({ "default/us-east-1/drill-secure": "drill-secure-token-not-secret" }));
    const cacheAccess = { caFile, authTokensFile: tokensFile };
    const preflight = await kit.preflight(request, { cacheAccess });
    expect(preflight.checklist.items.filter((i) => i.status === "fail")).toEqual([]);
    const drill = await kit.create(preflight, request);
    const ended = await runToEnd(kit, drill, preflight, { config: { ...kit.config, cacheAccess } });
    expect(ended).toMatchObject({ status: "completed", verdict: "pass", error: null });
    const report = (await kit.store.report(drill.id))!;
    expect(report.probe).toMatchObject({ keysLost: 0, problem: null });
    expect(report.probe!.writesAcknowledged).toBeGreaterThan(50);
    expect(report.probe!.keysVerified).toBe(report.probe!.writesAcknowledged);
  });
});
