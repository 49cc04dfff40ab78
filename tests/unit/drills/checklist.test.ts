import { describe, expect, it } from "vitest";
import { evaluateChecklist, shardsWithPrimaryIn, type MemberFacts, type PreflightFacts, type ShardFacts, type TemplateFacts } from "@/lib/drills/checklist";
import { drill } from "./fixtures";

const member = (id: string, role: MemberFacts["role"], az: string, overrides: Partial<MemberFacts> = {}): MemberFacts => ({
  cacheClusterId: id,
  availabilityZone: az,
  role,
  status: "available",
  lagSeconds: role === "replica" ? 0.2 : null,
  ...overrides,
});

const shard = (id: string, members: MemberFacts[]): ShardFacts => ({ id, status: "available", members });

function facts(overrides: Partial<PreflightFacts> = {}): PreflightFacts {
  return {
    kind: "test-failover",
    replicationGroupId: "orders",
    group: {
      status: "available",
      pendingChanges: [],
      automaticFailover: "enabled",
      multiAZ: "enabled",
      clusterMode: false,
      shards: [shard("0001", [member("orders-001", "primary", "us-east-1a"), member("orders-002", "replica", "us-east-1b")])],
    },
    requestedShards: ["0001"],
    availabilityZone: null,
    maxLagSeconds: 5,
    quota: { limit: 15, usedByOurRecords: 0, usedByEvents: 0 },
    runningDrill: null,
    lastDrill: null,
    fisRole: { arn: "arn:aws:iam::000000000000:role/cachedeck-fis-experiments", demo: true },
    durationSeconds: null,
    fisTemplate: null,
    probe: { requested: false, problem: null },
    ...overrides,
  };
}

const item = (f: PreflightFacts, id: string) => evaluateChecklist(f).items.find((i) => i.id === id)!;

