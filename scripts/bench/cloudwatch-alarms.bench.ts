import { AlarmBook } from "@/emulator/cloudwatch/alarms/alarm-book";
import { identity } from "@/emulator/cloudwatch/dimensions";
import { MetricStore } from "@/emulator/cloudwatch/metric-store";
import { machineDescription, summarize } from "./machine";

// What the alarm evaluator costs per collection tick: AWS's recommended alarms (six per node) on a 200-node fleet,
// each node's metrics sampled every 5 s for 30 minutes, judged when a period ends (every window moved) and on a tick
// between period ends (nothing to judge).

const NODES = 200;
const METRICS = ["CPUUtilization", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "CurrConnections", "ReplicationLag"];
const SAMPLE_SECONDS = 5;
const MINUTES = 30;
const RUNS = 15;

export default async function run(): Promise<string> {
  const start = Math.floor(Date.now() / 3_600_000) * 3600;
  let clockMs = start * 1000;
  const store = new MetricStore({ now: () => clockMs });
  const book = new AlarmBook({ store, accountId: "000000000000", now: () => clockMs });
  const dims = (i: number) => [{ Name: "CacheClusterId", Value: `fleet-${String(i).padStart(3, "0")}` }, { Name: "CacheNodeId", Value: "0001" }];
  for (let t = start; t < start + MINUTES * 60; t += SAMPLE_SECONDS) {
    clockMs = t * 1000;
    for (let i = 0; i < NODES; i++) {
      for (const metric of METRICS) {
        const value = (i * 7 + t) % 100;
        store.put("us-east-1", identity("AWS/ElastiCache", metric, dims(i)), { timestamp: t, count: 1, sum: value, min: value, max: value, pairs: [value, 1], storageResolution: 1 });
      }
    }
  }
  for (let i = 0; i < NODES; i++) {
    for (const metric of METRICS) {
      book.put("us-east-1", {
        AlarmName: `fleet-${i}-${metric}`, ActionsEnabled: true, OKActions: [], AlarmActions: ["arn:aws:sns:us-east-1:000000000000:ops"], InsufficientDataActions: [],
        Namespace: "AWS/ElastiCache", MetricName: metric, Dimensions: dims(i), Statistic: "Average", Period: 60, EvaluationPeriods: 5, DatapointsToAlarm: 5,
        Threshold: 90, ComparisonOperator: "GreaterThanThreshold",
      }, []);
    }
  }
  const periodEnd: number[] = [];
  const between: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    clockMs = (start + MINUTES * 60 + run * 60) * 1000;
    let t0 = performance.now();
    book.evaluateAll();
    periodEnd.push(performance.now() - t0);
    clockMs += SAMPLE_SECONDS * 1000;
    t0 = performance.now();
    book.evaluateAll();
    between.push(performance.now() - t0);
  }
  const a = summarize(periodEnd);
  const b = summarize(between);
  return [
    "## CloudWatch alarm evaluation",
    "",
    `Machine: ${machineDescription()}.`,
    "",
    `${NODES * METRICS.length} alarms (${METRICS.length} per node, ${NODES} nodes; Average over 5 × 60 s) on 1-s data sampled every ${SAMPLE_SECONDS} s; ${RUNS} runs. ` +
      "A tick where a period ended judges every alarm (the book is in memory here: no file write); a tick between period ends judges none.",
    "",
    "| tick | median | p95 |",
    "|---|---|---|",
    `| a period ended (all ${NODES * METRICS.length} judged) | ${a.median} ms | ${a.p95} ms |`,
    `| between period ends | ${b.median} ms | ${b.p95} ms |`,
  ].join("\n");
}
