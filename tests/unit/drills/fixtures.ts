import type { Drill, ProbeResult, TimelineEntry, TimelineKind, TimelineData } from "@/lib/drills/model";

export const T0 = Date.parse("2026-03-01T10:00:00.000Z");
export const at = (ms: number) => new Date(T0 + ms).toISOString();

export function drill(overrides: Partial<Drill> = {}): Drill {
  return {
    id: 7,
    kind: "test-failover",
    account: "default",
    region: "us-east-1",
    replicationGroupId: "orders",
    parameters: { shards: ["0001"], availabilityZone: null, durationSeconds: null, probe: false },
    objectives: { newPrimarySeconds: 30, healthySeconds: 120, writeOutageSeconds: 5 },
    tags: { team: "checkout" },
    status: "completed",
    verdict: null,
    actor: { id: "u1", name: "Omar Operator", email: null, role: "operator" },
    auditId: 1,
    requestedAt: at(0),
    finishedAt: at(60_000),
    heartbeatAt: at(60_000),
    abortRequestedAt: null,
    abortRequestedBy: null,
    error: null,
    ...overrides,
  };
}

let nextId = 1;
export function entry<K extends TimelineKind>(kind: K, ms: number, shard: string | null, data: TimelineData[K], message: string = kind): TimelineEntry {
  return { id: nextId++, drillId: 7, at: at(ms), kind, shard, message, data } as TimelineEntry;
}

export const node = (id: string, az: string) => ({ cacheClusterId: id, availabilityZone: az });

export function probe(overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    writesAttempted: 400,
    writesAcknowledged: 390,
    writesFailed: 10,
    longestWriteOutageMs: 1_200,
    slowestWriteMs: 900,
    readsAttempted: 400,
    readsFailed: 4,
    longestReadOutageMs: 300,
    keysVerified: 390,
    keysLost: 0,
    lostKeySample: [],
    problem: null,
    ...overrides,
  };
}

/** A two-shard drill's timeline: 0001 fails over in 8 s and recovers at 20 s; 0002 is called at 25 s. */
export function twoShardTimeline(options: { secondHealthy: boolean }): TimelineEntry[] {
  const topology = {
    capturedAt: at(0),
    shards: [
      { id: "0001", primary: node("o-0001-001", "us-east-1a"), replicas: [node("o-0001-002", "us-east-1b")] },
      { id: "0002", primary: node("o-0002-001", "us-east-1b"), replicas: [node("o-0002-002", "us-east-1c")] },
    ],
  };
  return [
    entry("drill-started", 0, null, { topology }),
    entry("api-call", 1_000, "0001", { operation: "TestFailover", requestId: "r-1", durationMs: 40, auditId: 2 }),
    entry("event", 1_100, null, { sourceType: "replication-group", sourceIdentifier: "orders", date: at(1_050) }, "Test Failover API called for node group 0001"),
    entry("primary-change", 9_000, "0001", { oldPrimary: node("o-0001-001", "us-east-1a"), newPrimary: node("o-0001-002", "us-east-1b"), detectedBy: "event" }),
    entry("shard-healthy", 21_000, "0001", {}),
    entry("api-call", 25_000, "0002", { operation: "TestFailover", requestId: "r-2", durationMs: 35, auditId: 3 }),
    entry("primary-change", 37_000, "0002", { oldPrimary: node("o-0002-001", "us-east-1b"), newPrimary: node("o-0002-002", "us-east-1c"), detectedBy: "describe" }),
    ...(options.secondHealthy ? [entry("shard-healthy", 50_000, "0002", {})] : []),
  ];
}
