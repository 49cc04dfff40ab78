import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  DescribeAlarmsForMetricCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
  type DescribeAlarmsCommandInput,
  type PutMetricAlarmCommandInput,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALARMS_FILE, AlarmBook } from "@/emulator/cloudwatch/alarms/alarm-book";
import { botocoreDir, cloudwatchModelFor } from "./helpers/botocore-model";
import { startCloudWatchServer, type CloudWatchTestServer } from "./helpers/cloudwatch-server";

// Metric alarms through the SDK against the real server, on a clock the test moves: evaluateAll() is what the
// emulator's evaluator runs on every collection tick.

const run = promisify(execFile);
const START_MS = Date.UTC(2026, 11, 3, 22, 0, 0);
let clock = START_MS;
let server: CloudWatchTestServer;
let cw: CloudWatchClient;
let dataDir: string;

const TOPIC = "arn:aws:sns:us-east-1:000000000000:cachedeck-alarms";
const cpuAlarm = (name: string, extra: Partial<PutMetricAlarmCommandInput> = {}): PutMetricAlarmCommandInput => ({
  AlarmName: name,
  Namespace: "Test/Alarms",
  MetricName: "CPUUtilization",
  Dimensions: [{ Name: "CacheClusterId", Value: "web-001" }],
  Statistic: "Average",
  Period: 60,
  EvaluationPeriods: 2,
  DatapointsToAlarm: 2,
  Threshold: 80,
  ComparisonOperator: "GreaterThanThreshold",
  AlarmActions: [TOPIC],
  ...extra,
});

