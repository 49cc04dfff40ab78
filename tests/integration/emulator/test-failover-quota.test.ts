import { APICallRateForCustomerExceededFault, DescribeEventsCommand, TestFailoverCommand, type ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, tempDataDir, type TestEmulator } from "@/tests/helpers/emulator";
import { createGroup } from "@/tests/helpers/replication-group";

// TestFailover's quota counts shards over a rolling 24 hours and survives a restart. The emulator's clock is moved
// forward instead of waiting a day; the quota is set to 2 so the test needs few real failovers.

const HOUR = 60 * 60 * 1000;
let offsetMs = 0;
const settings = { timeScale: 0, testFailoverShardsPer24Hours: 2, now: () => new Date(Date.now() + offsetMs) };

let dataDir: string;
let emulator: TestEmulator;
let client: ElastiCacheClient;

beforeAll(async () => {
  dataDir = tempDataDir("quota");
  emulator = await startTestEmulator({ dataDir, settings });
  client = elasticacheClient(emulator.url);
});
afterAll(() => emulator?.dispose());

/** A test failover, waited for until its node replacement finished (the group is ready for the next one). */
async function drill(group: string): Promise<void> {
  const since = new Date();
  await client.send(new TestFailoverCommand({ ReplicationGroupId: group, NodeGroupId: "0001" }));
  await waitFor(
    async () => {
      const { Events } = await client.send(new DescribeEventsCommand({ SourceType: "cache-cluster", StartTime: since }));
      return Events!.some((e) => e.SourceIdentifier!.startsWith(`${group}-`) && e.Message === "Finished recovery for cache nodes 0001");
    },
    { timeoutMs: 30_000, description: `${group}'s test failover to finish` },
  );
}

const refused = (group: string) =>
  expect(client.send(new TestFailoverCommand({ ReplicationGroupId: group, NodeGroupId: "0001" }))).rejects.toBeInstanceOf(APICallRateForCustomerExceededFault);

it("allows the configured number of shards per rolling 24 hours, counted across restarts", async () => {
  await createGroup(client, { ReplicationGroupId: "east", NumCacheClusters: 2, AutomaticFailoverEnabled: true });
  await createGroup(client, { ReplicationGroupId: "west", NumCacheClusters: 2, AutomaticFailoverEnabled: true });

  await drill("east");
  offsetMs = 12 * HOUR;
  await drill("west");
  await refused("east");

  // 24 h after the first call it has left the window; the second has not.
  offsetMs = 24 * HOUR + 60_000;
  await drill("east");
  await refused("west");

  // A restart does not hand out a new day.
  await emulator.stop();
  emulator = await startTestEmulator({ dataDir, settings });
  client = elasticacheClient(emulator.url);
  await refused("west");
  offsetMs = 36 * HOUR + 60_000;
  await drill("west");
});
