import { describe, expect, it } from "vitest";
import { info, replicationStatus, waitForReplicasCaughtUp, withRedis } from "@/emulator/nodes/redis-admin";
import { ReplicationThrottle } from "@/emulator/nodes/replication-throttle";
import { waitFor } from "@/emulator/nodes/wait-for";
import { MiB, replicatedGroup, testSupervisor } from "./node-test-kit";

describe("ReplicationThrottle", () => {
  it("makes a replica fall behind by a delay or a bandwidth cap, and remove() restores a direct link", async () => {
    const supervisor = testSupervisor();
    const { nodes } = await replicatedGroup(supervisor, 2, 16 * MiB);
    const [primary, replica] = nodes;
    const throttle = await ReplicationThrottle.start({ replicaPort: replica.port, primaryPort: primary.port, delayMs: 1_500 });
    try {
      expect((await replicationStatus(replica.port)).masterPort).toBe(throttle.proxyPort);

      await withRedis(primary.port, (c) => c.set("delayed", "yes"));
      const behind = (await replicationStatus(primary.port)).replicas[0];
      expect(behind.lagBytes).toBeGreaterThan(0);
      expect(await withRedis(replica.port, (c) => c.get("delayed"))).toBeNull();
      await waitFor(async () => (await withRedis(replica.port, (c) => c.get("delayed"))) === "yes", {
        timeoutMs: 10_000,
        description: "the delayed write to arrive",
      });

      throttle.update({ delayMs: 0, bytesPerSecond: 100_000 });
      await withRedis(primary.port, (c) => c.set("bulky", "x".repeat(400_000)));
      const samples: number[] = [];
      await waitFor(
        async () => {
          samples.push((await replicationStatus(primary.port)).replicas[0].lagBytes);
          return samples.length >= 3 && samples[samples.length - 1] < samples[samples.length - 3];
        },
        { timeoutMs: 5_000, intervalMs: 300, description: "the capped replica to make slow progress" },
      );
      expect(samples[samples.length - 1]).toBeGreaterThan(50_000);

      const partialSyncsBefore = Number((await info(primary.port, "stats")).sync_partial_ok);
      await throttle.remove();
      expect((await replicationStatus(replica.port)).masterPort).toBe(primary.port);
      await waitForReplicasCaughtUp(primary.port, { expectedReplicas: 1, timeoutMs: 5_000 });
      expect((await withRedis(replica.port, (c) => c.get("bulky")))?.length).toBe(400_000);
      expect(Number((await info(primary.port, "stats")).sync_partial_ok)).toBe(partialSyncsBefore + 1);
    } finally {
      await throttle.close();
    }
  });
});
