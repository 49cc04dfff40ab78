import path from "node:path";
import {
  DescribeCacheClustersCommand,
  DescribeServerlessCachesCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elasticacheService } from "@/emulator/elasticache/service";
import { fleetAccounts, FleetError, fleetSchema, loadFleet, readFleetFile } from "@/emulator/fleet";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, REPO_ROOT, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "@/tests/helpers/emulator";

const DEMO = path.join(REPO_ROOT, "emulator/fleets/demo.json");
let emulator: TestEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: DEMO });
});
afterAll(() => emulator?.dispose());

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
    expect(clusters.find((c) => c.CacheClusterId === "feature-flags")!.EngineVersion).toBe("6.2");
    expect(clusters.map((c) => [c.CacheClusterId, c.Engine, c.CacheNodes!.length])).toEqual([
      ["feature-flags", "redis", 1],
      ["pricing-memcached", "memcached", 2],
    ]);
    const serverless = await waitFor(
      async () => {
        const { ServerlessCaches } = await eu.send(new DescribeServerlessCachesCommand({}));
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
    const tags = await us.send(new ListTagsForResourceCommand({ ResourceName: catalog.ARN }));
    expect(tags.TagList).toEqual(expect.arrayContaining([{ Key: "service", Value: "catalog" }, { Key: "team", Value: "discovery" }]));
  });

  it("loads again without creating anything, and reports a bad entry with its place in the file", async () => {
    const service = elasticacheService(emulator.controlPlane);
    const [production] = fleetAccounts(readFleetFile(DEMO));
    expect(production.account.name).toBe("production");
    expect(await loadFleet(production.fleet!, service, DEMO)).toBe(0);
    const bad = { regions: { "us-east-1": { replicationGroups: [{ ReplicationGroupId: "broken", ReplicationGroupDescription: "x", NumCacheClusters: 9 }] } } };
    const attempt = loadFleet(fleetSchema.parse(bad), service, "bad.json");
    await expect(attempt).rejects.toBeInstanceOf(FleetError);
    await expect(attempt).rejects.toThrow(
      "bad.json: regions.us-east-1.replicationGroups[0] (broken): InvalidParameterValue: NumCacheClusters must be between 1 and 6",
    );
  });
});
