import { fleetRowKey, type FleetRow } from "@/lib/data/fleet-rows";
import { clusterHref } from "@/lib/data/summaries";
import type { HealthFigures, HealthLevel, Problem } from "@/lib/data/health";
import { judgeLifecycle } from "@/lib/posture/engine-lifecycle";
import { briefOf, type PostureBrief } from "@/lib/posture/posture";

// Fleet rows built in memory, for unit tests of what the browser does with them (no AWS, no emulator: the real data
// path is covered by the integration and e2e tests).

export interface RowOptions {
  region?: string;
  engine?: string;
  level?: HealthLevel;
  problems?: Problem[];
  figures?: Partial<HealthFigures> | null;
  tags?: Record<string, string>;
  status?: string;
  nodes?: number;
  points?: number;
  account?: string;
  engineVersion?: string;
  findings?: PostureBrief["findings"];
}

export function fleetRow(id: string, o: RowOptions = {}): FleetRow {
  const region = o.region ?? "us-east-1";
  const account = o.account ?? "default";
  const points = o.points ?? 4;
  const figures = o.figures === null || o.figures === undefined ? null : { hitRate: null, lookups: null, evictions: null, evictionRun: 0, replicationLag: null, engineCpu: null, memory: null, ...o.figures };
  const series = (base: number) => Array.from({ length: points }, (_, i) => base + i);
  return {
    key: fleetRowKey({ account, region }, "replication-group", id),
    kind: "replication-group",
    id,
    account,
    region,
    engine: o.engine ?? "redis",
    engineVersion: o.engineVersion ?? "7.1",
    clusterMode: "disabled",
    nodeType: "cache.r7g.large",
    shards: 1,
    nodes: o.nodes ?? 3,
    cost: null,
    zones: [],
    status: o.status ?? "available",
    activity: [],
    tags: o.tags ?? {},
    posture: { ...briefOf({ lifecycle: judgeLifecycle(o.engine ?? "redis", o.engineVersion ?? "7.1", new Date("2026-12-04T00:00:00Z")), controls: [] }), findings: o.findings ?? [] },
    href: clusterHref({ account, region }, "replication-group", id),
    alarms: null,
    health: { level: o.level ?? "healthy", problems: o.problems ?? [], figures },
    trends: { start: 0, step: 60_000, hitRate: series(90), evictions: series(0), replicationLag: series(0), engineCpu: series(10), memory: series(40) },
  };
}

const levels: HealthLevel[] = ["healthy", "healthy", "healthy", "warning", "critical", "unknown"];

/** A fleet the size issue 12 measures: `n` clusters over two regions, three engines, varied health and tags. */
export function syntheticFleet(n: number): FleetRow[] {
  return Array.from({ length: n }, (_, i) => {
    const level = levels[i % levels.length];
    return fleetRow(`cache-${String(i).padStart(4, "0")}`, {
      region: i % 2 ? "eu-west-1" : "us-east-1",
      engine: ["redis", "valkey", "memcached"][i % 3],
      level,
      problems: level === "warning" || level === "critical" ? [{ code: "memory", level, summary: `Memory ${90 + (i % 9)}%` }] : [],
      figures: level === "unknown" ? null : { hitRate: (i * 37) % 100, evictions: i % 7, replicationLag: (i % 11) / 10, engineCpu: (i * 13) % 100, memory: (i * 29) % 100 },
      tags: { team: `team-${i % 40}`, env: i % 5 ? "prod" : "staging" },
      nodes: 2 + (i % 5),
      points: 40,
    });
  });
}