/** One CPUUtilization value per minute from the clock's current minute, then the clock past those minutes. */
async function cpuMinutes(...values: number[]) {
  for (const value of values) {
    await cw.send(new PutMetricDataCommand({
      Namespace: "Test/Alarms",
      MetricData: [{ MetricName: "CPUUtilization", Dimensions: [{ Name: "CacheClusterId", Value: "web-001" }], Value: value, Timestamp: new Date(clock) }],
    }));
    clock += 60_000;
  }
}
const describeOne = async (name: string) => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }))).MetricAlarms![0];
const awsError = (promise: Promise<unknown>) => promise.then(() => undefined, (e: { name: string; message: string }) => ({ name: e.name, message: e.message }));

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "cachedeck-alarms-"));
  server = await startCloudWatchServer({ now: () => clock }, dataDir);
  cw = new CloudWatchClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("CloudWatch metric alarms", () => {
  it("refuse bad input with AWS-shaped errors naming the problem", async () => {
    const cases: Array<[Partial<PutMetricAlarmCommandInput>, string, RegExp]> = [
      [{ EvaluationPeriods: undefined }, "MissingRequiredParameterException", /EvaluationPeriods is required/],
      [{ Period: 45 }, "InvalidParameterValueException", /Period must be 10, 30 or a multiple of 60/],
      [{ Period: 60, EvaluationPeriods: 1441, DatapointsToAlarm: 1 }, "InvalidParameterValueException", /86400 seconds/],
      [{ DatapointsToAlarm: 3 }, "InvalidParameterValueException", /DatapointsToAlarm must be between 1 and EvaluationPeriods/],
      [{ ExtendedStatistic: "p99" }, "InvalidParameterCombinationException", /Exactly one of the parameters Statistic and ExtendedStatistic/],
      [{ ComparisonOperator: "LessThanLowerOrGreaterThanUpperThreshold" }, "InvalidParameterValueException", /Anomaly detection alarms/],
      [{ ComparisonOperator: "Bigger" as PutMetricAlarmCommandInput["ComparisonOperator"] }, "InvalidParameterValueException", /ComparisonOperator is not valid/],
      [{ TreatMissingData: "sometimes" }, "InvalidParameterValueException", /TreatMissingData is not valid/],
      [{ AlarmActions: ["mailto:ops@example.com"] }, "InvalidParameterValueException", /AlarmActions.member.1 is not a valid action ARN/],
      [
        { MetricName: undefined, Namespace: undefined, Statistic: undefined, Period: undefined, Dimensions: undefined, Metrics: [{ Id: "m1", Expression: "SUM(METRICS())" }] },
        "InvalidParameterValueException",
        /Metric math alarms/,
      ],
    ];
    for (const [change, name, message] of cases) {
      const error = await awsError(cw.send(new PutMetricAlarmCommand({ ...cpuAlarm("bad"), ...change })));
      expect(error?.name, JSON.stringify(change)).toBe(name);
      expect(error?.message).toMatch(message);
    }
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toEqual([]);
  });

  it("start in INSUFFICIENT_DATA, go to ALARM when M of N periods breach, back to OK, with history and the actions not sent", async () => {
    await cw.send(new PutMetricAlarmCommand({ ...cpuAlarm("web-cpu"), Tags: [{ Key: "team", Value: "cache" }] }));
    const created = await describeOne("web-cpu");
    expect(created).toMatchObject({
      AlarmArn: "arn:aws:cloudwatch:us-east-1:000000000000:alarm:web-cpu",
      StateValue: "INSUFFICIENT_DATA",
      StateReason: "Unchecked: Initial alarm creation",
      ActionsEnabled: true,
      AlarmActions: [TOPIC],
    });

    await cpuMinutes(95, 50);
    server.alarms.evaluateAll();
    expect((await describeOne("web-cpu")).StateValue).toBe("OK");

    await cpuMinutes(90, 97);
    expect(server.alarms.evaluateAll()).toBe(1);
    const alarmed = await describeOne("web-cpu");
    expect(alarmed.StateValue).toBe("ALARM");
    expect(alarmed.StateReason).toBe(
      "Threshold Crossed: 2 out of the last 2 datapoints [97.0 (03/12/26 22:03:00), 90.0 (03/12/26 22:02:00)] were greater than the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition).",
    );
    expect(JSON.parse(alarmed.StateReasonData!)).toMatchObject({ version: "1.0", statistic: "Average", period: 60, threshold: 80, recentDatapoints: [97, 90] });
    expect(alarmed.StateTransitionedTimestamp!.getTime()).toBe(clock);
    expect(server.alarms.evaluateAll()).toBe(0);

    const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "web-cpu" }))).AlarmHistoryItems!;
    expect(history.map((h) => `${h.HistoryItemType}: ${h.HistorySummary}`)).toEqual([
      `Action: Failed to execute action ${TOPIC}: the CacheDeck emulator does not deliver alarm actions`,
      "StateUpdate: Alarm updated from OK to ALARM",
      "StateUpdate: Alarm updated from INSUFFICIENT_DATA to OK",
      'ConfigurationUpdate: Alarm "web-cpu" created',
    ]);
    const ascending = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "web-cpu", HistoryItemType: "StateUpdate", ScanBy: "TimestampAscending", MaxRecords: 1 }));
    expect(JSON.parse(ascending.AlarmHistoryItems![0].HistoryData!)).toMatchObject({ oldState: { stateValue: "INSUFFICIENT_DATA" }, newState: { stateValue: "OK" } });
    const next = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "web-cpu", HistoryItemType: "StateUpdate", ScanBy: "TimestampAscending", MaxRecords: 1, NextToken: ascending.NextToken }));
    expect(next.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual(["Alarm updated from OK to ALARM"]);
    const late = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "web-cpu", StartDate: new Date(clock) }));
    expect(late.AlarmHistoryItems!.map((h) => h.HistoryItemType)).toEqual(["Action", "StateUpdate"]);

    await cpuMinutes(20, 20);
    server.alarms.evaluateAll();
    expect((await describeOne("web-cpu")).StateValue).toBe("OK");
  });

  it("hold a state set by SetAlarmState until the next evaluation", async () => {
    await cw.send(new SetAlarmStateCommand({ AlarmName: "web-cpu", StateValue: "ALARM", StateReason: "testing the pager" }));
    expect(await describeOne("web-cpu")).toMatchObject({ StateValue: "ALARM", StateReason: "testing the pager" });
    server.alarms.evaluateAll();
    expect((await describeOne("web-cpu")).StateValue).toBe("OK");
    expect(await awsError(cw.send(new SetAlarmStateCommand({ AlarmName: "ghost", StateValue: "OK", StateReason: "x" })))).toMatchObject({ name: "ResourceNotFound" });
    expect(await awsError(cw.send(new SetAlarmStateCommand({ AlarmName: "web-cpu", StateValue: "OK", StateReason: "x", StateReasonData: "{nope" })))).toMatchObject({
      name: "InvalidFormatFault",
    });
  });

  it("are listed by name, prefix, state and action, a page at a time, and for their metric", async () => {
    for (const name of ["db-1", "db-2", "db-3"]) await cw.send(new PutMetricAlarmCommand(cpuAlarm(name, { AlarmActions: [], OKActions: [`${TOPIC}-ok`] })));
    const names = async (input: DescribeAlarmsCommandInput) =>
      ((await cw.send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map((a) => a.AlarmName);
    expect(await names({ AlarmNamePrefix: "db-" })).toEqual(["db-1", "db-2", "db-3"]);
    expect(await names({ StateValue: "INSUFFICIENT_DATA" })).toEqual(["db-1", "db-2", "db-3"]);
    expect(await names({ StateValue: "OK" })).toEqual(["web-cpu"]);
    expect(await names({ ActionPrefix: `${TOPIC}-ok` })).toEqual(["db-1", "db-2", "db-3"]);
    expect(await names({ AlarmTypes: ["CompositeAlarm"] })).toEqual([]);
    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    expect(first.MetricAlarms!.map((a) => a.AlarmName)).toEqual(["db-1", "db-2", "db-3"]);
    expect(await names({ MaxRecords: 3, NextToken: first.NextToken })).toEqual(["web-cpu"]);
    expect(await awsError(cw.send(new DescribeAlarmsCommand({ StateValue: "OK", NextToken: first.NextToken })))).toMatchObject({ name: "InvalidNextToken" });
    expect(await awsError(cw.send(new DescribeAlarmsCommand({ AlarmNames: ["db-1"], AlarmNamePrefix: "db" })))).toMatchObject({ name: "InvalidParameterCombinationException" });

    const forMetric = await cw.send(new DescribeAlarmsForMetricCommand({
      Namespace: "Test/Alarms", MetricName: "CPUUtilization", Dimensions: [{ Name: "CacheClusterId", Value: "web-001" }], Statistic: "Average",
    }));
    expect(forMetric.MetricAlarms!.map((a) => a.AlarmName)).toEqual(["db-1", "db-2", "db-3", "web-cpu"]);
    const otherNode = await cw.send(new DescribeAlarmsForMetricCommand({ Namespace: "Test/Alarms", MetricName: "CPUUtilization", Dimensions: [{ Name: "CacheClusterId", Value: "web-002" }] }));
    expect(otherNode.MetricAlarms).toEqual([]);
  });

  it("are deleted all or nothing, keep their history, and survive a restart", async () => {
    expect(await awsError(cw.send(new DeleteAlarmsCommand({ AlarmNames: ["db-1", "ghost"] })))).toMatchObject({ name: "ResourceNotFound", message: expect.stringMatching(/ghost/) });
    expect((await describeOne("db-1")).AlarmName).toBe("db-1");
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ["db-1", "db-2"] }));
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "db-1", HistoryItemType: "ConfigurationUpdate" }));
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual(['Alarm "db-1" deleted', 'Alarm "db-1" created']);

    const reopened = new AlarmBook({ store: server.store, accountId: "000000000000", dataDir });
    expect(reopened.list("us-east-1").map((a) => [a.AlarmName, a.StateValue])).toEqual([["db-3", "INSUFFICIENT_DATA"], ["web-cpu", "OK"]]);
    expect(reopened.history("us-east-1")).toEqual(server.alarms.history("us-east-1"));
    expect(reopened.list("eu-west-1")).toEqual([]);

    // A damaged file stops the start with a message naming the problem, rather than failing at the first evaluation.
    const damaged = mkdtempSync(path.join(tmpdir(), "cachedeck-alarms-damaged-"));
    try {
      const saved = JSON.parse(readFileSync(path.join(dataDir, ALARMS_FILE), "utf8")) as { regions: Record<string, { alarms: Record<string, { StateValue: string }> }> };
      saved.regions["us-east-1"].alarms["web-cpu"].StateValue = "RED";
      writeFileSync(path.join(damaged, ALARMS_FILE), JSON.stringify(saved));
      expect(() => new AlarmBook({ store: server.store, accountId: "000000000000", dataDir: damaged })).toThrow(
        /is not an alarms file of version 1: regions\.us-east-1\.alarms\.web-cpu\.StateValue: .*move it away/,
      );
      writeFileSync(path.join(damaged, ALARMS_FILE), "{");
      expect(() => new AlarmBook({ store: server.store, accountId: "000000000000", dataDir: damaged })).toThrow(/is not valid JSON/);
    } finally {
      rmSync(damaged, { recursive: true, force: true });
    }
  });

  it("are the same alarms for the AWS CLI and boto3", async () => {
    const env = { ...process.env, AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" };
    const cli = await run("aws", ["cloudwatch", "describe-alarms", "--endpoint-url", server.endpoint, "--output", "json"], { env, timeout: 30_000 }).catch(() => undefined);
    if (cli) {
      const parsed = JSON.parse(cli.stdout) as { MetricAlarms: { AlarmName: string; StateValue: string }[] };
      expect(parsed.MetricAlarms.map((a) => [a.AlarmName, a.StateValue])).toEqual([["db-3", "INSUFFICIENT_DATA"], ["web-cpu", "OK"]]);
    } else console.warn("SKIPPED: the AWS CLI part needs the `aws` command");
    // boto3 in each of CloudWatch's protocols: it creates an alarm, then lists the alarms and that alarm's history.
    const script = [
      "import boto3, json, sys",
      "cw = boto3.client('cloudwatch', endpoint_url=sys.argv[1])",
      "cw.put_metric_alarm(AlarmName=sys.argv[2], Namespace='Test/Alarms', MetricName='CPUUtilization', Statistic='Maximum', Period=60, EvaluationPeriods=1, Threshold=1, ComparisonOperator='LessThanThreshold', TreatMissingData='breaching', Dimensions=[{'Name': 'CacheClusterId', 'Value': 'py'}])",
      "alarms = cw.describe_alarms()['MetricAlarms']",
      "mine = [a for a in alarms if a['AlarmName'] == sys.argv[2]][0]",
      "history = cw.describe_alarm_history(AlarmName=sys.argv[2])['AlarmHistoryItems']",
      "print(json.dumps({'names': [a['AlarmName'] for a in alarms], 'state': mine['StateValue'], 'dims': mine['Dimensions'], 'enabled': mine['ActionsEnabled'],",
      "  'threshold': mine['Threshold'], 'updated': mine['StateUpdatedTimestamp'].timestamp(), 'history': [h['HistorySummary'] for h in history]}))",
    ].join("\n");
    const botocore = botocoreDir();
    if (!botocore) console.warn("SKIPPED: the boto3 part needs python3 with boto3");
    for (const protocol of botocore ? ["json", "smithy-rpc-v2-cbor", "query"] : []) {
      const name = `from-boto3-${protocol}`;
      const before = server.calls.length;
      const py = await run("python3", ["-c", script, server.endpoint, name], { env: { ...env, AWS_DATA_PATH: cloudwatchModelFor(botocore!, dataDir, protocol) }, timeout: 30_000 });
      expect(new Set(server.calls.slice(before).map((c) => c.protocol))).toEqual(new Set([{ json: "json", "smithy-rpc-v2-cbor": "cbor", query: "query" }[protocol]]));
      const out = JSON.parse(py.stdout) as { names: string[]; state: string; dims: unknown; enabled: boolean; threshold: number; updated: number; history: string[] };
      expect(out).toEqual({
        names: expect.arrayContaining(["db-3", name, "web-cpu"]) as unknown as string[],
        state: "INSUFFICIENT_DATA",
        dims: [{ Name: "CacheClusterId", Value: "py" }],
        enabled: true,
        threshold: 1,
        updated: clock / 1000,
        history: [`Alarm "${name}" created`],
      });
    }
    if (botocore) {
      // Its metric has no data and TreatMissingData is breaching.
      server.alarms.evaluateAll();
      expect((await describeOne("from-boto3-query")).StateValue).toBe("ALARM");
    }
  });
});
