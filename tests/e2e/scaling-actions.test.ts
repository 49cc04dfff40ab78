import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReplicationGroup } from "@aws-sdk/client-elasticache";
import { startCountingProxy, type CountingProxy } from "../helpers/counting-proxy";
import { demoSession } from "../helpers/demo-session";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "../helpers/emulator";
import { serverActionId, startApp, type RunningApp } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";
import { smallFleetFile } from "../helpers/small-fleet";

// The admin's scaling actions against the emulator's real scaling (processes added, replaced, slots migrated), posted
// the way the forms post them: each makes its one change call, is audited with AWS's request id, and the group ends
// in the asked-for shape; a change sent while the group is still modifying is refused before any change call.

const GROUP = "scale-cache";
const PAGE = `/clusters/us-east-1/${GROUP}/operations`;

let dir: string;
let emulator: TestEmulator;
let proxy: CountingProxy;
let app: RunningApp;
let admin: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-scale-"));
  const fleet = smallFleetFile(dir, GROUP, { NumCacheClusters: undefined, NumNodeGroups: 2, ReplicasPerNodeGroup: 1 });
  emulator = await startTestEmulator({ fleetFile: fleet });
  proxy = await startCountingProxy(emulator.url);
  app = await startApp({ awsEndpoint: proxy.url });
  admin = (await demoSession(app.url, "admin")).header;
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
});

afterAll(async () => {
  await app?.stop();
  await proxy?.close();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const base = { region: "us-east-1", replicationGroupId: GROUP, confirmation: GROUP };
const changeCalls = () => proxy.operations.filter((op) => !/^(Describe|List)/.test(op));

async function run(file: string, exportName: string, input: Record<string, unknown>) {
  proxy.reset();
  const { result } = await postServerAction(app.url, PAGE, serverActionId(file, exportName), [{ ...base, ...input }], admin);
  return result as { ok: boolean; error?: string; auditId?: number };
}

/** The group once it is available again after a change. */
const settled = (): Promise<ReplicationGroup> => waitForReplicationGroup(elasticacheClient(emulator.url), GROUP, "available", 120_000);

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
    const response = await fetch(new URL("/audit/export?format=json", app.url), { headers: { cookie: admin } });
    const { records } = (await response.json()) as { records: { action: string; status: string; requestId: string | null }[] };
    expect(records.map((r) => [r.action, r.status])).toEqual([
      ["cluster.modify-shard-count", "succeeded"],
      ["cluster.modify-node-type", "succeeded"],
      ["cluster.modify-replica-count", "succeeded"],
    ]);
    expect(records.every((r) => r.requestId)).toBe(true);
  });
});
