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
    const catalog = await waitForReplicationGroup(us, "catalog-cache");
    expect(catalog.NodeGroups!.map((ng) => ng.NodeGroupMembers!.length)).toEqual([2, 2, 2]);

    const clusters = await waitFor(
      async () => {
        const { CacheClusters } = await eu.send(new DescribeCacheClustersCommand({ ShowCacheNodeInfo: true }));
        return CacheClusters!.every((c) => c.CacheClusterStatus === "available") && CacheClusters!;
      },
      { timeoutMs: 30_000, description: "the eu-west-1 clusters to be available" },
    );
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
