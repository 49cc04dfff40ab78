import net from "node:net";
import os from "node:os";
import {
  AddTagsToResourceCommand,
  CacheClusterAlreadyExistsFault,
  CacheClusterNotFoundFault,
  CreateCacheClusterCommand,
  CreateServerlessCacheCommand,
  DeleteCacheClusterCommand,
  DeleteServerlessCacheCommand,
  DescribeCacheClustersCommand,
  DescribeCacheEngineVersionsCommand,
  DescribeEventsCommand,
  DescribeServerlessCachesCommand,
  InvalidARNFault,
  InvalidCacheClusterStateFault,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidServerlessCacheStateFault,
  ListAllowedNodeTypeModificationsCommand,
  ListTagsForResourceCommand,
  RemoveTagsFromResourceCommand,
  ReplicationGroupNotFoundFault,
  ServerlessCacheAlreadyExistsFault,
  ServerlessCacheNotFoundFault,
  TagNotFoundFault,
  TagQuotaPerResourceExceeded,
  type CacheCluster,
  type ElastiCacheClient,
  type ServerlessCache,
} from "@aws-sdk/client-elasticache";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memcachedCommand } from "@/emulator/nodes/memcached-admin";
import { ping } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, type TestEmulator } from "@/tests/helpers/emulator";

const REGION = "eu-west-1";
let emulator: TestEmulator;
let client: ElastiCacheClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = elasticacheClient(emulator.url, REGION);
});
afterAll(() => emulator?.dispose());

async function waitForCluster(id: string, status = "available"): Promise<CacheCluster> {
  return waitFor(
    async () => {
      const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }));
      return CacheClusters![0].CacheClusterStatus === status ? CacheClusters![0] : undefined;
    },
    { timeoutMs: 30_000, description: `${id} to be ${status}` },
  );
}

async function waitForServerless(name: string): Promise<ServerlessCache> {
  return waitFor(
    async () => {
      const { ServerlessCaches } = await client.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: name }));
      return ServerlessCaches![0].Status === "AVAILABLE" ? ServerlessCaches![0] : undefined;
    },
    { timeoutMs: 30_000, description: `${name} to be AVAILABLE` },
  );
}

async function gone(check: () => Promise<unknown>, fault: new (...args: never[]) => Error): Promise<void> {
  await waitFor(() => check().then(() => false, (error) => error instanceof fault), { timeoutMs: 20_000, description: "the resource to be gone" });
}

