import path from "node:path";
import {
  DescribeCacheClustersCommand,
  DescribeCacheSubnetGroupsCommand,
  DescribeServerlessCachesCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elasticacheService } from "@/emulator/elasticache/service";
import { fleetAccounts, FleetError, fleetSchema, loadFleet, readFleetFile } from "@/emulator/fleet";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, REPO_ROOT, startTestEmulator, TEST_CREDENTIALS, waitForReplicationGroup, type TestEmulator } from "@/tests/helpers/emulator";
import { awsCli } from "@/tests/helpers/aws-cli";
import { countAwsCalls } from "@/lib/aws";
import { loadFleet as loadFleetView } from "@/lib/data/fleet";
import type { ClusterSummary } from "@/lib/data/model";
import { resolveTimeWindow } from "@/lib/data/time-range";
import { stopAllWatchers } from "@/lib/watcher";

const DEMO = path.join(REPO_ROOT, "emulator/fleets/demo.json");
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: DEMO });
});
afterAll(async () => {
  stopAllWatchers();
  await emulator?.dispose();
});

describe("the demo fleet", () => {
  it("comes up as the issue describes, in both regions, with tags", async () => {
    const us = elasticacheClient(emulator.url);
    const eu = elasticacheClient(emulator.url, "eu-west-1");
    const sessions = await waitForReplicationGroup(us, "orders-sessions");
    expect(sessions.NodeGroups![0].NodeGroupMembers!.map((m) => `${m.CurrentRole} ${m.PreferredAvailabilityZone}`)).toEqual([
      "primary us-east-1a",
      "replica us-east-1b",
      "replica us-east-1c",
    ]);
    // A mix of settings, so the posture pages have findings (the TLS + AUTH group is staging's).
    expect(sessions).toMatchObject({ AtRestEncryptionEnabled: true, SnapshotRetentionLimit: 1, TransitEncryptionEnabled: false, AuthTokenEnabled: false });
    const catalog = await waitForReplicationGroup(us, "catalog-cache");
    expect(catalog).toMatchObject({ AtRestEncryptionEnabled: false, SnapshotRetentionLimit: 0 });
    expect(catalog.NodeGroups!.map((ng) => ng.NodeGroupMembers!.length)).toEqual([2, 2, 2]);

    const clusters = await waitFor(
      async () => {
        const { CacheClusters } = await eu.send(new DescribeCacheClustersCommand({ ShowCacheNodeInfo: true }));
        return CacheClusters!.every((c) => c.CacheClusterStatus === "available") && CacheClusters!;
      },
      { timeoutMs: 30_000, description: "the eu-west-1 clusters to be available" },
    );
    expect(clusters.filter((c) => !c.ReplicationGroupId).map((c) => [c.CacheClusterId, c.Engine, c.CacheNodes!.length])).toEqual([["pricing-memcached", "memcached", 2]]);
    // The Redis OSS 6 cache is a replication group (a primary and a replica), so the engine upgrade applies to it.
    const flags = await waitForReplicationGroup(eu, "feature-flags");
    expect(flags.NodeGroups![0].NodeGroupMembers!.map((m) => `${m.CurrentRole} ${m.PreferredAvailabilityZone}`)).toEqual(["primary eu-west-1b", "replica eu-west-1c"]);
    expect(clusters.filter((c) => c.ReplicationGroupId === "feature-flags").map((c) => `${c.Engine} ${c.EngineVersion}`)).toEqual(["redis 6.2", "redis 6.2"]);
    const serverless = await waitFor(
      async () => {
        const { ServerlessCaches } = await us.send(new DescribeServerlessCachesCommand({}));
        return ServerlessCaches![0]?.Status === "AVAILABLE" && ServerlessCaches!;
      },
      { timeoutMs: 30_000, description: "the serverless cache to be available" },
    );
    expect(serverless.map((c) => c.ServerlessCacheName)).toEqual(["user-profiles"]);
    // Staging's group runs TLS + AUTH for real: it comes up (its nodes answer the emulator over TLS with the token).
    const staging = emulator.controlPlanes.get("111111111111")!;
    const secured = await waitFor(
      () => {
        const rg = staging.regionState("us-east-1").replicationGroups["orders-sessions-staging"];
        return rg?.status === "available" && rg;
      },
      { timeoutMs: 30_000, description: "orders-sessions-staging to be available" },
    );
    expect(secured.settings).toMatchObject({ transitEncryptionEnabled: true, atRestEncryptionEnabled: true, snapshotRetentionLimit: 7, authTokens: [expect.any(String)] });
    // orders-sessions sits in its own subnet group, catalog-cache in the region's default one (a posture finding).
    const subnetGroupOf = async (id: string) => (await us.send(new DescribeCacheClustersCommand({ CacheClusterId: id }))).CacheClusters![0].CacheSubnetGroupName;
    expect(await subnetGroupOf(sessions.MemberClusters![0])).toBe("orders-private");
    expect(await subnetGroupOf(catalog.MemberClusters![0])).toBe("default");
    const { CacheSubnetGroups } = await us.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "orders-private" }));
    expect(CacheSubnetGroups![0].Subnets!.map((s) => s.SubnetIdentifier)).toEqual(["subnet-0a1b2c3d4e5f60711", "subnet-0a1b2c3d4e5f60712", "subnet-0a1b2c3d4e5f60713"]);
    const tags = await us.send(new ListTagsForResourceCommand({ ResourceName: catalog.ARN }));
    expect(tags.TagList).toEqual(expect.arrayContaining([{ Key: "service", Value: "catalog" }, { Key: "team", Value: "discovery" }]));
  });

  it("loads again without creating anything, and reports a bad entry with its place in the file", async () => {
    const service = elasticacheService(emulator.controlPlane);
    const [production] = fleetAccounts(readFleetFile(DEMO));
    expect(production.account.name).toBe("production");
    // Each kind is found by its own not-found code: a missing subnet group is a 400 (CacheSubnetGroupNotFoundFault),
    // so the subnet group already there is skipped, not an error.
    expect(await loadFleet(production.fleet!, service, DEMO)).toBe(0);
    const bad = { regions: { "us-east-1": { replicationGroups: [{ ReplicationGroupId: "broken", ReplicationGroupDescription: "x", NumCacheClusters: 9 }] } } };
    const attempt = loadFleet(fleetSchema.parse(bad), service, "bad.json");
    await expect(attempt).rejects.toBeInstanceOf(FleetError);
    await expect(attempt).rejects.toThrow(
      "bad.json: regions.us-east-1.replicationGroups[0] (broken): InvalidParameterValue: NumCacheClusters must be between 1 and 6",
    );
    const unknownGroup = { regions: { "us-east-1": { cacheClusters: [{ CacheClusterId: "lost", Engine: "memcached", CacheNodeType: "cache.t3.micro", NumCacheNodes: 1, CacheSubnetGroupName: "nowhere" }] } } };
    await expect(loadFleet(fleetSchema.parse(unknownGroup), service, "lost.json")).rejects.toThrow(
      "lost.json: regions.us-east-1.cacheClusters[0] (lost): CacheSubnetGroupNotFoundFault: Cache subnet group nowhere not found.",
    );
  });
});

