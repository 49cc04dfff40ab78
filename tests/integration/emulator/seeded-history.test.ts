import fs from "node:fs";
import path from "node:path";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { boto3Script, HAS_BOTO3 } from "@/tests/helpers/aws-cli";
import { TEST_CREDENTIALS, tempDataDir, waitForReplicationGroup } from "@/tests/helpers/emulator";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";

// A fleet entry's `history` seeds hourly metrics for the last days (docs/cloudwatch.md, "Seeded history"); the
// nodes' own measurements start after the seeded range, and GetMetricData says which points are seeded.

const fleetDir = tempDataDir("seeded-fleet");
const fleetFile = path.join(fleetDir, "fleet.json");
fs.writeFileSync(
  fleetFile,
  JSON.stringify({
    regions: {
      "us-east-1": {
        replicationGroups: [
          {
            ReplicationGroupId: "filling",
            ReplicationGroupDescription: "seeded growing",
            Engine: "redis",
            CacheNodeType: "cache.r7g.large",
            NumCacheClusters: 2,
            AutomaticFailoverEnabled: true,
            history: { days: 14, model: "growing" },
          },
        ],
      },
    },
  }),
);
const ctx = emulatorForFile({ fleetFile, workload: false, metricsIntervalMs: 500 });

const HOUR = 3600;
const GIB = 1024 ** 3;

describe("seeded metric history", () => {
  it("reads back through GetMetricData as hourly points ending where measurement begins, marked as seeded", async () => {
    await waitForReplicationGroup(ctx.client, "filling");
    const cw = new CloudWatchClient({ endpoint: ctx.emulator.url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
    const now = Math.floor(Date.now() / 1000);
    const until = Math.floor(now / HOUR) * HOUR;
    const query = (metric: string, stat: string, period: number) => ({
      Id: "m",
      MetricStat: { Metric: { Namespace: "AWS/ElastiCache", MetricName: metric, Dimensions: [{ Name: "CacheClusterId", Value: "filling-001" }] }, Period: period, Stat: stat },
    });
    const hourly = await waitFor(
      async () => {
        const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query("DatabaseMemoryUsagePercentage", "Average", HOUR)], StartTime: new Date((until - 14 * 86_400) * 1000), EndTime: new Date(until * 1000), ScanBy: "TimestampAscending" }));
        const r = out.MetricDataResults![0];
        return r.Values!.length > 0 && r;
      },
      { timeoutMs: 20_000, description: "the seeded history" },
    );
    // Every hour of 14 days, on the hour, none at or after the last whole hour before the start.
    expect(hourly.Timestamps!.length).toBe(14 * 24);
    expect(hourly.Timestamps!.every((t) => (t.getTime() / 1000) % HOUR === 0)).toBe(true);
    expect(hourly.Timestamps!.at(-1)!.getTime() / 1000).toBe(until - HOUR);
    expect(hourly.Messages).toEqual([{ Code: "Seeded", Value: expect.stringContaining(`Points before ${new Date(until * 1000).toISOString().replace(".000Z", "Z")}`) }]);
    // The "growing" model: 75% at the end, 0.9 points a day less for each day before it, ±1.5 of daily wobble.
    const first = hourly.Values!.slice(0, 24);
    const last = hourly.Values!.slice(-24);
    expect(Math.max(...last)).toBeGreaterThan(73.5);
    expect(Math.max(...last)).toBeLessThan(76.6);
    expect(Math.max(...first)).toBeGreaterThan(75 - 14 * 0.9 - 1.6);
    expect(Math.max(...first)).toBeLessThan(75 - 13 * 0.9 + 1.6);
    // Bytes follow the percentage of the node type's memory (13.07 GiB).
    const bytes = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query("BytesUsedForCache", "Maximum", 86_400)], StartTime: new Date((until - 86_400) * 1000), EndTime: new Date(until * 1000) }));
    expect(bytes.MetricDataResults![0].Values![0] / (13.07 * GIB)).toBeGreaterThan(0.73);

    // Measured points arrive after the seeded range, and a window of measured points only is not marked.
    const measured = await waitFor(
      async () => {
        const out = await cw.send(new GetMetricDataCommand({ MetricDataQueries: [query("BytesUsedForCache", "Average", 60)], StartTime: new Date(until * 1000), EndTime: new Date(Date.now() + 60_000) }));
        const r = out.MetricDataResults![0];
        return r.Values!.length > 0 && r;
      },
      { timeoutMs: 20_000, description: "measured points" },
    );
    expect(measured.Messages ?? []).toEqual([]);
    expect(measured.Values![0]).toBeLessThan(0.5 * 13.07 * GIB);
  });

  it.skipIf(!HAS_BOTO3)("reads the same way from boto3, and ListMetrics lists the seeded metrics", async () => {
    const script = `
import datetime
until = datetime.datetime.fromtimestamp((int(datetime.datetime.now().timestamp()) // 3600) * 3600, datetime.timezone.utc)
out = client.get_metric_data(MetricDataQueries=[{"Id": "cpu", "MetricStat": {"Metric": {"Namespace": "AWS/ElastiCache", "MetricName": "EngineCPUUtilization", "Dimensions": [{"Name": "CacheClusterId", "Value": "filling-002"}, {"Name": "CacheNodeId", "Value": "0001"}]}, "Period": 86400, "Stat": "Maximum"}}], StartTime=until - datetime.timedelta(days=14), EndTime=until)
r = out["MetricDataResults"][0]
names = sorted({m["MetricName"] for m in client.list_metrics(Namespace="AWS/ElastiCache", Dimensions=[{"Name": "CacheClusterId", "Value": "filling-001"}])["Metrics"]})
print(json.dumps({"n": len(r["Values"]), "max": max(r["Values"]), "codes": [m["Code"] for m in r.get("Messages", [])], "names": names}))
`;
    const { stdout, code, stderr } = await boto3Script(ctx.emulator.url, "cloudwatch", script);
    expect(code, stderr).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.n).toBeGreaterThanOrEqual(14);
    // A replica runs at half the primary's engine CPU: the model's 35% peak, ±5% noise and the hour's ±15% spread.
    expect(out.max).toBeGreaterThan(0.5 * 35 * 0.95);
    expect(out.max).toBeLessThan(0.5 * 35 * 1.05 * 1.15 + 0.01);
    expect(out.codes).toEqual(["Seeded"]);
    expect(out.names).toEqual(expect.arrayContaining(["BytesUsedForCache", "CurrConnections", "CurrItems", "DatabaseMemoryUsagePercentage", "EngineCPUUtilization", "MemoryFragmentationRatio"]));
  });
});