describe("Memcached and standalone Redis cache clusters", () => {
  it("runs a two-node Memcached cluster across zones whose nodes answer get/set", async () => {
    const created = await client.send(
      new CreateCacheClusterCommand({ CacheClusterId: "pricing", Engine: "memcached", NumCacheNodes: 2, AZMode: "cross-az", CacheNodeType: "cache.t4g.medium" }),
    );
    expect(created.CacheCluster).toMatchObject({ CacheClusterStatus: "creating", Engine: "memcached", NumCacheNodes: 2 });
    const cluster = await waitForCluster("pricing");
    expect(cluster).toMatchObject({ EngineVersion: "1.6.22", PreferredAvailabilityZone: "Multiple", CacheParameterGroup: { CacheParameterGroupName: "default.memcached1.6" } });
    expect(cluster.CacheNodes!.map((n) => [n.CacheNodeId, n.CustomerAvailabilityZone, n.CacheNodeStatus])).toEqual([
      ["0001", "eu-west-1a", "available"],
      ["0002", "eu-west-1b", "available"],
    ]);
    expect(cluster.ConfigurationEndpoint).toEqual(cluster.CacheNodes![0].Endpoint);
    for (const node of cluster.CacheNodes!) {
      const port = node.Endpoint!.Port!;
      expect(await memcachedCommand(port, "set price:sku-1 0 60 4\r\n9.99\r\n", (r) => r.endsWith("\r\n"))).toBe("STORED\r\n");
      expect(await memcachedCommand(port, "get price:sku-1\r\n", (r) => r.endsWith("END\r\n"))).toBe("VALUE price:sku-1 0 4\r\n9.99\r\nEND\r\n");
    }
    const events = await client.send(new DescribeEventsCommand({ SourceIdentifier: "pricing", SourceType: "cache-cluster" }));
    expect(events.Events!.map((e) => e.Message)).toEqual([
      "Added cache node 0002 in Availability Zone eu-west-1b",
      "Added cache node 0001 in Availability Zone eu-west-1a",
      "Cache cluster created",
    ]);
  });

  it("runs a single-node Redis cluster, lists it as not in a replication group, and deletes it", async () => {
    await client.send(new CreateCacheClusterCommand({ CacheClusterId: "feature-flags", Engine: "redis", PreferredAvailabilityZone: "eu-west-1c" }));
    const cluster = await waitForCluster("feature-flags");
    expect(cluster.CacheNodes![0].CustomerAvailabilityZone).toBe("eu-west-1c");
    const port = cluster.CacheNodes![0].Endpoint!.Port!;
    const redis = new Redis({ host: "127.0.0.1", port });
    await redis.set("flag:new-checkout", "on");
    expect(await redis.get("flag:new-checkout")).toBe("on");
    redis.disconnect();

    const standalone = await client.send(new DescribeCacheClustersCommand({ ShowCacheClustersNotInReplicationGroups: true }));
    expect(standalone.CacheClusters!.map((c) => c.CacheClusterId)).toEqual(["feature-flags", "pricing"]);
    expect(standalone.CacheClusters![0].CacheNodes).toBeUndefined();

    const deleting = await client.send(new DeleteCacheClusterCommand({ CacheClusterId: "feature-flags" }));
    expect(deleting.CacheCluster!.CacheClusterStatus).toBe("deleting");
    await gone(() => client.send(new DescribeCacheClustersCommand({ CacheClusterId: "feature-flags" })), CacheClusterNotFoundFault);
    expect(await ping(port)).toBe(false);
    const events = await client.send(new DescribeEventsCommand({ SourceIdentifier: "feature-flags" }));
    expect(events.Events![0].Message).toBe("Cache cluster deleted");
  });

  it("refuses what AWS refuses", async () => {
    const create = (input: Partial<ConstructorParameters<typeof CreateCacheClusterCommand>[0]>) =>
      client.send(new CreateCacheClusterCommand({ CacheClusterId: "refused", ...input }));
    await expect(create({ CacheClusterId: "pricing" })).rejects.toBeInstanceOf(CacheClusterAlreadyExistsFault);
    await expect(create({ Engine: "redis", NumCacheNodes: 2 })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(create({ Engine: "memcached", NumCacheNodes: 41 })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ Engine: "memcached", NumCacheNodes: 2, PreferredAvailabilityZones: ["eu-west-1a"] })).rejects.toBeInstanceOf(
      InvalidParameterValueException,
    );
    await expect(create({ Engine: "cassandra" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(client.send(new DescribeCacheClustersCommand({ CacheClusterId: "nope" }))).rejects.toBeInstanceOf(CacheClusterNotFoundFault);
    await expect(client.send(new DeleteCacheClusterCommand({ CacheClusterId: "nope" }))).rejects.toMatchObject({
      name: "CacheClusterNotFoundFault",
      $metadata: { httpStatusCode: 404 },
    });

    await client.send(new CreateCacheClusterCommand({ CacheClusterId: "busy", Engine: "memcached" }));
    await expect(client.send(new DeleteCacheClusterCommand({ CacheClusterId: "busy" }))).rejects.toBeInstanceOf(InvalidCacheClusterStateFault);
    await waitForCluster("busy");
    await client.send(new DeleteCacheClusterCommand({ CacheClusterId: "busy" }));
  });
});

describe("serverless caches", () => {
  it("serves one endpoint backed by a real redis-server, pages, and deletes", async () => {
    const created = await client.send(
      new CreateServerlessCacheCommand({
        ServerlessCacheName: "user-profiles",
        Engine: "valkey",
        CacheUsageLimits: { DataStorage: { Maximum: 2, Unit: "GB" } },
        Tags: [{ Key: "team", Value: "identity" }],
      }),
    );
    expect(created.ServerlessCache).toMatchObject({ Status: "CREATING", Engine: "valkey", MajorEngineVersion: "8", FullEngineVersion: "8.0" });
    const cache = await waitForServerless("user-profiles");
    expect(cache.ReaderEndpoint).toEqual(cache.Endpoint);
    expect(cache.ARN).toBe("arn:aws:elasticache:eu-west-1:000000000000:serverlesscache:user-profiles");
    expect(emulator.controlPlane.listNodesForMetrics()).toContainEqual({
      region: REGION,
      engine: "valkey",
      port: cache.Endpoint!.Port,
      serverlessCacheName: "user-profiles",
      maxmemoryBytes: (2 * 1024 ** 3) / 256,
    });
    const redis = new Redis({ host: "127.0.0.1", port: cache.Endpoint!.Port! });
    await redis.set("profile:7", "ada");
    expect(await redis.get("profile:7")).toBe("ada");
    expect(Number(await redis.config("GET", "maxmemory").then((r) => (r as string[])[1]))).toBe((2 * 1024 ** 3) / 256);
    redis.disconnect();

    await client.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "sessions-eu", Engine: "redis" }));
    const first = await client.send(new DescribeServerlessCachesCommand({ MaxResults: 1 }));
    expect(first.ServerlessCaches!.map((c) => c.ServerlessCacheName)).toEqual(["sessions-eu"]);
    const second = await client.send(new DescribeServerlessCachesCommand({ MaxResults: 1, NextToken: first.NextToken }));
    expect(second.ServerlessCaches!.map((c) => c.ServerlessCacheName)).toEqual(["user-profiles"]);
    expect(second.NextToken).toBeUndefined();

    await expect(client.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: "sessions-eu" }))).rejects.toBeInstanceOf(
      InvalidServerlessCacheStateFault,
    );
    await expect(client.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "user-profiles", Engine: "valkey" }))).rejects.toBeInstanceOf(
      ServerlessCacheAlreadyExistsFault,
    );
    await expect(client.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "x", Engine: "valkey", MajorEngineVersion: "3" }))).rejects.toBeInstanceOf(
      InvalidParameterCombinationException,
    );
    const deleted = await client.send(new DeleteServerlessCacheCommand({ ServerlessCacheName: "user-profiles" }));
    expect(deleted.ServerlessCache!.Status).toBe("DELETING");
    await gone(() => client.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "user-profiles" })), ServerlessCacheNotFoundFault);
    const events = await client.send(new DescribeEventsCommand({ SourceType: "serverless-cache", SourceIdentifier: "user-profiles" }));
    expect(events.Events!.map((e) => e.Message)).toEqual(["Serverless cache user-profiles deleted", "Serverless cache user-profiles created"]);
  });
});

