import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DescribeEventsCommand, ElastiCacheClient, TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { startEmulator, type RunningEmulator } from "@/emulator/emulator";
import { DEFAULT_TIME_SCALE } from "@/emulator/elasticache/state/settings";
import { waitFor } from "@/emulator/nodes/wait-for";
import { ContinuousWriter } from "@/tests/helpers/continuous-writer";
import { createGroup, describeGroup, rolesOf, writeAcknowledged } from "@/tests/helpers/replication-group";
import { machineDescription, summarize } from "./machine";

// Failovers on real nodes, timed from the outside as a drill would see them: TestFailover call → "Failover … completed"
// → "Finished recovery"; kill -9 of a primary → new primary in DescribeReplicationGroups; and the window in which a
// client writing continuously through the failover has its writes refused.

const RUNS = 5;

interface Run {
  promotedMs: number;
  recoveredMs: number;
  longestRefusalMs: number;
}

function row(label: string, values: number[]): string {
  const { median, p95 } = summarize(values);
  return `| ${label} | ${median} | ${p95} | ${Math.max(...values).toFixed(0)} |`;
}

async function eventAfter(client: ElastiCacheClient, since: Date, match: (message: string) => boolean): Promise<Date> {
  return waitFor(
    async () => {
      const { Events } = await client.send(new DescribeEventsCommand({ StartTime: since, MaxRecords: 100 }));
      return Events!.find((e) => match(e.Message!))?.Date;
    },
    { timeoutMs: 120_000, intervalMs: 20, description: "the event" },
  );
}

/** One failover (test or kill -9) with a writer running through it. */
async function measure(client: ElastiCacheClient, emulator: RunningEmulator, group: string, how: "test" | "kill"): Promise<Run> {
  const writer = new ContinuousWriter(client, group, `w${Date.now()}`);
  const since = new Date();
  const started = Date.now();
  if (how === "test") {
    await client.send(new TestFailoverCommand({ ReplicationGroupId: group, NodeGroupId: "0001" }));
  } else {
    const primary = Object.entries(rolesOf(await describeGroup(client, group)).roles).find(([, role]) => role === "primary")![0];
    process.kill(emulator.controlPlane.nodeProcess(emulator.controlPlane.nodeKey("us-east-1", primary, "0001"))!.pid, "SIGKILL");
  }
  const promoted = await eventAfter(client, since, (m) => m.startsWith("Failover from primary node"));
  const recovered = await eventAfter(client, since, (m) => m.startsWith("Finished recovery"));
  const report = await writer.stop();
  return { promotedMs: promoted.getTime() - started, recoveredMs: recovered.getTime() - started, longestRefusalMs: report.longestRefusalMs };
}

async function series(timeScale: number, how: "test" | "kill"): Promise<Run[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-failover-"));
  const emulator = await startEmulator({ port: 0, dataDir, settings: { timeScale } });
  try {
    const client = new ElastiCacheClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" }, maxAttempts: 1 });
    const group = await createGroup(client, { ReplicationGroupId: "bench", NumCacheClusters: 3, CacheNodeType: "cache.r7g.large", AutomaticFailoverEnabled: true, MultiAZEnabled: true });
    await writeAcknowledged(rolesOf(group).primaryPort, "seed", 1000, 2);
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measure(client, emulator, "bench", how));
    return runs;
  } finally {
    await emulator.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

export default async function run(): Promise<string> {
  const machine = machineDescription();
  const drill = await series(DEFAULT_TIME_SCALE, "test");
  const mechanics = await series(0, "test");
  const killed = await series(DEFAULT_TIME_SCALE, "kill");
  const table = (runs: Run[], label: string) => [
    row(`${label}: call → "Failover … completed" event`, runs.map((r) => r.promotedMs)),
    row(`${label}: call → "Finished recovery" event`, runs.map((r) => r.recoveredMs)),
    row(`${label}: longest stretch of refused writes`, runs.map((r) => r.longestRefusalMs)),
  ];
  return [
    "## Failover (emulator/elasticache: TestFailover, automatic failover)",
    "",
    `Machine: ${machine}.`,
    "",
    `A cluster-mode-disabled group of 3 cache.r7g.large nodes (1,000 keys), ${RUNS} failovers in a row per series, through @aws-sdk/client-elasticache to an in-process emulator. ` +
      "Event times are the events' own dates. A client writes continuously (one SET at a time, over 1,000 keys) to the PrimaryEndpoint and, on a refused write, " +
      "reads DescribeReplicationGroups again and reconnects — as an application re-resolving AWS's primary DNS name would; the refusal window runs " +
      "from its first refused write to its next acknowledged one. Every acknowledged write is kept (the integration tests check it).",
    "",
    "| measure | median ms | p95 ms | max ms |",
    "|---|---:|---:|---:|",
    ...table(drill, `TestFailover, time scale ${DEFAULT_TIME_SCALE} (default)`),
    ...table(mechanics, "TestFailover, time scale 0 (the processes' own work)"),
    row(`kill -9 of the primary, time scale ${DEFAULT_TIME_SCALE}: kill → "Failover … completed" event`, killed.map((r) => r.promotedMs)),
    row(`kill -9 of the primary, time scale ${DEFAULT_TIME_SCALE}: kill → "Finished recovery" event`, killed.map((r) => r.recoveredMs)),
    row(`kill -9 of the primary, time scale ${DEFAULT_TIME_SCALE}: longest stretch of refused writes`, killed.map((r) => r.longestRefusalMs)),
    "",
    `At the default time scale the paced phases add 0.6 s before the promotion and 6 s before the replacement node starts (AWS: about 1 minute and 10 minutes). ` +
      "The integration test (tests/integration/emulator/test-failover.test.ts) holds the refusal window of a test failover under 3 s on a loaded machine.",
  ].join("\n");
}
