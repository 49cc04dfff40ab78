import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAwsCalls } from "@/lib/aws";
import { describeElastiCacheAlarms, putRecommendedAlarm } from "@/lib/aws/alarms";
import { alarmTopicFor } from "@/lib/accounts";
import { coverageCount, shownState } from "@/lib/posture/recommended-alarms";
import { stopAllWatchers, watcherFor } from "@/lib/watcher";
import { withRedis } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3 } from "../../helpers/aws-cli";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { at } from "../../helpers/place";
import { smallFleetFile } from "../../helpers/small-fleet";

// Recommended alarms against a real emulator: created for a real group, judged by the emulator's CloudWatch from the
// real nodes' metrics; filling the primary past maxmemory makes its Evictions alarm go to ALARM, and the watcher's
// read (what the cluster page and the fleet show) says so, as the AWS CLI and boto3 do.

const GROUP = "alarmed";
const TOPIC = "arn:aws:sns:us-west-2:000000000000:cache-alarms";
let dir: string;
let emulator: TestEmulator;
let primaryPort: number;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-alarms-"));
  emulator = await startTestEmulator({ fleetFile: smallFleetFile(dir, GROUP), metricsIntervalMs: 1_000 });
  pointAwsSdkAt(emulator.url);
  const group = await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
  primaryPort = group.NodeGroups![0].NodeGroupMembers!.find((m) => m.CurrentRole === "primary")!.ReadEndpoint!.Port!;
}, 120_000);

afterAll(async () => {
  await stopAllWatchers();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("recommended alarms", () => {
  it("are missing at first, created for every node, and the watcher reads them in one paged call per read", async () => {
    const watcher = watcherFor(at("us-east-1"));
    expect(await watcher.ready(30_000)).toBe(true);
    const group = watcher.find(GROUP)!;
    expect(coverageCount(watcher.alarmCoverageOf(group)!)).toEqual({ present: 0, recommended: 12 });

    // The configured topic is in another region: the alarms notify the topic of that name in their own region.
    const topic = alarmTopicFor(at("us-east-1"), { snsTopicArn: TOPIC });
    expect(topic).toBe("arn:aws:sns:us-east-1:000000000000:cache-alarms");
    for (const { recommended } of watcher.alarmCoverageOf(group)!) await putRecommendedAlarm(at("us-east-1"), recommended, [topic!]);

    const { calls } = await countAwsCalls(async () => {
      watcher.expectAlarms();
      await waitFor(async () => coverageCount(watcher.alarmCoverageOf(group)!).present === 12, { timeoutMs: 15_000, intervalMs: 100, description: "the watcher to see the 12 alarms" });
    });
    expect(calls.filter((c) => c.operation === "DescribeAlarms")).toHaveLength(1);
    const alarms = await describeElastiCacheAlarms(at("us-east-1"));
    expect(alarms.map((a) => a.name).sort()).toEqual(watcher.alarmCoverageOf(group)!.map((c) => c.recommended.name).sort());
    expect(alarms.every((a) => a.actions.length === 1 && a.actions[0] === topic)).toBe(true);
  });

  it("the primary's Evictions alarm goes to ALARM once writes go past maxmemory, in the app's read and its history", async () => {
    const watcher = watcherFor(at("us-east-1"));
    const group = watcher.find(GROUP)!;
    const primary = group.nodes.find((n) => n.role === "primary")!;
    const evictionsAlarm = `cachedeck-${primary.cacheClusterId}-${primary.nodeId}-Evictions`;
    const evictions = () => watcher.alarmCoverageOf(group)!.find((c) => c.recommended.name === evictionsAlarm)!;
    const started = Date.now();
    await withRedis(primaryPort, async (redis) => {
      const maxmemory = Number(((await redis.config("GET", "maxmemory")) as string[])[1]);
      const fill = redis.pipeline();
      for (let i = 0; i < (2 * maxmemory) / 4096; i++) fill.set(`fill:${i}`, "y".repeat(4096), "EX", 3600);
      await fill.exec();
    });
    // Judged at the end of the minute holding the evictions, then read by the watcher within its minute.
    await waitFor(async () => shownState(evictions()) === "ALARM", { timeoutMs: 150_000, intervalMs: 1_000, description: "the app to read the Evictions alarm in ALARM" });
    expect(watcher.alarmHistory(new Set([evictionsAlarm]))).toContainEqual(expect.objectContaining({ alarm: evictionsAlarm, to: "ALARM" }));
    expect(watcher.alarmHistory(new Set([evictionsAlarm])).every((t) => t.t >= started - 3 * 3600_000)).toBe(true);
    // The replica's evictions alarm is not fooled: it evicts nothing of its own (replicas do not evict).
    const replica = group.nodes.find((n) => n.role === "replica")!;
    expect(shownState(watcher.alarmCoverageOf(group)!.find((c) => c.recommended.name === `cachedeck-${replica.cacheClusterId}-${replica.nodeId}-Evictions`)!)).not.toBe("ALARM");
  }, 180_000);

  it.skipIf(!HAS_AWS_CLI)("are the alarms and states the AWS CLI lists", async () => {
    const watcher = watcherFor(at("us-east-1"));
    // Alarms are judged at each minute's end: compare a fresh read of the app with the CLI's, again if a judgement
    // fell between the two.
    const compared = await waitFor(
      async () => {
        const asked = Date.now();
        watcher.expectAlarms();
        await waitFor(async () => (watcher.status(0).last.alarms ?? 0) >= asked, { timeoutMs: 10_000, intervalMs: 50, description: "a fresh alarms read" });
        const out = await awsCli(emulator.url, ["cloudwatch", "describe-alarms", "--alarm-name-prefix", "cachedeck-"]);
        expect(out.code, out.stderr).toBe(0);
        const listed = (JSON.parse(out.stdout) as { MetricAlarms: { AlarmName: string; StateValue: string }[] }).MetricAlarms;
        const shown = watcher.alarmCoverageOf(watcher.find(GROUP)!)!;
        const app = Object.fromEntries(shown.map((c) => [c.recommended.name, c.existing[0]?.state]));
        const cli = Object.fromEntries(listed.map((a) => [a.AlarmName, a.StateValue]));
        return JSON.stringify(app) === JSON.stringify(Object.fromEntries(Object.keys(app).map((name) => [name, cli[name]]))) && listed.length === shown.length ? cli : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, description: "the app and the CLI to list the same alarms in the same states" },
    );
    expect(Object.values(compared)).toContain("ALARM");
  });

  it.skipIf(!HAS_BOTO3)("are found by boto3's DescribeAlarmsForMetric on each node's metric and dimensions", async () => {
    const watcher = watcherFor(at("us-east-1"));
    const shown = watcher.alarmCoverageOf(watcher.find(GROUP)!)!;
    const queries = shown.map((c) => ({ metric: c.recommended.rule.metric, dimensions: c.recommended.dimensions.map((d) => ({ Name: d.name, Value: d.value })) }));
    const script = `queries = json.loads(${JSON.stringify(JSON.stringify(queries))})
names = []
for q in queries:
    out = client.describe_alarms_for_metric(Namespace="AWS/ElastiCache", MetricName=q["metric"], Dimensions=q["dimensions"])
    names += [a["AlarmName"] for a in out["MetricAlarms"]]
print(json.dumps(sorted(names)))
`;
    const out = await boto3Script(emulator.url, "cloudwatch", script);
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(shown.map((c) => c.recommended.name).sort());
  });
});
