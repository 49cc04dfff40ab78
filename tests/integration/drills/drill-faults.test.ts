import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { AddTagsToResourceCommand } from "@aws-sdk/client-elasticache";
import { CreateExperimentTemplateCommand, FisClient, GetExperimentCommand, GetExperimentTemplateCommand } from "@aws-sdk/client-fis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, REPO_ROOT, TEST_CREDENTIALS } from "../../helpers/emulator";
import { describeGroup } from "../../helpers/replication-group";
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

describe("AZ power interruption drill with the organization's own FIS template", () => {
  const fis = () => new FisClient({ region: "us-east-1", endpoint: kit.emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const roleArn = "arn:aws:iam::000000000000:role/org-fis";

  async function orgTemplate(zone: string, target: { resourceArns: string[] } | { resourceTags: Record<string, string> }): Promise<string> {
    const { experimentTemplate } = await fis().send(
      new CreateExperimentTemplateCommand({
        description: "reviewed by the platform team",
        roleArn,
        stopConditions: [{ source: "none" }],
        targets: { Groups: { resourceType: "aws:elasticache:replicationgroup", selectionMode: "ALL", ...target } },
        actions: { cut: { actionId: "aws:elasticache:replicationgroup-interrupt-az-power", parameters: { availabilityZoneIdentifier: zone, duration: "PT5M" }, targets: { ReplicationGroups: "Groups" } } },
      }),
    );
    return experimentTemplate!.id!;
  }

  it("starts the configured template instead of creating one, and keeps it after the drill", async () => {
    const zonal = await describeGroup(elasticacheClient(kit.emulator.url), "zonal");
    const probe = await kit.preflight({ replicationGroupId: "zonal", kind: "test-failover" });
    const zone = probe.observed.shards[0].members.find((m) => m.role === "primary")!.availabilityZone!;
    const templateId = await orgTemplate(zone, { resourceArns: [zonal.ARN!] });
    const config = { ...kit.config, fisTemplateIds: new Map([["default/us-east-1", templateId]]) };
    const request = { replicationGroupId: "zonal", kind: "az-power-interruption" as const, availabilityZone: zone, durationSeconds: 300, shards: [], probe: false };

    const wrongZone = await kit.preflight({ ...request, availabilityZone: zone === "us-east-1a" ? "us-east-1b" : "us-east-1a" }, config);
    expect(wrongZone.checklist.items.find((i) => i.id === "fis-template")).toMatchObject({ status: "fail", detail: expect.stringContaining(`choose ${zone}`) });
    const preflight = await kit.preflight(request, config);
    expect(preflight.checklist.items.find((i) => i.id === "fis-template")).toMatchObject({ status: "pass" });
    expect(preflight.checklist.ready).toBe(true);

    const drill = await kit.create(preflight, request);
    expect((await runToEnd(kit, drill, preflight, { config })).status).toBe("completed");
    const started = (await kit.store.timeline(drill.id)).find((e) => e.kind === "api-call")!;
    const experimentId = /EXP\w+/.exec(started.message)![0];
    const { experiment } = await fis().send(new GetExperimentCommand({ id: experimentId }));
    expect(experiment).toMatchObject({ experimentTemplateId: templateId, roleArn, state: { status: "completed" } });
    expect((await fis().send(new GetExperimentTemplateCommand({ id: templateId }))).experimentTemplate?.id).toBe(templateId);
  });

  it("refuses a template whose tags select more than the drilled group (read through the Resource Groups Tagging API)", async () => {
    const client = elasticacheClient(kit.emulator.url);
    for (const id of ["zonal", "restarted"]) {
      await client.send(new AddTagsToResourceCommand({ ResourceName: (await describeGroup(client, id)).ARN!, Tags: [{ Key: "drills", Value: "platform" }] }));
    }
    const templateId = await orgTemplate("us-east-1a", { resourceTags: { drills: "platform" } });
    const config = { ...kit.config, fisTemplateIds: new Map([["default/us-east-1", templateId]]) };
    const preflight = await kit.preflight({ replicationGroupId: "zonal", kind: "az-power-interruption", availabilityZone: "us-east-1a", durationSeconds: 300, shards: [] }, config);
    expect(preflight.checklist.items.find((i) => i.id === "fis-template")).toMatchObject({ status: "fail", detail: expect.stringContaining("also targets restarted") });
    expect(preflight.checklist.ready).toBe(false);
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
    const { getDrillStore, recoverAbandonedWork } = await import("@/lib/drills");
    recoverAbandonedWork();
    const store = await getDrillStore();
    const report = await waitFor(() => store.report(drillId), { timeoutMs: 10_000, description: "the interrupted drill's report" });
    expect(await store.get(drillId)).toMatchObject({ status: "interrupted", error: expect.stringMatching(/CacheDeck stopped while the drill was running/) });
    expect(report.verdict).toMatchObject({ verdict: "inconclusive", summary: "Inconclusive: CacheDeck stopped while the drill was running." });
    expect(report.shards[0].apiCallAt).not.toBeNull();
    expect((await store.timeline(drillId)).map((e) => e.kind)).toContain("api-call");
  });
});
