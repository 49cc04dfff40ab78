import fs from "node:fs";
import path from "node:path";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  IncreaseReplicaCountCommand,
  ModifyReplicationGroupShardConfigurationCommand,
  TestFailoverCommand,
  type ReplicationGroup,
} from "@aws-sdk/client-elasticache";
import {
  GetResourcesCommand,
  InvalidParameterException,
  ResourceGroupsTaggingAPIClient,
  type GetResourcesCommandInput,
  type ResourceTagMapping,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { countAwsCalls, describeEvents } from "@/lib/aws";
import { at } from "@/tests/helpers/place";
import { boto3Script, HAS_BOTO3 } from "@/tests/helpers/aws-cli";
import { elasticacheClient, nodeProcessesOf, startTestEmulator, tempDataDir, TEST_CREDENTIALS, type TestEmulator } from "@/tests/helpers/emulator";

// Scale mode, small: a generated fleet of 200 simulated caches over two regions beside one real-process group.
// Simulated nodes go through the same API, statuses, events and failovers as real ones, and their metrics come
// from the model. The 1,000-cache fleet is a benchmark (npm run bench -- fleet-scale), not a test.

const FLEET = {
  nodes: "simulated",
  nodeQuotaPerRegion: 2000,
  generate: { seed: 7, regions: ["us-east-1", "eu-west-1"], replicationGroups: 180, largeReplicationGroups: 1, memcachedClusters: 20 },
  regions: {
    "us-east-1": {
      replicationGroups: [
        { ReplicationGroupId: "real-sessions", ReplicationGroupDescription: "a real pair beside the simulated fleet", NumCacheClusters: 2, CacheNodeType: "cache.t4g.micro", AutomaticFailoverEnabled: true, nodes: "process" },
      ],
    },
  },
};

let emulator: TestEmulator;
let fleetDir: string;
const ec = (region = "us-east-1") => elasticacheClient(emulator.url, region);
const cw = () => new CloudWatchClient({ endpoint: emulator.url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
const tagging = (region = "us-east-1") => new ResourceGroupsTaggingAPIClient({ endpoint: emulator.url, region, credentials: TEST_CREDENTIALS, maxAttempts: 1 });

async function allGroups(region: string): Promise<ReplicationGroup[]> {
  const groups: ReplicationGroup[] = [];
  let Marker: string | undefined;
  do {
    const page = await ec(region).send(new DescribeReplicationGroupsCommand({ MaxRecords: 100, Marker }));
    groups.push(...(page.ReplicationGroups ?? []));
    Marker = page.Marker;
  } while (Marker);
  return groups;
}

async function describeGroup(id: string): Promise<ReplicationGroup> {
  return (await ec().send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups![0];
}

async function latest(metricName: string, dims: Record<string, string>, stat = "Average", period = 60): Promise<number[]> {
  const end = new Date();
  const out = await cw().send(
    new GetMetricDataCommand({
      StartTime: new Date(end.getTime() - 15 * 60_000),
      ScanBy: "TimestampAscending",
      EndTime: end,
      MetricDataQueries: [
        { Id: "m", MetricStat: { Metric: { Namespace: "AWS/ElastiCache", MetricName: metricName, Dimensions: Object.entries(dims).map(([Name, Value]) => ({ Name, Value })) }, Period: period, Stat: stat } },
      ],
    }),
  );
  return out.MetricDataResults?.[0].Values ?? [];
}

beforeAll(async () => {
  fleetDir = tempDataDir("scale-fleet");
  const file = path.join(fleetDir, "fleet.json");
  fs.writeFileSync(file, JSON.stringify(FLEET));
  emulator = await startTestEmulator({ fleetFile: file, settings: { timeScale: 0 }, workload: false });
  await waitFor(async () => (await describeGroup("real-sessions")).Status === "available", { timeoutMs: 30_000, description: "the real-process group" });
  // lib/aws (what the watcher calls) reaches the emulator through AWS_ENDPOINT_URL alone.
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
  });
}, 60_000);

afterAll(async () => {
  await emulator?.dispose();
  fs.rmSync(fleetDir, { recursive: true, force: true });
});

describe("a generated fleet of simulated nodes", () => {
  it("starts every cache available, with processes only for the real-process group", async () => {
    const east = await allGroups("us-east-1");
    const west = await allGroups("eu-west-1");
    expect(east.length + west.length).toBe(181);
    expect([...east, ...west].every((g) => g.Status === "available")).toBe(true);
    // Varied shapes: cluster mode on and off, one to three replicas, the one 30-shard group.
    const shapes = new Set([...east, ...west].map((g) => `${g.ClusterEnabled}:${g.NodeGroups!.length > 1 ? "sharded" : g.MemberClusters!.length}`));
    expect(shapes.size).toBeGreaterThanOrEqual(4);
    expect([...east, ...west].some((g) => g.NodeGroups!.length === 30 && g.MemberClusters!.length === 90)).toBe(true);
    expect(nodeProcessesOf(emulator.dataDir)).toHaveLength(2);

    const real = east.find((g) => g.ReplicationGroupId === "real-sessions")!;
    expect(real.NodeGroups![0].PrimaryEndpoint?.Address).toBe("127.0.0.1");
    const simulated = east.find((g) => !g.ClusterEnabled && g.ReplicationGroupId !== "real-sessions")!;
    expect(simulated.NodeGroups![0].PrimaryEndpoint).toMatchObject({ Port: 6379, Address: expect.stringMatching(/\.us-east-1\.simulated\.invalid$/) });

    const ids = Object.values(emulator.controlPlane.regionState("eu-west-1").cacheClusters).filter((c) => c.engine === "memcached").map((c) => c.cacheClusterId);
    const memcached = await Promise.all(ids.map(async (id) => (await ec("eu-west-1").send(new DescribeCacheClustersCommand({ CacheClusterId: id, ShowCacheNodeInfo: true }))).CacheClusters![0]));
    expect(memcached).toHaveLength(10);
    expect(memcached.every((c) => c.CacheClusterStatus === "available" && c.CacheNodes!.every((n) => n.Endpoint?.Port === 11211))).toBe(true);
  });

  it("serves plausible metrics that differ between caches and repeat exactly", async () => {
    const groups = (await allGroups("us-east-1")).filter((g) => !g.ClusterEnabled && g.ReplicationGroupId !== "real-sessions").slice(0, 20);
    const cpu = await Promise.all(groups.map((g) => latest("EngineCPUUtilization", { CacheClusterId: g.MemberClusters![0] })));
    const memory = await Promise.all(groups.map((g) => latest("DatabaseMemoryUsagePercentage", { CacheClusterId: g.MemberClusters![0] })));
    for (const values of [...cpu, ...memory]) {
      expect(values.length).toBeGreaterThanOrEqual(14);
      expect(values.every((v) => v >= 0 && v <= 100)).toBe(true);
    }
    expect(new Set(cpu.map((v) => v[0].toFixed(3))).size).toBeGreaterThan(15);
    const again = await latest("EngineCPUUtilization", { CacheClusterId: groups[0].MemberClusters![0] });
    expect(again.slice(1, 10)).toEqual(cpu[0].slice(1, 10));
    const hits = await latest("CacheHits", { CacheClusterId: groups[0].MemberClusters![0], CacheNodeId: "0001" }, "Sum");
    expect(hits.some((v) => v > 0)).toBe(true);
  });

  it("fails over a simulated shard: roles swap, IsMaster follows, AWS's events are emitted", async () => {
    const group = (await allGroups("us-east-1")).find((g) => g.ClusterEnabled && g.NodeGroups!.length < 30)!;
    const shard = group.NodeGroups![0];
    const members = shard.NodeGroupMembers!.map((m) => m.CacheClusterId!);
    // 10-second points: the role turns over at the failover's own second.
    const isMaster = async () => Promise.all(members.map(async (id) => (await latest("IsMaster", { CacheClusterId: id }, "Maximum", 10)).at(-1)));
    const before = await isMaster();
    expect(before.filter((v) => v === 1)).toHaveLength(1);
    const started = new Date();
    await ec().send(new TestFailoverCommand({ ReplicationGroupId: group.ReplicationGroupId, NodeGroupId: shard.NodeGroupId }));
    const events = await waitFor(
      async () => {
        const found = (await ec().send(new DescribeEventsCommand({ StartTime: started, SourceType: "cache-cluster" }))).Events ?? [];
        return found.some((e) => /^Finished recovery/.test(e.Message!) && members.includes(e.SourceIdentifier!)) ? found : false;
      },
      { timeoutMs: 20_000, description: "the failover to finish" },
    );
    const failover = events.find((e) => /^Failover from primary node/.test(e.Message!))!;
    const [, from, to] = /from primary node (\S+) to replica node (\S+) completed/.exec(failover.Message!)!;
    expect(before[members.indexOf(from)]).toBe(1);
    // The next 10-second sample after the failover carries the new roles.
    const after = await waitFor(async () => {
      const now = await isMaster();
      return now[members.indexOf(from)] === 0 ? now : false;
    }, { timeoutMs: 15_000, description: "IsMaster to follow the failover" });
    expect(after[members.indexOf(to)]).toBe(1);
    expect(after.filter((v) => v === 1)).toHaveLength(1);
    expect((await describeGroup(group.ReplicationGroupId!)).Status).toBe("available");
  });

  it("scales simulated groups: more replicas, more shards", async () => {
    const groups = await allGroups("us-east-1");
    const single = groups.find((g) => !g.ClusterEnabled && g.MemberClusters!.length === 2 && g.ReplicationGroupId !== "real-sessions")!;
    await ec().send(new IncreaseReplicaCountCommand({ ReplicationGroupId: single.ReplicationGroupId, NewReplicaCount: 2, ApplyImmediately: true }));
    const sharded = groups.find((g) => g.ClusterEnabled && g.NodeGroups!.length === 2)!;
    await ec().send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: sharded.ReplicationGroupId, NodeGroupCount: 3, ApplyImmediately: true }));
    const grown = await waitFor(
      async () => {
        const [a, b] = await Promise.all([describeGroup(single.ReplicationGroupId!), describeGroup(sharded.ReplicationGroupId!)]);
        return a.Status === "available" && b.Status === "available" && a.MemberClusters!.length === 3 && b.NodeGroups!.length === 3 ? [a, b] : false;
      },
      { timeoutMs: 20_000, description: "the scaling to finish" },
    );
    expect(grown[1].NodeGroups!.map((ng) => ng.Slots)).toEqual(["0-5460", "5461-10921", "10922-16383"]);
    const added = grown[0].MemberClusters!.find((id) => !single.MemberClusters!.includes(id))!;
    expect((await latest("CurrConnections", { CacheClusterId: added })).length).toBeGreaterThan(0);
  });
});

