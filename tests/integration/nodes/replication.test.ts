import { describe, expect, it } from "vitest";
import {
  info,
  promoteToPrimary,
  replicaOf,
  replicationStatus,
  waitForReplicasCaughtUp,
  waitForReplicationUp,
  withRedis,
} from "@/emulator/nodes/redis-admin";
import { MiB, replicatedGroup, startRedisNodes, testSupervisor } from "./node-test-kit";

describe("redis replication admin", () => {
  it("replicates a primary to two replicas and reports each link", async () => {
    const supervisor = testSupervisor();
    const [primary, r1, r2] = await startRedisNodes(supervisor, "g", 3, { maxmemoryBytes: 4 * MiB });
    await Promise.all([replicaOf(r1.port, primary.port), replicaOf(r2.port, primary.port)]);
    await Promise.all([waitForReplicationUp(r1.port), waitForReplicationUp(r2.port)]);

    await withRedis(primary.port, async (c) => {
      await c.set("order:42", "shipped");
      expect(await c.wait(2, 5_000)).toBe(2);
    });
    expect(await withRedis(r1.port, (c) => c.get("order:42"))).toBe("shipped");
    expect(await withRedis(r2.port, (c) => c.get("order:42"))).toBe("shipped");

    const onReplica = await replicationStatus(r1.port);
    expect(onReplica).toMatchObject({ role: "slave", masterPort: primary.port, masterLinkStatus: "up" });
    const writtenUpTo = (await replicationStatus(primary.port)).replOffset;
    const onPrimary = await waitForReplicasCaughtUp(primary.port, { expectedReplicas: 2 });
    expect(onPrimary.role).toBe("master");
    expect(onPrimary.replicas.every((r) => r.offset >= writtenUpTo)).toBe(true);
    expect(onPrimary.replicas.map((r) => r.port).sort()).toEqual([r1.port, r2.port].sort());
    expect(onPrimary.replicas.every((r) => r.state === "online" && r.lagSeconds <= 1)).toBe(true);
    expect(onPrimary.replOffset).toBeGreaterThan(0);

    await promoteToPrimary(r1.port);
    expect((await info(r1.port, "replication")).role).toBe("master");
    await withRedis(r1.port, (c) => c.set("after", "promotion"));
    expect(await withRedis(r1.port, (c) => c.get("order:42"))).toBe("shipped");
  });

  it("a replica refuses writes", async () => {
    const supervisor = testSupervisor();
    const { replicas } = await replicatedGroup(supervisor, 2);
    await expect(withRedis(replicas[0], (c) => c.set("k", "v"))).rejects.toThrow(/READONLY/);
  });
});
