import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { AuditLog } from "@/lib/audit/audit-log";
import { openDatabase, type OpenDatabase } from "@/lib/db/database";
import { DEMO_FIS_ROLE_ARN, type DrillConfig } from "@/lib/env";
import type { Drill, DrillObjectives } from "@/lib/drills/model";
import { runPreflight, type Preflight, type PreflightRequest } from "@/lib/drills/preflight";
import { DrillRun, type RunnerDeps } from "@/lib/drills/runner";
import { DrillStore } from "@/lib/drills/store";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";

// A real emulator (time scale 0.01: a test failover recovers in about 7 s), a real SQLite database with the drill
// store and audit log, and lib/aws pointed at the emulator, for drill tests that run the runner exactly as the app does.

export const operator = { id: "u-omar", name: "Omar Operator", email: "omar@example.com", role: "operator" };

export interface DrillKit {
  emulator: TestEmulator;
  store: DrillStore;
  audit: AuditLog;
  config: DrillConfig;
  dir: string;
  logged: string[];
  runnerDeps(overrides?: Partial<RunnerDeps>): RunnerDeps;
  preflight(request: Partial<PreflightRequest> & { replicationGroupId: string }, config?: Partial<DrillConfig>): Promise<Preflight>;
  /** Records a drill from a passing pre-flight, as the start action does. */
  create(preflight: Preflight, request: Partial<PreflightRequest> & { replicationGroupId: string }, objectives?: Partial<DrillObjectives>): Promise<Drill>;
  dispose(): Promise<void>;
}

export const objectives: DrillObjectives = { newPrimarySeconds: 10, healthySeconds: 40, writeOutageSeconds: 5 };

export async function startDrillKit(fleet: { replicationGroups: ({ ReplicationGroupId: string } & Record<string, unknown>)[] }, emulatorOptions: { timeScale?: number } = {}): Promise<DrillKit> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-drills-"));
  const fleetFile = path.join(dir, "fleet.json");
  writeFileSync(fleetFile, JSON.stringify({ regions: { "us-east-1": fleet } }));
  const emulator = await startTestEmulator({ fleetFile, settings: { timeScale: emulatorOptions.timeScale ?? 0.01 }, metricsIntervalMs: 1_000 });
  const client = elasticacheClient(emulator.url);
  await Promise.all(fleet.replicationGroups.map((g) => waitForReplicationGroup(client, g.ReplicationGroupId)));
  pointAwsSdkAt(emulator.url);
  const opened: OpenDatabase = await openDatabase({ dialect: "sqlite", file: path.join(dir, "cachedeck.sqlite") });
  const store = new DrillStore(opened.db);
  const audit = new AuditLog(opened.db);
  const logged: string[] = [];
  const config: DrillConfig = {
    objectives,
    maxReplicationLagSeconds: 5,
    failoverQuotaPerDay: 15,
    pollIntervalMs: 200,
    shardTimeoutMs: 60_000,
    recoveryEventWaitMs: 10_000,
    fisRoleArn: DEMO_FIS_ROLE_ARN,
    fisTemplateIds: new Map(),
  };
  const log = (message: string, error?: unknown) => logged.push(`${message}${error ? `: ${(error as Error).message}` : ""}`);
  const request = (r: Partial<PreflightRequest> & { replicationGroupId: string }): PreflightRequest => ({
    kind: "test-failover",
    account: "default",
    region: "us-east-1",
    shards: ["0001"],
    availabilityZone: null,
    probe: false,
    ...r,
  });
  return {
    emulator,
    store,
    audit,
    config,
    dir,
    logged,
    runnerDeps: (overrides = {}) => ({ store, audit, config, log, ...overrides }),
    preflight: (r, overrides = {}) => runPreflight(request(r), { store, audit, config: { ...config, ...overrides }, log }),
    create: (preflight, r, wanted = {}) => {
      const full = request(r);
      return store.create({
        kind: full.kind,
        account: full.account,
        region: full.region,
        replicationGroupId: full.replicationGroupId,
        parameters: { shards: preflight.checklist.shards, availabilityZone: full.availabilityZone, durationSeconds: full.kind === "az-power-interruption" ? 300 : null, probe: full.probe },
        objectives: { ...objectives, ...wanted },
        tags: {},
        actor: operator,
        auditId: null,
      });
    },
    async dispose() {
      await opened.db.destroy();
      await emulator.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Runs a drill to its end the way the app's runner does; returns the ended drill. */
export function runToEnd(kit: DrillKit, drill: Drill, preflight: Preflight, overrides: Partial<RunnerDeps> = {}): Promise<Drill> {
  return new DrillRun(drill, kit.runnerDeps(overrides), preflight.observed).run();
}

export const groups = {
  sessions: {
    ReplicationGroupId: "drill-sessions",
    ReplicationGroupDescription: "cluster mode disabled, three AZs",
    Engine: "redis",
    CacheNodeType: "cache.t4g.small",
    NumCacheClusters: 3,
    PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"],
    AutomaticFailoverEnabled: true,
    MultiAZEnabled: true,
  },
  /** The shape of the demo's staging orders-sessions-staging (TLS on the node ports, an AUTH token), with Multi-AZ for a drill. */
  secure: {
    ReplicationGroupId: "drill-secure",
    ReplicationGroupDescription: "TLS + AUTH, a primary and a replica",
    Engine: "redis",
    EngineVersion: "7.1",
    CacheNodeType: "cache.t4g.small",
    NumCacheClusters: 2,
    PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b"],
    AutomaticFailoverEnabled: true,
    TransitEncryptionEnabled: true,
    MultiAZEnabled: true,
    AuthToken: "drill-secure-token-not-secret",
    AtRestEncryptionEnabled: true,
  },
  catalog: {
    ReplicationGroupId: "drill-catalog",
    ReplicationGroupDescription: "cluster mode enabled, two shards",
    Engine: "valkey",
    CacheNodeType: "cache.t4g.small",
    NumNodeGroups: 2,
    ReplicasPerNodeGroup: 1,
    AutomaticFailoverEnabled: true,
    MultiAZEnabled: true,
  },
};