describe("Resource Groups Tagging API GetResources", () => {
  const pages = async (input: GetResourcesCommandInput, region = "us-east-1") => {
    const found: ResourceTagMapping[] = [];
    let PaginationToken: string | undefined;
    let calls = 0;
    do {
      const page = await tagging(region).send(new GetResourcesCommand({ ...input, PaginationToken }));
      found.push(...(page.ResourceTagMappingList ?? []));
      PaginationToken = page.PaginationToken || undefined;
      calls++;
    } while (PaginationToken);
    return { found, calls };
  };

  it("pages a burst of events once: a poll stops at the first page whose events it has all seen", async () => {
    // The fleet was created at start: hundreds of events within the last minutes, several pages of 100.
    const window = { start: new Date(Date.now() - 3600_000), end: new Date() };
    const first = await countAwsCalls(() => describeEvents(at("us-east-1"), window));
    expect(first.calls.length).toBeGreaterThan(2);
    expect(first.result.length).toBeGreaterThan(200);
    const key = (e: { at: number; sourceId: string; message: string }) => `${e.at}|${e.sourceId}|${e.message}`;
    const seen = new Set(first.result.map(key));
    const again = await countAwsCalls(() => describeEvents(at("us-east-1"), { ...window, olderKnown: (page) => page.length > 0 && page.every((e) => seen.has(key(e))) }));
    expect(again.calls.length).toBe(1);
    expect(again.result.map(key)).toEqual(first.result.slice(0, 100).map(key));
    // Not yet seen: the next page is read (the newest 100 are known, the 100 after them are not).
    const newestOnly = new Set(first.result.slice(100).map(key));
    const partly = await countAwsCalls(() => describeEvents(at("us-east-1"), { ...window, olderKnown: (page) => page.every((e) => newestOnly.has(key(e))) }));
    expect(partly.calls.length).toBe(2);
  });

  it("lists a region's tagged replication groups in pages of at most 100, with their tags", async () => {
    const groups = await allGroups("eu-west-1");
    const { found, calls } = await pages({ ResourceTypeFilters: ["elasticache:replicationgroup"], ResourcesPerPage: 40 }, "eu-west-1");
    expect(found.map((r) => r.ResourceARN!.split(":").at(-1)).sort()).toEqual(groups.map((g) => g.ReplicationGroupId).sort());
    expect(calls).toBe(Math.ceil(groups.length / 40));
    expect(found[0].Tags!.map((t) => t.Key).sort()).toEqual(["env", "service", "team"]);
  });

  it("filters by tag (AND across keys, OR across values) and by resource type", async () => {
    const { found: all } = await pages({ ResourceTypeFilters: ["elasticache"] });
    const production = await pages({ ResourceTypeFilters: ["elasticache:replicationgroup"], TagFilters: [{ Key: "env", Values: ["production"] }] });
    const expected = all.filter((r) => r.ResourceARN!.includes(":replicationgroup:") && r.Tags!.some((t) => t.Key === "env" && t.Value === "production"));
    expect(production.found.map((r) => r.ResourceARN)).toEqual(expected.map((r) => r.ResourceARN));
    expect(expected.length).toBeGreaterThan(0);
    const either = await pages({ TagFilters: [{ Key: "env", Values: ["staging", "development"] }, { Key: "team" }] });
    expect(either.found.every((r) => r.Tags!.some((t) => t.Key === "env" && t.Value !== "production"))).toBe(true);
    expect((await pages({ ResourceTypeFilters: ["ec2:instance"] })).found).toEqual([]);
  });

  it("refuses what AWS refuses with InvalidParameterException", async () => {
    const refused = (input: GetResourcesCommandInput) => tagging().send(new GetResourcesCommand(input));
    await expect(refused({ ResourcesPerPage: 101 })).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(refused({ ResourceARNList: ["arn:aws:elasticache:us-east-1:000000000000:replicationgroup:x"], TagFilters: [{ Key: "env" }] })).rejects.toBeInstanceOf(InvalidParameterException);
    const first = await tagging().send(new GetResourcesCommand({ ResourcesPerPage: 5 }));
    await expect(refused({ ResourcesPerPage: 6, PaginationToken: first.PaginationToken })).rejects.toThrow(/not valid for this request/);
  });

  it.skipIf(!HAS_BOTO3)("answers boto3's paginator and DescribeEvents with StartTime", async () => {
    const script = `
import datetime
paginator = client.get_paginator("get_resources")
arns = [r["ResourceARN"] for page in paginator.paginate(ResourceTypeFilters=["elasticache:cluster"], ResourcesPerPage=100) for r in page["ResourceTagMappingList"]]
ec = boto3.client("elasticache", endpoint_url=client.meta.endpoint_url, region_name="us-east-1")
since = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=30)
events = [e for page in ec.get_paginator("describe_events").paginate(StartTime=since, PaginationConfig={"PageSize": 100}) for e in page["Events"]]
future = ec.describe_events(StartTime=datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=5))["Events"]
print(json.dumps({"clusters": len(arns), "events": len(events), "future": len(future)}))
`;
    const result = await boto3Script(emulator.url, "resourcegroupstaggingapi", script);
    expect(result.stderr).toBe("");
    const counts = JSON.parse(result.stdout) as { clusters: number; events: number; future: number };
    const clusters = Object.values(emulator.controlPlane.regionState("us-east-1").cacheClusters);
    expect(counts.clusters).toBe(clusters.filter((c) => c.replicationGroupId !== "real-sessions").length);
    expect(counts.events).toBeGreaterThan(clusters.length * 2);
    expect(counts.future).toBe(0);
  });
});
