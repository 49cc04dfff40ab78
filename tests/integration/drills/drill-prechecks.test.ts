import { CreateReplicationGroupCommand } from "@aws-sdk/client-elasticache";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { DrillConflictError } from "@/lib/drills/store";
import { elasticacheClient } from "../../helpers/emulator";
import { faultRequest } from "../../helpers/faults";
import { describeGroup, rolesOf } from "../../helpers/replication-group";
import { smallGroup } from "../../helpers/small-fleet";
import { runToEnd, startDrillKit, type DrillKit } from "./drill-kit";

// Each pre-check blocks a drill on a real emulator whose groups really are in the state the check looks for; a drill
// already running on a group refuses a second one; a drill AWS refuses ends failed, audited as refused.

let kit: DrillKit;

beforeAll(async () => {
  kit = await startDrillKit({
    replicationGroups: [
      smallGroup("ready"),
      smallGroup("no-failover", { AutomaticFailoverEnabled: false, MultiAZEnabled: false }),
      smallGroup("single-az", { MultiAZEnabled: false }),
      smallGroup("laggy"),
      { ReplicationGroupId: "lonely", ReplicationGroupDescription: "no replica", Engine: "redis", CacheNodeType: "cache.t4g.small", NumNodeGroups: 1, ReplicasPerNodeGroup: 0, ClusterMode: "enabled", AutomaticFailoverEnabled: true },
    ],
  });
});
afterAll(async () => {
  await kit?.dispose();
});

const failing = async (replicationGroupId: string, extra = {}) => {
  const { checklist } = await kit.preflight({ replicationGroupId, ...extra });
  expect(checklist.ready).toBe(false);
  return Object.fromEntries(checklist.items.filter((i) => i.status === "fail").map((i) => [i.id, i.detail]));
};

describe("a failed pre-check blocks the drill and says why", () => {
  it("a group that is not available", async () => {
    await elasticacheClient(kit.emulator.url).send(
      new CreateReplicationGroupCommand({ ReplicationGroupId: "fresh", ReplicationGroupDescription: "just created", Engine: "redis", NumCacheClusters: 3, AutomaticFailoverEnabled: true, MultiAZEnabled: true }),
    );
    expect(await failing("fresh")).toMatchObject({ "group-available": "fresh is creating. Wait until it is available." });
  });

  it("automatic failover off", async () => {
    expect(await failing("no-failover")).toMatchObject({ "automatic-failover": "Automatic failover is disabled. Enable it on the group first." });
  });

  it("Multi-AZ off, and nothing else", async () => {
    expect(await failing("single-az")).toEqual({ "multi-az": "Multi-AZ is disabled. Enable it on the group first." });
  });

  it("a shard without a replica", async () => {
    expect(await failing("lonely")).toMatchObject({ "replica-0001": "Shard 0001 has no replica. Add one before drilling it." });
  });

  it("a shard not in the group", async () => {
    expect(await failing("ready", { shards: ["0002"] })).toEqual({ shards: "ready has no shard 0002; it has 0001." });
  });

  it("a replica lagging behind, as CloudWatch measures it", async () => {
    const client = elasticacheClient(kit.emulator.url);
    const { primaryPort, roles } = rolesOf(await describeGroup(client, "laggy"));
    const replica = Object.keys(roles).find((id) => roles[id] === "replica")!;
    const slowed = await faultRequest(kit.emulator.url, "POST", "/slow-replication", { cacheClusterId: replica, delayMs: 20_000 });
    expect(slowed.status).toBe(201);
    const writer = new Redis({ host: "127.0.0.1", port: primaryPort, lazyConnect: true });
    await writer.connect();
    let writing = true;
    const writes = (async () => {
      for (let i = 0; writing; i += 1) {
        await writer.set(`lag:${i % 100}`, String(i));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      const detail = await waitFor(async () => (await failing("laggy"))["replica-0001"], { timeoutMs: 60_000, intervalMs: 1_000, description: "the lag check to fail" });
      expect(detail).toMatch(new RegExp(`^Every available replica lags more than 5 s \\(${replica} \\(us-east-1.\\): available, lag \\d+\\.\\d s\\)`));
    } finally {
      writing = false;
      await writes;
      writer.disconnect();
    }
  });

  it("a drill already running on the group, and a quota already spent", async () => {
    const request = { replicationGroupId: "ready" };
    const preflight = await kit.preflight(request);
    expect(preflight.checklist.ready).toBe(true);
    const drill = await kit.create(preflight, request);
    const running = runToEnd(kit, drill, preflight);

    expect(await failing("ready")).toEqual({ "no-running-drill": expect.stringMatching(new RegExp(`^Drill #${drill.id}, started by Omar Operator at .* is still running`)) });
    // Two people passing the pre-flight at the same moment: the database lets only one drill run.
    await expect(kit.create(preflight, request)).rejects.toThrow(DrillConflictError);
    expect((await running).status).toBe("completed");

    const { checklist } = await kit.preflight(request, { failoverQuotaPerDay: 1 });
    expect(checklist.items.find((i) => i.id === "quota")).toMatchObject({
      status: "fail",
      detail: "Only 0 of 1 left in this region for the last 24 hours (1 test failover in CacheDeck's records, 1 in ElastiCache's events); this drill needs 1. Drill fewer shards or wait.",
    });
    expect(checklist.items.find((i) => i.id === "last-drill")?.detail).toMatch(new RegExp(`^Drill #${drill.id} on .* by Omar Operator: completed, verdict pass\\.$`));
  });
});

it("ends a drill AWS refuses as failed, with AWS's reason, audited as refused", async () => {
  const request = { replicationGroupId: "no-failover" };
  const preflight = await kit.preflight(request);
  const drill = await kit.create({ ...preflight, checklist: { ...preflight.checklist, shards: ["0001"] } }, request);
  const ended = await runToEnd(kit, drill, preflight);
  expect(ended).toMatchObject({ status: "failed", verdict: "fail" });
  const timeline = await kit.store.timeline(drill.id);
  expect(timeline.find((e) => e.kind === "error")?.message).toBe("TestFailover for shard 0001 was refused: AWS will not start this test failover: Automatic failover is not enabled for replication group no-failover; enable it with ModifyReplicationGroup before testing failover.");
  const [audited] = await kit.audit.list({ target: "no-failover" });
  expect(audited).toMatchObject({ action: "cluster.test-failover", outcome: "failed", error: expect.stringMatching(/test failover/) });
});
