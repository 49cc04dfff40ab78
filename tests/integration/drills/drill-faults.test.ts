import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { REPO_ROOT } from "../../helpers/emulator";
import { runToEnd, startDrillKit, type DrillKit } from "./drill-kit";

// The drills that need faults: an AZ power interruption through AWS FIS (the emulator's) fails over the primaries
// in that zone; a drill whose CacheDeck process is killed mid-drill is marked interrupted, never lost.

let kit: DrillKit;

beforeAll(async () => {
  kit = await startDrillKit({
    replicationGroups: [
      {
        ReplicationGroupId: "zonal",
        ReplicationGroupDescription: "three shards, primaries in different zones",
        Engine: "valkey",
        CacheNodeType: "cache.t4g.small",
        NumNodeGroups: 3,
        ReplicasPerNodeGroup: 1,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
      },
      {
        ReplicationGroupId: "restarted",
        ReplicationGroupDescription: "drilled by a process that dies",
        Engine: "redis",
        CacheNodeType: "cache.t4g.small",
        NumCacheClusters: 2,
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
      },
    ],
  });
});
afterAll(async () => {
  await kit?.dispose();
});

describe("AZ power interruption drill", () => {
  it("fails over the primaries of the zone to replicas elsewhere, and is healthy only once power is back", async () => {
    const probe = await kit.preflight({ replicationGroupId: "zonal", kind: "test-failover" });
    const zoneOfFirstPrimary = probe.observed.shards[0].members.find((m) => m.role === "primary")?.availabilityZone;
    expect(zoneOfFirstPrimary).toMatch(/^us-east-1[a-f]$/);
    const request = { replicationGroupId: "zonal", kind: "az-power-interruption" as const, availabilityZone: zoneOfFirstPrimary!, shards: [], probe: true };
    const preflight = await kit.preflight(request);
    expect(preflight.checklist.items.filter((i) => i.status === "fail")).toEqual([]);
    const inZone = preflight.observed.shards.filter((s) => s.members.some((m) => m.role === "primary" && m.availabilityZone === zoneOfFirstPrimary)).map((s) => s.id);
    expect(inZone).toContain("0001");

    const drill = await kit.create(preflight, request);
    const ended = await runToEnd(kit, drill, preflight);
    expect(ended.status).toBe("completed");
    const report = (await kit.store.report(drill.id))!;
    const failedOver = report.shards.filter((s) => s.newPrimary);
    expect(failedOver.map((s) => s.shard).sort()).toEqual(inZone.sort());
    for (const shard of failedOver) {
      expect(shard.oldPrimary?.availabilityZone).toBe(zoneOfFirstPrimary);
      expect(shard.newPrimary?.availabilityZone).not.toBe(zoneOfFirstPrimary);
      expect(shard.newPrimaryMs).toBeLessThan(5_000);
    }
    // The zone is dark for 5 min of AWS time, 3 s at this time scale; its nodes are replaced (6 s) only after.
    expect(report.healthyMs).toBeGreaterThanOrEqual(3_000 + 6_000);
    expect(report.shards.every((s) => s.outcome === "healthy")).toBe(true);
    expect(report.events.map((e) => e.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^Failover from primary node zonal-0001-00\d to replica node zonal-0001-00\d completed$/)]));
    const [audited] = await kit.audit.list({ action: "drill.interrupt-az-power" });
    expect(audited).toMatchObject({ outcome: "succeeded", target: `zonal/${zoneOfFirstPrimary}`, parameters: { durationSeconds: 300, drillId: drill.id } });
  });
});

function runUntilCalled(file: string, group: string): Promise<number> {
  const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(__dirname, "fixtures/run-drill-then-hang.mts"), file, group], {
    cwd: REPO_ROOT,
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      const called = /called (\d+)/.exec(chunk.toString());
      if (!called) return;
      // No handler, no flush: exactly as a crash, an OOM kill or a container restart.
      child.kill("SIGKILL");
      child.once("exit", () => resolve(Number(called[1])));
    });
    child.once("exit", (code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`the drill process exited (${code}) before calling TestFailover:\n${stderr}`));
    });
  });
}

describe("a drill whose CacheDeck process dies", () => {
  it("is marked interrupted by the next start of CacheDeck, with what it measured until then kept", async () => {
    const dataDir = path.join(kit.dir, "app-data");
    const file = path.join(dataDir, "cachedeck.sqlite");
    mkdirSync(dataDir);
    const drillId = await runUntilCalled(file, "restarted");

    // The next start of CacheDeck on the same data dir: what instrumentation.ts runs.
    Object.assign(process.env, { CACHEDECK_DEMO: "1", CACHEDECK_DATA_DIR: dataDir });
    const { getDrillStore, recoverInterruptedDrills } = await import("@/lib/drills");
    recoverInterruptedDrills();
    const store = await getDrillStore();
    const report = await waitFor(() => store.report(drillId), { timeoutMs: 10_000, description: "the interrupted drill's report" });
    expect(await store.get(drillId)).toMatchObject({ status: "interrupted", error: expect.stringMatching(/CacheDeck stopped while the drill was running/) });
    expect(report.verdict).toMatchObject({ verdict: "inconclusive", summary: "Inconclusive: CacheDeck stopped while the drill was running." });
    expect(report.shards[0].apiCallAt).not.toBeNull();
    expect((await store.timeline(drillId)).map((e) => e.kind)).toContain("api-call");
  });
});
