import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CloudWatchClient, PutMetricDataCommand, type MetricDatum } from "@aws-sdk/client-cloudwatch";
import { DescribeReplicationGroupsCommand, ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { waitFor } from "@/emulator/nodes/wait-for";
import { machineDescription, time } from "./machine";

// Fairness under heavy metrics: the emulator in its own process (no fleet, no demo traffic) holding 49,000 custom
// series, then DescribeReplicationGroups sent back to back while a heavy GetMetricData (60 SEARCH expressions over the
// whole namespace) runs. A describe is answered only when the emulator's event loop is free, so its latency shows how
// long the heavy request holds the process. The heavy answer is read as bytes, not parsed, so the client's own work
// does not delay the describes.

const BATCHES = 49;
const PER_BATCH = 1_000;
const SEARCHES = 60;
const HEAVY_RUNS = 3;
const credentials = { accessKeyId: "x", secretAccessKey: "x" };
const root = path.join(__dirname, "..", "..");

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

function rssOf(pid: number): number {
  const kib = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  return Number(kib) * 1024;
}

async function startEmulatorProcess(dataDir: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "emulator/main.ts", "--port", "0", "--data-dir", dataDir, "--quiet"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  let stdout = "";
  child.stdout.on("data", (chunk) => (stdout += chunk));
  const url = (await waitFor(() => /^listening on (http:\/\/\S+)\n/m.exec(stdout)?.[1], { timeoutMs: 120_000, description: "the emulator to listen" }))!;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return { url, pid: child.pid!, stop: () => (child.kill("SIGTERM"), exited) };
}

export default async function run(): Promise<string> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-fairness-"));
  const emulator = await startEmulatorProcess(dataDir);
  const cw = new CloudWatchClient({ endpoint: emulator.url, region: "us-east-1", credentials });
  const ec = new ElastiCacheClient({ endpoint: emulator.url, region: "us-east-1", credentials });
  try {
    const now = new Date();
    const rssBefore = rssOf(emulator.pid);
    const fill = await time(async () => {
      for (let b = 0; b < BATCHES; b++) {
        const MetricData: MetricDatum[] = Array.from({ length: PER_BATCH }, (_, i) => ({
          MetricName: `Requests${i % 20}`,
          Dimensions: [
            { Name: "Service", Value: `svc-${b}` },
            { Name: "Shard", Value: `shard-${i}` },
          ],
          Timestamp: now,
          Value: i,
        }));
        await cw.send(new PutMetricDataCommand({ Namespace: "Bench/Fairness", MetricData }));
      }
    });
    const rssGrowth = rssOf(emulator.pid) - rssBefore;

    const describe = async () => (await time(() => ec.send(new DescribeReplicationGroupsCommand({})))).ms;
    const idle: number[] = [];
    for (let i = 0; i < 50; i++) idle.push(await describe());

    const heavyBody = JSON.stringify({
      StartTime: (now.getTime() - 3 * 3600_000) / 1000,
      EndTime: (now.getTime() + 60_000) / 1000,
      MetricDataQueries: Array.from({ length: SEARCHES }, (_, i) => ({
        Id: `s${i}`,
        Expression: `SEARCH('{Bench/Fairness,Service,Shard} MetricName="Requests${i % 20}"', 'Average', 60)`,
      })),
    });
    const heavyRequest = async () => {
      const response = await fetch(emulator.url, {
        method: "POST",
        headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.GetMetricData" },
        body: heavyBody,
      });
      const bytes = (await response.arrayBuffer()).byteLength;
      if (response.status !== 200) throw new Error(`GetMetricData answered ${response.status}`);
      return bytes;
    };
    const heavy: number[] = [];
    const during: number[] = [];
    let answerBytes = 0;
    for (let r = 0; r < HEAVY_RUNS; r++) {
      let running = true;
      const heavyCall = time(heavyRequest).then((result) => {
        running = false;
        answerBytes = result.value;
        return result.ms;
      });
      while (running) during.push(await describe());
      heavy.push(await heavyCall);
    }

    const ms = (values: number[], q: number) => percentile([...values].sort((a, b) => a - b), q).toFixed(1);
    return [
      "## Metrics fairness (emulator front door + CloudWatch)",
      "",
      `Machine: ${machineDescription()}.`,
      "",
      `${BATCHES} PutMetricData calls of ${PER_BATCH.toLocaleString("en-US")} new series each (${(BATCHES * PER_BATCH).toLocaleString("en-US")} series) took ${(fill.ms / 1000).toFixed(1)} s; ` +
        `the emulator process's RSS grew ${(rssGrowth / 1024 ** 2).toFixed(0)} MiB.`,
      "",
      `DescribeReplicationGroups (JS SDK) back to back, alone and while a GetMetricData of ${SEARCHES} SEARCH expressions (each capped at 500 of the ` +
        `${(BATCHES * PER_BATCH).toLocaleString("en-US")} series) runs ${HEAVY_RUNS} times:`,
      "",
      "| measure | p50 ms | p99 ms | max ms | samples |",
      "|---|---:|---:|---:|---:|",
      `| describe, idle | ${ms(idle, 0.5)} | ${ms(idle, 0.99)} | ${ms(idle, 1)} | ${idle.length} |`,
      `| describe, during the heavy GetMetricData | ${ms(during, 0.5)} | ${ms(during, 0.99)} | ${ms(during, 1)} | ${during.length} |`,
      `| the heavy GetMetricData itself (${(answerBytes / 1024 ** 2).toFixed(1)} MiB answer) | ${ms(heavy, 0.5)} | — | ${ms(heavy, 1)} | ${heavy.length} |`,
    ].join("\n");
  } finally {
    cw.destroy();
    ec.destroy();
    await emulator.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