describe("pre-flight checklist", () => {
  it("passes a healthy group and explains every item", () => {
    const checklist = evaluateChecklist(facts());
    expect(checklist.ready).toBe(true);
    expect(checklist.shards).toEqual(["0001"]);
    expect(checklist.items.map((i) => i.id)).toEqual([
      "group-available", "automatic-failover", "multi-az", "shards", "replica-0001", "quota", "no-running-drill", "probe", "last-drill",
    ]);
    for (const i of checklist.items) {
      expect(i.detail.length, i.id).toBeGreaterThan(10);
      expect(i.why.length, i.id).toBeGreaterThan(10);
    }
  });

  it("blocks a group that is not available or has a change under way", () => {
    const modifying = facts({ group: { ...facts().group, status: "modifying" } });
    expect(item(modifying, "group-available")).toMatchObject({ status: "fail", detail: expect.stringContaining("orders is modifying") });
    expect(evaluateChecklist(modifying).ready).toBe(false);
    const pending = facts({ group: { ...facts().group, pendingChanges: ["Resharding"] } });
    expect(item(pending, "group-available")).toMatchObject({ status: "fail", detail: expect.stringContaining("Resharding") });
  });

  it("blocks without automatic failover or Multi-AZ", () => {
    expect(item(facts({ group: { ...facts().group, automaticFailover: "disabled" } }), "automatic-failover").status).toBe("fail");
    expect(item(facts({ group: { ...facts().group, multiAZ: "disabled" } }), "multi-az")).toMatchObject({
      status: "fail",
      detail: "Multi-AZ is disabled. Enable it on the group first.",
    });
  });

  it("blocks unknown, missing and repeated shards, naming the ones the group has", () => {
    expect(item(facts({ requestedShards: ["0009"] }), "shards")).toMatchObject({ status: "fail", detail: "orders has no shard 0009; it has 0001." });
    expect(item(facts({ requestedShards: [] }), "shards").status).toBe("fail");
    expect(item(facts({ requestedShards: ["0001", "0001"] }), "shards").detail).toBe("Shard 0001 is chosen twice.");
  });

  describe("replica per shard", () => {
    const withMembers = (members: MemberFacts[]) => facts({ group: { ...facts().group, shards: [shard("0001", members)] } });

    it("fails a shard without a replica", () => {
      expect(item(withMembers([member("orders-001", "primary", "us-east-1a")]), "replica-0001")).toMatchObject({
        status: "fail",
        detail: "Shard 0001 has no replica. Add one before drilling it.",
      });
    });

    it("fails when every replica lags more than the threshold, with the figures", () => {
      const lagging = withMembers([member("orders-001", "primary", "us-east-1a"), member("orders-002", "replica", "us-east-1b", { lagSeconds: 12.5 })]);
      expect(item(lagging, "replica-0001")).toMatchObject({ status: "fail", detail: expect.stringContaining("lag 12.5 s") });
    });

    it("passes when one replica of several is caught up", () => {
      const mixed = withMembers([
        member("orders-001", "primary", "us-east-1a"),
        member("orders-002", "replica", "us-east-1b", { lagSeconds: 30 }),
        member("orders-003", "replica", "us-east-1c", { lagSeconds: 0.4 }),
      ]);
      expect(item(mixed, "replica-0001").status).toBe("pass");
    });

    it("fails when no replica is available", () => {
      const down = withMembers([member("orders-001", "primary", "us-east-1a"), member("orders-002", "replica", "us-east-1b", { status: "modifying" })]);
      expect(item(down, "replica-0001")).toMatchObject({ status: "fail", detail: expect.stringContaining("No replica of shard 0001 is available") });
    });

    it("warns, without blocking, when CloudWatch has no lag data", () => {
      const unmeasured = withMembers([member("orders-001", "primary", "us-east-1a"), member("orders-002", "replica", "us-east-1b", { lagSeconds: null })]);
      expect(item(unmeasured, "replica-0001").status).toBe("warn");
      expect(evaluateChecklist(unmeasured).ready).toBe(true);
    });
  });

  it("counts the quota from whichever record saw more failovers, against the shards chosen", () => {
    const twoShards = facts({
      group: {
        ...facts().group,
        shards: [
          shard("0001", [member("o-0001-001", "primary", "us-east-1a"), member("o-0001-002", "replica", "us-east-1b")]),
          shard("0002", [member("o-0002-001", "primary", "us-east-1b"), member("o-0002-002", "replica", "us-east-1c")]),
        ],
      },
      requestedShards: ["0001", "0002"],
    });
    expect(item({ ...twoShards, quota: { limit: 15, usedByOurRecords: 13, usedByEvents: 2 } }, "quota").status).toBe("pass");
    const short = item({ ...twoShards, quota: { limit: 15, usedByOurRecords: 3, usedByEvents: 14 } }, "quota");
    expect(short).toMatchObject({ status: "fail", detail: expect.stringMatching(/^Only 1 of 15 left.*needs 2/) });
    expect(item({ ...twoShards, quota: { limit: 5, usedByOurRecords: 3, usedByEvents: null } }, "quota").detail).toBe("2 of 5 left in this region for the last 24 hours (3 test failovers in CacheDeck's records); this drill uses 2.");
  });

  it("blocks while another drill runs on the group, and reports the last drill as information", () => {
    const running = drill({ id: 9, status: "running", verdict: null, finishedAt: null });
    expect(item(facts({ runningDrill: running }), "no-running-drill")).toMatchObject({ status: "fail", detail: expect.stringContaining("Drill #9, started by Omar Operator") });
    expect(item(facts({ lastDrill: drill({ verdict: "pass" }) }), "last-drill")).toMatchObject({
      status: "info",
      detail: "Drill #7 on 2026-03-01 10:00:00 UTC by Omar Operator: completed, verdict pass.",
    });
    expect(item(facts(), "last-drill").detail).toBe("No drill of orders on record.");
  });

  it("fails a requested probe that cannot reach the endpoint, and leaves it out when not requested", () => {
    expect(item(facts({ probe: { requested: true, problem: "Could not connect to the primary endpoint." } }), "probe")).toMatchObject({
      status: "fail",
      detail: "Could not connect to the primary endpoint. Turn the probe off to drill without it.",
    });
    expect(item(facts({ probe: { requested: true, problem: null } }), "probe").status).toBe("pass");
    expect(item(facts(), "probe").status).toBe("info");
  });

  describe("AZ power interruption", () => {
    const az = (zone: string, overrides: Partial<PreflightFacts> = {}) =>
      facts({
        kind: "az-power-interruption",
        availabilityZone: zone,
        requestedShards: [],
        group: {
          ...facts().group,
          clusterMode: true,
          shards: [
            shard("0001", [member("c-0001-001", "primary", "us-east-1a"), member("c-0001-002", "replica", "us-east-1b")]),
            shard("0002", [member("c-0002-001", "primary", "us-east-1b"), member("c-0002-002", "replica", "us-east-1c")]),
            shard("0003", [member("c-0003-001", "primary", "us-east-1a"), member("c-0003-002", "replica", "us-east-1a")]),
          ],
        },
        ...overrides,
      });

    it("drills the shards whose primary is in the zone, and needs a replica outside it", () => {
      expect(shardsWithPrimaryIn(az("us-east-1a").group, "us-east-1a")).toEqual(["0001", "0003"]);
      const checklist = evaluateChecklist(az("us-east-1a"));
      expect(checklist.shards).toEqual(["0001", "0003"]);
      expect(checklist.items.find((i) => i.id === "replica-0001")?.status).toBe("pass");
      expect(checklist.items.find((i) => i.id === "replica-0003")).toMatchObject({ status: "fail", detail: expect.stringContaining("Every replica of shard 0003 is in us-east-1a") });
      expect(checklist.ready).toBe(false);
      const zoneB = evaluateChecklist(az("us-east-1b"));
      expect(zoneB.ready).toBe(true);
      // 0001 only has a replica there: it is drilled (it must recover) but nothing in it fails over.
      expect(zoneB.shards).toEqual(["0001", "0002"]);
      expect(zoneB.items.filter((i) => i.id.startsWith("replica-")).map((i) => i.id)).toEqual(["replica-0002"]);
    });

    it("names the FIS role, needs a zone that hosts the group, and spends no quota", () => {
      expect(item(az("us-east-1b"), "fis-role")).toMatchObject({ status: "info", detail: expect.stringContaining("set CACHEDECK_FIS_ROLE_ARN") });
      expect(item(az("us-east-1b", { fisRole: { arn: "arn:aws:iam::123456789012:role/drills", demo: false } }), "fis-role")).toMatchObject({ status: "pass", detail: "Experiments run as arn:aws:iam::123456789012:role/drills." });
      expect(evaluateChecklist(facts()).items.some((i) => i.id === "fis-role")).toBe(false);
      expect(item(az("us-east-1f"), "shards")).toMatchObject({ status: "fail", detail: expect.stringContaining("has no node in us-east-1f") });
      expect(item(az("us-east-1c"), "shards").status).toBe("warn");
      expect(item(az("us-east-1b", { quota: { limit: 1, usedByOurRecords: 5, usedByEvents: 5 } }), "quota").status).toBe("info");
    });

    it("starts a configured template only when it cuts this group's chosen zone for the chosen time, and nothing else", () => {
      const template: TemplateFacts = {
        id: "EXTorg1",
        found: true,
        actionIds: ["aws:elasticache:replicationgroup-interrupt-az-power"],
        azPowerOnly: true,
        availabilityZone: "us-east-1b",
        durationSeconds: 600,
        targetGroups: ["orders"],
      };
      const withTemplate = (overrides: Partial<TemplateFacts>, zone = "us-east-1b") => item(az(zone, { durationSeconds: 600, fisTemplate: { ...template, ...overrides } }), "fis-template");
      expect(withTemplate({})).toMatchObject({ status: "pass", detail: "Template EXTorg1 cuts the power of us-east-1b for 10 min 00 s on orders; it is started as it is and kept after the drill." });
      expect(evaluateChecklist(az("us-east-1b", { durationSeconds: 600, fisTemplate: template })).ready).toBe(true);
      expect(withTemplate({ found: false })).toMatchObject({ status: "fail", detail: expect.stringContaining("does not exist in this region") });
      expect(withTemplate({ azPowerOnly: false, actionIds: ["aws:elasticache:replicationgroup-interrupt-az-power", "aws:fis:wait"] })).toMatchObject({
        status: "fail",
        detail: expect.stringContaining("runs aws:elasticache:replicationgroup-interrupt-az-power, aws:fis:wait"),
      });
      expect(withTemplate({ targetGroups: ["catalog"] })).toMatchObject({ status: "fail", detail: expect.stringContaining("does not target orders (it targets catalog)") });
      expect(withTemplate({ targetGroups: null })).toMatchObject({ status: "fail", detail: expect.stringContaining("does not target orders") });
      expect(withTemplate({ targetGroups: ["orders", "catalog"] })).toMatchObject({ status: "fail", detail: expect.stringContaining("also targets catalog") });
      expect(withTemplate({}, "us-east-1a")).toMatchObject({ status: "fail", detail: expect.stringContaining("cuts the power of us-east-1b, not us-east-1a: choose us-east-1b") });
      expect(withTemplate({ durationSeconds: 300 })).toMatchObject({ status: "fail", detail: expect.stringContaining("set the duration to 300 seconds") });
      // Without a configured template CacheDeck creates one per drill, and there is nothing to check.
      expect(evaluateChecklist(az("us-east-1b")).items.some((i) => i.id === "fis-template")).toBe(false);
    });
  });
});
