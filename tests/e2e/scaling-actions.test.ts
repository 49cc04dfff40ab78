import { beforeAll, describe, expect, it } from "vitest";
import type { ReplicationGroup } from "@aws-sdk/client-elasticache";
import { isRead } from "../helpers/counting-proxy";
import { demoSession } from "../helpers/demo-session";
import { elasticacheClient, waitForReplicationGroup } from "../helpers/emulator";
import { groupStackPerFile } from "../helpers/group-stack";
import { serverActionId } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";

// The admin's scaling actions against the emulator's real scaling (processes added, replaced, slots migrated), posted
// the way the forms post them: each makes its one change call, is audited with AWS's request id, and the group ends
// in the asked-for shape; a change sent while the group is still modifying is refused before any change call.

const GROUP = "scale-cache";
const PAGE = `/clusters/us-east-1/${GROUP}/operations`;

const stack = groupStackPerFile({ group: GROUP, fleet: { NumCacheClusters: undefined, NumNodeGroups: 2, ReplicasPerNodeGroup: 1 } });
let admin: string;

beforeAll(async () => {
  admin = (await demoSession(stack.app.url, "admin")).header;
});

const base = { account: "default", region: "us-east-1", replicationGroupId: GROUP, confirmation: GROUP };
const changeCalls = () => stack.proxy.operations.filter((op) => !isRead(op));

async function run(file: string, exportName: string, input: Record<string, unknown>) {
  stack.proxy.reset();
  const { result } = await postServerAction(stack.app.url, PAGE, serverActionId(file, exportName), [{ ...base, ...input }], admin);
  return result as { ok: boolean; error?: string; auditId?: number };
}

/** The group once it is available again after a change. */
const settled = (): Promise<ReplicationGroup> => waitForReplicationGroup(elasticacheClient(stack.emulator.url), GROUP, "available", 120_000);

describe("scaling actions", () => {
  it("adds a replica to one shard only (per-shard counts)", async () => {
    expect(await run("lib/actions/modify-replica-count.ts", "modifyReplicaCount", { shards: [{ nodeGroupId: "0002", replicas: 2 }] })).toMatchObject({ ok: true });
    expect(changeCalls()).toEqual(["IncreaseReplicaCount"]);
    const group = await settled();
    const members = Object.fromEntries((group.NodeGroups ?? []).map((g) => [g.NodeGroupId, g.NodeGroupMembers?.length]));
    expect(members).toEqual({ "0001": 2, "0002": 3 });
  });

  it("changes the node type to one AWS offers, and refuses a second change while the first is under way", async () => {
    expect(await run("lib/actions/modify-node-type.ts", "modifyNodeType", { cacheNodeType: "cache.t4g.medium" })).toMatchObject({ ok: true });
    expect(changeCalls()).toEqual(["ModifyReplicationGroup"]);
    const busy = await run("lib/actions/modify-replica-count.ts", "modifyReplicaCount", { replicas: 1 });
    expect(busy).toMatchObject({ ok: false, error: expect.stringMatching(/^scale-cache is modifying; a replica change needs it available/) });
    expect(changeCalls()).toEqual([]);
    expect((await settled()).CacheNodeType).toBe("cache.t4g.medium");
  });

  it("reshards from two shards to three", async () => {
    expect(await run("lib/actions/modify-shard-count.ts", "modifyShardCount", { shardCount: 3 })).toMatchObject({ ok: true });
    expect(changeCalls()).toEqual(["ModifyReplicationGroupShardConfiguration"]);
    expect((await settled()).NodeGroups).toHaveLength(3);
  });

  it("audits each accepted change as succeeded with its request id, and nothing for the refusal", async () => {
    const response = await fetch(new URL("/audit/export?format=json", stack.app.url), { headers: { cookie: admin } });
    const { records } = (await response.json()) as { records: { action: string; status: string; requestId: string | null }[] };
    expect(records.map((r) => [r.action, r.status])).toEqual([
      ["cluster.modify-shard-count", "succeeded"],
      ["cluster.modify-node-type", "succeeded"],
      ["cluster.modify-replica-count", "succeeded"],
    ]);
    expect(records.every((r) => r.requestId)).toBe(true);
  });
});
