import { mkdirSync } from "node:fs";
import path from "node:path";
import { ModifyReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import { waitFor } from "@/emulator/nodes/wait-for";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elasticacheClient } from "@/tests/helpers/emulator";
import { at } from "@/tests/helpers/place";
import { smallGroup } from "@/tests/helpers/small-fleet";
import { observeGroup } from "@/lib/drills/observe";
import { describeFollowOutcome, followGroup, followWithProbe, startUpgradeProbe, upgradeFinished, upgradeWriteProbe } from "@/lib/drills/upgrade-probe";
import { startDrillKit, type DrillKit } from "./drill-kit";

// The engine upgrade's probe on real nodes: the drill's write probe follows a Redis OSS 6.2 → Valkey 8.0 rolling
// replacement (replicas, one failover, the old primary) until the group reports the new engine, and reads every
// acknowledged write back: none lost. Then the deadline: a change that never finishes stops the probe anyway.

const GROUP = "legacy-probe";
const place = at("us-east-1");
let kit: DrillKit;

beforeAll(async () => {
  kit = await startDrillKit({ replicationGroups: [smallGroup(GROUP, { EngineVersion: "6.2" })] }, { timeScale: 0.002 });
});
afterAll(() => kit?.dispose());

describe("the engine upgrade's write probe", () => {
  it("follows the rolling replacement until the group runs Valkey 8.0, with every acknowledged write read back", async () => {
    const target = { engine: "valkey", version: "8.0" };
    // The app's own follower and probe (lib/drills/upgrade-probe.ts): after the failover it keeps writing to the old
    // primary's address for up to a second, while that node is replaced, as an application with a cached DNS answer.
    const { group } = await observeGroup(place, GROUP);
    const follower = followGroup(place, group);
    expect(upgradeFinished(await follower.observe(), target)).toBe(false);
    const following = followWithProbe({
      probe: upgradeWriteProbe("upgrade:1", group, follower.resolve),
      finished: async () => upgradeFinished(await follower.observe(), target),
      deadlineMs: 120_000,
      checkEveryMs: 250,
    });
    await elasticacheClient(kit.emulator.url).send(new ModifyReplicationGroupCommand({ ReplicationGroupId: GROUP, Engine: "valkey", EngineVersion: "8.0", ApplyImmediately: true }));
    const outcome = await following;

    expect(outcome.ended).toBe("finished");
    expect(outcome.probe).toMatchObject({ keysLost: 0, problem: null });
    // One write every 100 ms over a replacement of two or three seconds here, part of it refused around the failover.
    expect(outcome.probe.writesAcknowledged).toBeGreaterThan(3);
    expect(outcome.probe.keysVerified).toBe(outcome.probe.writesAcknowledged);
    // The failover refused writes for a while (the old primary demoted, the endpoint moved), and the probe measured it.
    expect(outcome.probe.writesFailed).toBeGreaterThan(0);
    expect(outcome.probe.longestWriteOutageMs).toBeGreaterThan(0);
    expect(describeFollowOutcome(outcome)).toMatch(/^probe: [\d,]+ writes acknowledged, 0 lost, longest refused-write window [\d,]+ ms \(until the upgrade finished\)$/);
  });

  it("stops at the deadline when the change does not finish, and says so", async () => {
    const { group } = await observeGroup(place, GROUP);
    const probe = upgradeWriteProbe("upgrade:2", group, followGroup(place, group).resolve);
    const outcome = await followWithProbe({ probe, finished: async () => false, deadlineMs: 600, checkEveryMs: 200 });
    expect(outcome.ended).toBe("deadline");
    expect(outcome.probe).toMatchObject({ keysLost: 0, problem: null });
    expect(outcome.probe.writesAcknowledged).toBeGreaterThan(0);
    expect(describeFollowOutcome(outcome)).toMatch(/\(stopped at its deadline, before the upgrade finished\)$/);
  });

  it("records a probe that fails in CacheDeck as failed, not as an instance that stopped", async () => {
    // The app's own audit log (lib/audit), on a data dir of its own, as the action uses it.
    const dataDir = path.join(kit.dir, "app-data");
    mkdirSync(dataDir);
    Object.assign(process.env, { CACHEDECK_DEMO: "1", CACHEDECK_DATA_DIR: dataDir });
    const { getAuditLog } = await import("@/lib/audit");
    const audit = await getAuditLog();
    const auditId = await audit.begin({ actor: { id: "u-ada", name: "Ada Admin", email: null, role: "admin" }, action: "cluster.upgrade-engine", account: "default", region: "us-east-1", target: "deleted-meanwhile", parameters: {} });
    await audit.complete(auditId, { outcome: "succeeded" });
    // The group is gone by the time the probe first reads it: AWS answers ReplicationGroupNotFound.
    const { group } = await observeGroup(place, GROUP);
    startUpgradeProbe(auditId, place, { ...group, id: "deleted-meanwhile" }, { engine: "valkey", version: "8.0" });
    const record = await waitFor(async () => ((await audit.get(auditId))?.followUp ? audit.get(auditId) : undefined), { timeoutMs: 15_000, description: "the probe's follow-up" });
    expect(record!.followUp).toBe("probe: failed in CacheDeck (see its server log) before the upgrade finished, so its figures are lost.");
  });
});