describe("tags", () => {
  const arn = `arn:aws:elasticache:${REGION}:000000000000:cluster:pricing`;

  it("adds, lists and removes tags by ARN, with AWS's refusals", async () => {
    await client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: "service", Value: "pricing" }, { Key: "team", Value: "payments" }] }));
    const updated = await client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: "team", Value: "billing" }] }));
    expect(updated.TagList).toEqual([
      { Key: "service", Value: "pricing" },
      { Key: "team", Value: "billing" },
    ]);
    const removed = await client.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["service"] }));
    expect(removed.TagList).toEqual([{ Key: "team", Value: "billing" }]);
    expect((await client.send(new ListTagsForResourceCommand({ ResourceName: arn }))).TagList).toEqual([{ Key: "team", Value: "billing" }]);

    await expect(client.send(new RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ["service"] }))).rejects.toBeInstanceOf(TagNotFoundFault);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: "v" }));
    await expect(client.send(new AddTagsToResourceCommand({ ResourceName: arn, Tags: many }))).rejects.toBeInstanceOf(TagQuotaPerResourceExceeded);
    await expect(client.send(new ListTagsForResourceCommand({ ResourceName: "pricing" }))).rejects.toBeInstanceOf(InvalidARNFault);
    await expect(
      client.send(new ListTagsForResourceCommand({ ResourceName: `arn:aws:elasticache:${REGION}:000000000000:replicationgroup:nope` })),
    ).rejects.toBeInstanceOf(ReplicationGroupNotFoundFault);
    // The ARN names another region: the resource is not in this one.
    await expect(
      client.send(new ListTagsForResourceCommand({ ResourceName: "arn:aws:elasticache:us-east-1:000000000000:cluster:pricing" })),
    ).rejects.toBeInstanceOf(CacheClusterNotFoundFault);
  });
});

