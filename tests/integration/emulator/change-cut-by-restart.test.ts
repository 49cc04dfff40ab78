import { ModifyReplicationGroupShardConfigurationCommand } from "@aws-sdk/client-elasticache";
import { afterAll, expect, it } from "vitest";
import { clusterInfo } from "@/emulator/nodes/redis-cluster";
import { elasticacheClient, startTestEmulator, tempDataDir, waitForReplicationGroup, type TestEmulator } from "@/tests/helpers/emulator";
import { cacheNodePort, createGroup, describeGroup } from "@/tests/helpers/replication-group";

// A restart ends a change under way: the group comes back available with what its records hold (here the new shard),
// its pending values cleared, the cluster formed again with slots spread evenly.

const dataDir = tempDataDir("cut");
let emulator: TestEmulator | undefined;
afterAll(() => emulator?.dispose());

it("a reshard cut short by a restart ends with the group available, pending values cleared, slots even", async () => {
  // At time scale 1 the provisioning pause lasts 5 minutes: the restart lands in the middle of the change.
  emulator = await startTestEmulator({ dataDir, settings: { timeScale: 1 } });
  let client = elasticacheClient(emulator.url);
  await createGroup(client, { ReplicationGroupId: "cut", NumNodeGroups: 2, ReplicasPerNodeGroup: 0, CacheNodeType: "cache.t4g.medium" });
  await client.send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: "cut", NodeGroupCount: 3, ApplyImmediately: true }));
  expect(await describeGroup(client, "cut")).toMatchObject({ Status: "modifying", PendingModifiedValues: { Resharding: { SlotMigration: { ProgressPercentage: 0 } } } });

  await emulator.stop();
  emulator = await startTestEmulator({ dataDir, settings: { timeScale: 0 } });
  client = elasticacheClient(emulator.url);
  const group = await waitForReplicationGroup(client, "cut");
  expect(group.PendingModifiedValues).toEqual({});
  expect(group.NodeGroups!.map((ng) => [ng.NodeGroupId, ng.Slots, ng.Status])).toEqual([
    ["0001", "0-5460", "available"],
    ["0002", "5461-10921", "available"],
    ["0003", "10922-16383", "available"],
  ]);
  for (const id of group.MemberClusters!) expect((await clusterInfo(await cacheNodePort(client, id))).cluster_state).toBe("ok");
});
