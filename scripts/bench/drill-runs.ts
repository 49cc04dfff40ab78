// The drills benchmark's measuring half, in its own process run with the react-server condition (lib/drills is
// server-only code, as in the app): real drills by the app's runner against an in-process emulator, printed as JSON.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmulator } from "@/emulator/emulator";
import { waitFor } from "@/emulator/nodes/wait-for";
import { countAwsCalls } from "@/lib/aws/call-counter";
import { AuditLog } from "@/lib/audit/audit-log";
import { openDatabase } from "@/lib/db/database";
import { DEMO_FIS_ROLE_ARN, type DrillConfig } from "@/lib/env";
import { runPreflight, type PreflightRequest } from "@/lib/drills/preflight";
import { DrillRun } from "@/lib/drills/runner";
import { DrillStore } from "@/lib/drills/store";

const RUNS = { cmd: 5, cme: 3, az: 3, preflight: 10 };
const group = (id: string, extra: Record<string, unknown>) => ({
  ReplicationGroupId: id,
  ReplicationGroupDescription: id,
  Engine: "redis",
  CacheNodeType: "cache.r7g.large",
  AutomaticFailoverEnabled: true,
  MultiAZEnabled: true,
  ...extra,
});

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-drills-"));
  const fleetFile = path.join(dir, "fleet.json");
  writeFileSync(
    fleetFile,
    JSON.stringify({
      regions: {
        "us-east-1": {
          replicationGroups: [
            group("bench-sessions", { NumCacheClusters: 3, PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"] }),
            group("bench-catalog", { Engine: "valkey", NumNodeGroups: 3, ReplicasPerNodeGroup: 1 }),
          ],
        },
      },
    }),
  );
  const emulator = await startEmulator({ port: 0, dataDir: path.join(dir, "emulator"), fleetFile, settings: { timeScale: 0.01, testFailoverShardsPer24Hours: 100 }, metricsIntervalMs: 1_000, workload: false });
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_EC2_METADATA_DISABLED: "true" });
  const { db } = await openDatabase({ dialect: "sqlite", file: path.join(dir, "cachedeck.sqlite") });
  const store = new DrillStore(db);
  const audit = new AuditLog(db);
  const config: DrillConfig = {
    objectives: { newPrimarySeconds: 10, healthySeconds: 60, writeOutageSeconds: 5 },
    maxReplicationLagSeconds: 5,
    failoverQuotaPerDay: 100,
    pollIntervalMs: 250,
    shardTimeoutMs: 120_000,
    recoveryEventWaitMs: 10_000,
    fisRoleArn: DEMO_FIS_ROLE_ARN,
    fisTemplateIds: new Map(),
  };
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const progress = (message: string) => process.stderr.write(`[drills bench] ${message}\n`);
  const deps = { store, audit, config, log };

  async function readyPreflight(request: PreflightRequest) {
    return waitFor(
      async () => {
        const preflight = await runPreflight(request, deps);
        if (!preflight.checklist.ready) progress(`waiting: ${preflight.checklist.items.filter((i) => i.status === "fail").map((i) => i.detail).join(" ")}`);
        return preflight.checklist.ready && !(await store.running(request, request.replicationGroupId)) ? preflight : false;
      },
      { timeoutMs: 120_000, intervalMs: 500, description: `${request.replicationGroupId} ready for a drill` },
    );
  }

  async function drill(request: PreflightRequest) {
    const preflight = await readyPreflight(request);
    const record = await store.create({
      kind: request.kind,
      account: request.account,
      region: request.region,
      replicationGroupId: request.replicationGroupId,
      parameters: { shards: preflight.checklist.shards, availabilityZone: request.availabilityZone, durationSeconds: request.kind === "az-power-interruption" ? 5 : null, probe: true },
      objectives: config.objectives,
      tags: {},
      actor: { id: "bench", name: "Benchmark", email: null, role: "operator" },
      auditId: null,
    });
    const started = Date.now();
    progress(`drill #${record.id}: ${request.kind} of ${request.replicationGroupId} ${preflight.checklist.shards.join(",")}`);
    const { calls } = await countAwsCalls(() => new DrillRun(record, deps, preflight.observed).run());
    const report = (await store.report(record.id))!;
    return {
      wallMs: Date.now() - started,
      verdict: report.verdict.verdict,
      newPrimaryMs: report.newPrimaryMs,
      healthyMs: report.healthyMs,
      writeOutageMs: report.probe?.longestWriteOutageMs ?? null,
    slowestWriteMs: report.probe?.slowestWriteMs ?? null,
      writesAcknowledged: report.probe?.writesAcknowledged ?? 0,
      keysLost: report.probe?.keysLost ?? null,
      awsCalls: calls.length,
    };
  }

  const base = { account: "default", region: "us-east-1", availabilityZone: null, probe: true, shards: ["0001"] };
  const results: Record<string, unknown> = {};
  try {
    await waitFor(async () => (await runPreflight({ ...base, kind: "test-failover", replicationGroupId: "bench-catalog" }, deps)).checklist.ready, { timeoutMs: 120_000, intervalMs: 500 });
    const preflights = [];
    for (let i = 0; i < RUNS.preflight; i += 1) {
      const started = Date.now();
      const { calls } = await countAwsCalls(() => runPreflight({ ...base, kind: "test-failover", replicationGroupId: "bench-catalog" }, deps));
      preflights.push({ ms: Date.now() - started, awsCalls: calls.length, operations: [...new Set(calls.map((c) => c.operation))].sort() });
    }
    results.preflight = preflights;
    results.cmd = [];
    for (let i = 0; i < RUNS.cmd; i += 1) (results.cmd as unknown[]).push(await drill({ ...base, kind: "test-failover", replicationGroupId: "bench-sessions" }));
    results.cme = [];
    for (let i = 0; i < RUNS.cme; i += 1) (results.cme as unknown[]).push(await drill({ ...base, kind: "test-failover", replicationGroupId: "bench-catalog", shards: [`000${(i % 3) + 1}`] }));
    results.az = [];
    for (let i = 0; i < RUNS.az; i += 1) {
      // The zone of a shard's current primary, so every run has a failover to measure.
      const { observed } = await readyPreflight({ ...base, kind: "test-failover", replicationGroupId: "bench-catalog" });
      const zone = observed.shards[i % 3].members.find((m) => m.role === "primary")?.availabilityZone ?? "us-east-1a";
      (results.az as unknown[]).push(await drill({ ...base, kind: "az-power-interruption", replicationGroupId: "bench-catalog", availabilityZone: zone, shards: [] }));
    }
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } finally {
    await db.destroy();
    await emulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