describe("catalog", () => {
  it("lists engine versions with filters and the node types a cluster may move to", async () => {
    const redis = await client.send(new DescribeCacheEngineVersionsCommand({ Engine: "redis" }));
    expect(redis.CacheEngineVersions!.map((v) => [v.EngineVersion, v.CacheParameterGroupFamily])).toEqual([
      ["6.2", "redis6.x"],
      ["7.0", "redis7"],
      ["7.1", "redis7"],
    ]);
    const defaults = await client.send(new DescribeCacheEngineVersionsCommand({ DefaultOnly: true }));
    expect(defaults.CacheEngineVersions!.map((v) => `${v.Engine} ${v.EngineVersion}`)).toEqual(["memcached 1.6.22", "redis 7.1", "valkey 8.0"]);

    const moves = await client.send(new ListAllowedNodeTypeModificationsCommand({ CacheClusterId: "pricing" }));
    expect(moves.ScaleUpModifications).toContain("cache.r7g.large");
    expect(moves.ScaleDownModifications).toEqual(expect.arrayContaining(["cache.t4g.micro", "cache.t4g.small"]));
    expect(moves.ScaleDownModifications).not.toContain("cache.r7g.large");
    await expect(client.send(new ListAllowedNodeTypeModificationsCommand({}))).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(client.send(new ListAllowedNodeTypeModificationsCommand({ ReplicationGroupId: "nope" }))).rejects.toBeInstanceOf(
      ReplicationGroupNotFoundFault,
    );
  });
});

describe("DescribeEvents", () => {
  it("filters by time window and source, pages newest first, and validates Duration", async () => {
    await client.send(new CreateCacheClusterCommand({ CacheClusterId: "burst", Engine: "memcached", NumCacheNodes: 12 }));
    await waitForCluster("burst");
    const all = await client.send(new DescribeEventsCommand({ MaxRecords: 20 }));
    const total: string[] = [];
    let marker: string | undefined;
    do {
      const page = await client.send(new DescribeEventsCommand({ MaxRecords: 20, Marker: marker }));
      total.push(...page.Events!.map((e) => `${e.Date!.toISOString()} ${e.SourceIdentifier} ${e.Message}`));
      marker = page.Marker;
    } while (marker);
    expect(total.length).toBeGreaterThan(20);
    expect(new Set(total).size).toBe(total.length);
    const dates = total.map((line) => line.split(" ")[0]);
    expect([...dates].sort().reverse()).toEqual(dates);
    expect(all.Events!.length).toBe(20);

    const future = new Date(Date.now() + 60 * 60_000);
    expect((await client.send(new DescribeEventsCommand({ StartTime: future }))).Events).toEqual([]);
    expect((await client.send(new DescribeEventsCommand({ EndTime: new Date(Date.now() - 2 * 60 * 60_000) }))).Events).toEqual([]);
    expect((await client.send(new DescribeEventsCommand({ Duration: 1440, SourceType: "serverless-cache" }))).Events!.length).toBeGreaterThan(0);
    await expect(client.send(new DescribeEventsCommand({ Duration: 20161 }))).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(client.send(new DescribeEventsCommand({ SourceType: "nonsense" as never }))).rejects.toBeInstanceOf(InvalidParameterValueException);
  });
});

describe("transport", () => {
  const external = Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === "IPv4" && !a.internal)
    .map((a) => a!.address);

  it.skipIf(external.length === 0)("listens on 127.0.0.1 only, not on the machine's other addresses", async () => {
    for (const host of external) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect({ host, port: emulator.port });
        socket.once("connect", () => {
          socket.destroy();
          resolve(false);
        });
        socket.once("error", () => resolve(true));
      });
      expect(refused, host).toBe(true);
    }
  });
});