describe("the demo fleet's posture, as the dashboard judges it", () => {
  const demoCaches = ["catalog-cache", "feature-flags", "orders-sessions", "orders-sessions-staging", "pricing-memcached", "pricing-memcached-staging", "user-profiles"];
  let caches: Map<string, ClusterSummary>;

  beforeAll(async () => {
    // The app's own read path: the demo's accounts file, STS AssumeRole for staging, one watcher per account × region.
    Object.assign(process.env, {
      CACHEDECK_ACCOUNTS_FILE: path.join(REPO_ROOT, "scripts/demo-accounts.json"),
      AWS_ENDPOINT_URL: emulator.url,
      AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
      AWS_EC2_METADATA_DISABLED: "true",
    });
    const view = await waitFor(
      async () => {
        const now = Date.now();
        const fleet = await loadFleetView(resolveTimeWindow({}, now).window, now);
        const settled = fleet.clusters.length === demoCaches.length && fleet.clusters.every((c) => c.status === "available" && c.engineVersion);
        if (!settled) throw new Error(JSON.stringify({ regions: fleet.regions, caches: fleet.clusters.map((c) => [c.id, c.status, c.engineVersion]) }));
        return fleet;
      },
      { timeoutMs: 60_000, description: "every demo cache to be available in the dashboard's fleet" },
    );
    caches = new Map(view.clusters.map((c) => [c.id, c]));
  });

  const outcome = (id: string, control: string) => caches.get(id)!.posture.controls.find((r) => r.id === control)!.outcome;

  it("finds feature-flags on Redis OSS 6 with standard support ending 31 January 2027", () => {
    expect([...caches.keys()].sort()).toEqual(demoCaches);
    const flags = caches.get("feature-flags")!.posture.lifecycle;
    expect(flags).toMatchObject({ label: "Redis OSS 6", standardSupportEnds: "2027-01-31", extendedSupportEnds: "2030-01-31" });
    // Today's date decides which of the two (the judgement at each boundary day is unit-tested with a set clock).
    expect(flags.state).toBe(Date.now() < Date.parse("2027-02-01T00:00:00Z") ? "standard-ends-soon" : "extended-support");
    for (const id of ["catalog-cache", "orders-sessions", "pricing-memcached", "user-profiles"]) expect(caches.get(id)!.posture.lifecycle.state).toBe("supported");
  });

  it("judges each group's controls as the AWS CLI's describe-replication-groups and describe-cache-clusters show its settings", async () => {
    const cli = async (region: string, args: string[]) => {
      const run = await awsCli(emulator.url, ["elasticache", ...args], region);
      expect(run.code, run.stderr).toBe(0);
      return JSON.parse(run.stdout);
    };
    const ReplicationGroups = [];
    const members = [];
    for (const region of ["us-east-1", "eu-west-1"]) {
      ReplicationGroups.push(...(await cli(region, ["describe-replication-groups"])).ReplicationGroups);
      members.push(...(await cli(region, ["describe-cache-clusters"])).CacheClusters);
    }
    expect(ReplicationGroups.map((g: { ReplicationGroupId: string }) => g.ReplicationGroupId).sort()).toEqual(["catalog-cache", "feature-flags", "orders-sessions"]);
    for (const g of ReplicationGroups) {
      const subnetGroups = members.filter((m: { ReplicationGroupId?: string }) => m.ReplicationGroupId === g.ReplicationGroupId).map((m: { CacheSubnetGroupName: string }) => m.CacheSubnetGroupName);
      const expected = {
        "ElastiCache.1": g.SnapshotRetentionLimit >= 1,
        "ElastiCache.2": g.AutoMinorVersionUpgrade,
        "ElastiCache.3": g.AutomaticFailover === "enabled",
        "ElastiCache.4": g.AtRestEncryptionEnabled,
        "ElastiCache.5": g.TransitEncryptionEnabled,
        "ElastiCache.7": !subnetGroups.includes("default"),
        "WA.multi-az": g.MultiAZ === "enabled",
      };
      for (const [control, passes] of Object.entries(expected)) expect([g.ReplicationGroupId, control, outcome(g.ReplicationGroupId, control)]).toEqual([g.ReplicationGroupId, control, passes ? "pass" : "fail"]);
    }
    // The mix the demo was given: orders-sessions is encrypted at rest with backups, catalog-cache has neither; both
    // are in the default subnet group and send plain text.
    expect([outcome("orders-sessions", "ElastiCache.4"), outcome("orders-sessions", "ElastiCache.1"), outcome("catalog-cache", "ElastiCache.4")]).toEqual(["pass", "pass", "fail"]);
    // feature-flags: no backups, the default subnet group, plain text (the posture findings the fleet shows for it).
    expect(["ElastiCache.1", "ElastiCache.5", "ElastiCache.7"].map((c) => outcome("feature-flags", c))).toEqual(["fail", "fail", "fail"]);
    expect(outcome("pricing-memcached", "ElastiCache.1")).toBe("not-applicable");
    expect(outcome("pricing-memcached", "WA.two-azs")).toBe("pass");
    expect(new Set(caches.get("user-profiles")!.posture.controls.map((r) => r.outcome))).toEqual(new Set(["not-applicable"]));
  });

  it("sees staging's TLS + AUTH + at-rest + backups group pass what the emulator holds, and spends no AWS call on posture", async () => {
    const held = emulator.controlPlanes.get("111111111111")!.regionState("us-east-1").replicationGroups["orders-sessions-staging"].settings;
    expect(held).toMatchObject({ transitEncryptionEnabled: true, atRestEncryptionEnabled: true, snapshotRetentionLimit: 7 });
    for (const control of ["ElastiCache.1", "ElastiCache.4", "ElastiCache.5"]) expect(outcome("orders-sessions-staging", control)).toBe("pass");
    const now = Date.now();
    const again = await countAwsCalls(() => loadFleetView(resolveTimeWindow({}, now).window, now));
    expect(again.result.clusters.every((c) => c.posture.controls.length === 9)).toBe(true);
    expect(again.calls.filter((c) => c.operation !== "DescribeEvents")).toEqual([]);
  });
});
