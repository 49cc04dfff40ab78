import { spawnSync } from "node:child_process";
import path from "node:path";
import { machineDescription, summarize } from "./machine";

// Failover drills end to end: the app's runner against the emulator at its default time scale (0.01), with the probe
// writing and reading throughout. The measuring runs in a child process (drill-runs.ts) with the react-server
// condition, as the app's server code runs.

interface DrillRun {
  wallMs: number;
  verdict: string;
  newPrimaryMs: number | null;
  healthyMs: number | null;
  writeOutageMs: number | null;
  slowestWriteMs: number | null;
  writesAcknowledged: number;
  keysLost: number | null;
  awsCalls: number;
}

interface Results {
  preflight: { ms: number; awsCalls: number; operations: string[] }[];
  cmd: DrillRun[];
  cme: DrillRun[];
  az: DrillRun[];
}

const figure = (runs: DrillRun[], pick: (r: DrillRun) => number | null, digits?: number) => {
  const values = runs.map(pick).filter((v): v is number => v !== null);
  if (values.length === 0) return "—";
  const { median, p95 } = summarize(values);
  return digits === 0 ? `${Math.round(Number(median))} / ${Math.round(Number(p95))}` : `${median} / ${p95}`;
};

function row(label: string, runs: DrillRun[]): string {
  const verdicts = runs.map((r) => r.verdict);
  const lost = runs.reduce((n, r) => n + (r.keysLost ?? 0), 0);
  const acknowledged = runs.reduce((n, r) => n + r.writesAcknowledged, 0);
  return `| ${label} | ${runs.length} | ${figure(runs, (r) => r.newPrimaryMs)} | ${figure(runs, (r) => r.healthyMs)} | ${figure(runs, (r) => r.writeOutageMs)} | ${figure(runs, (r) => r.slowestWriteMs)} | ${lost} of ${acknowledged} | ${figure(runs, (r) => r.awsCalls, 0)} | ${verdicts.filter((v) => v === "pass").length} of ${runs.length} |`;
}

export default async function drillsBench(): Promise<string> {
  const machine = machineDescription();
  const child = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", path.join(__dirname, "drill-runs.ts")], {
    cwd: path.join(__dirname, "..", ".."),
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`drill runs failed (${child.status}):\n${child.stderr}`);
  const results = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Results;
  const pre = summarize(results.preflight.map((p) => p.ms));
  return [
    "## Failover drills (lib/drills)",
    "",
    `Machine: ${machine}. The machine is shared with other work, so treat the figures as upper bounds.`,
    "",
    "The app's drill runner against an in-process emulator at time scale 0.01 (AWS's 60 s failover detection becomes 0.6 s,",
    "its 10-minute node replacement 6 s), polling every 250 ms, with the probe writing and reading every 50 ms from",
    "the same process. Times are from the TestFailover call (or the power cut) to the new primary, and to every drilled",
    "shard healthy again (the old primary replaced and synced, AWS's \"Finished recovery\" event); \"write outage\" is the",
    "probe's longest run of failed writes, \"slowest write\" its slowest acknowledged one (a client that retries through the",
    "failover sees latency instead of errors); \"lost\" counts acknowledged writes missing at the end. Median / p95 in ms",
    "(AWS calls: median / p95 count).",
    "",
    "| drill | runs | new primary | fully healthy | write outage | slowest write | lost | AWS calls per drill | verdict pass |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    row("Test failover, cluster mode disabled, 3 nodes", results.cmd),
    row("Test failover, cluster mode enabled, 1 of 3 shards", results.cme),
    row("AZ power interruption for 5 s, cluster mode enabled, 3 shards", results.az),
    "",
    `Pre-flight checklist (cluster mode enabled, 3 shards × 2 nodes): median ${pre.median} ms, p95 ${pre.p95} ms, ` +
      `${results.preflight[0].awsCalls} AWS calls (${results.preflight[0].operations.join(", ")}).`,
    "",
    "A cluster-mode-disabled failover is Redis's coordinated FAILOVER: writes pause until the replica has caught up, the old",
    "primary answers READONLY, and the probe moves to the new primary once DescribeReplicationGroups names it — that",
    "stretch is the write outage. Cluster mode's CLUSTER FAILOVER is followed by the cluster client through MOVED.",
    "An AZ power interruption kills the zone's nodes outright (no coordination): writes to those shards fail, or wait",
    "while the cluster client retries them, until ElastiCache's automatic failover promotes a replica.",
    "The AWS calls are the runner's (one DescribeReplicationGroups and one DescribeEvents per poll, DescribeCacheClusters",
    "for a shard's members once its recovery events are in, the probe's endpoint lookups) and the report's GetMetricData;",
    "at the default 2 s poll a drill makes about one call per second.",
  ].join("\n");
}
