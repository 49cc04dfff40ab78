import { describe, expect, it } from "vitest";
import { failoverClusterShard } from "@/emulator/nodes/shard-failover";
import { replicationStatus } from "@/emulator/nodes/redis-admin";
import { clusterInfo, clusterNodes, detachNodes, joinCluster, waitForClusterHealthy } from "@/emulator/nodes/redis-cluster";
import { MiB, startCluster, testSupervisor } from "./node-test-kit";

describe("bringing dead nodes back", () => {
  it("a killed cluster primary restarted with its identity rejoins as a replica of the promoted one", async () => {
    const supervisor = testSupervisor();
    const { nodes, shards } = await startCluster(supervisor, 3);
    const dead = nodes[0];
    await supervisor.kill(dead.key);
    const { promotedPort } = await failoverClusterShard({ replicaPorts: shards[0].replicaPorts, primaryAlive: false });

    const back = await supervisor.startRedis({ key: dead.key, port: dead.port, maxmemoryBytes: 8 * MiB, clusterEnabled: true });
    expect(back.port).toBe(dead.port);
    await waitForClusterHealthy({ primaryPorts: nodes.map((n) => n.port), replicaPorts: [] });
    expect(await replicationStatus(back.port)).toMatchObject({ role: "slave", masterPort: promotedPort, masterLinkStatus: "up" });
  });

  it("a dead cluster node is forgotten and replaced by a fresh node with a new identity", async () => {
    const supervisor = testSupervisor();
    const { nodes, shards } = await startCluster(supervisor, 3);
    const deadReplica = nodes[3];
    await supervisor.kill(deadReplica.key);
    await detachNodes(nodes[0].port, [deadReplica.port]);
    for (const node of nodes.filter((n) => n !== deadReplica)) expect((await clusterInfo(node.port)).cluster_known_nodes).toBe("5");

    const fresh = await supervisor.startRedis({ key: deadReplica.key, port: deadReplica.port, maxmemoryBytes: 8 * MiB, clusterEnabled: true, resetData: true });
    await joinCluster(nodes[0].port, { primaryPort: shards[1].primaryPort, replicaPorts: [fresh.port] });
    const view = await clusterNodes(nodes[0].port);
    expect(view.find((n) => n.port === fresh.port)?.masterId).toBe(view.find((n) => n.port === shards[1].primaryPort)?.id);
    expect(view).toHaveLength(6);
  });
});
