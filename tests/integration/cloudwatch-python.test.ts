import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botocoreDir, cloudwatchModelFor } from "./helpers/botocore-model";
import { startCloudWatchServer, type CloudWatchTestServer } from "./helpers/cloudwatch-server";

const run = promisify(execFile);
const script = path.join(__dirname, "helpers", "cloudwatch_boto3.py");

function hasAwsCli(): boolean {
  try {
    execFileSync("aws", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const botocore = botocoreDir();
const awsCli = hasAwsCli();
if (!botocore) console.warn("SKIPPED: boto3 tests need python3 with boto3 (pip install boto3)");
if (!awsCli) console.warn("SKIPPED: AWS CLI tests need the `aws` command (pip install awscli)");

const credentials = { AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test", AWS_DEFAULT_REGION: "us-east-1", AWS_EC2_METADATA_DISABLED: "true" };
let server: CloudWatchTestServer;
let dataDir: string;

const modelDirFor = (protocol: string) => cloudwatchModelFor(botocore!, dataDir, protocol);

beforeAll(async () => {
  server = await startCloudWatchServer();
  dataDir = mkdtempSync(path.join(tmpdir(), "cachedeck-botocore-"));
});
afterAll(async () => {
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe.skipIf(!botocore)("CloudWatch from boto3", () => {
  it.each([
    ["json", undefined],
    ["smithy-rpc-v2-cbor", "smithy-rpc-v2-cbor"],
    ["query", "query"],
  ])("speaks %s", async (name, forced) => {
    const namespace = `Py/${name}`;
    const env = { ...process.env, ...credentials, ...(forced ? { AWS_DATA_PATH: modelDirFor(forced) } : {}) };
    const before = server.calls.length;
    const { stdout } = await run("python3", [script, server.endpoint, namespace], { env });
    const out = JSON.parse(stdout);
    const protocols = new Set(server.calls.slice(before).map((c) => c.protocol));
    expect([...protocols]).toEqual([{ json: "json", "smithy-rpc-v2-cbor": "cbor", query: "query" }[name]]);
    expect(out.data).toEqual([
      { Id: "r", Label: "Requests", Values: [1, 2, 3, 4, 5], Timestamps: [0, 60, 120, 180, 240], StatusCode: "Complete" },
      { Id: "d", Label: "double", Values: [2, 4, 6, 8, 10], Timestamps: [0, 60, 120, 180, 240], StatusCode: "Complete" },
    ]);
    expect(out.stats).toEqual([{ Sum: 9, SampleCount: 4, p50: 2, Unit: "Milliseconds", offset: 0 }]);
    expect(out.metrics).toEqual(["Latency", "Requests"]);
    expect(out.errors.reservedNamespace).toEqual({ modelled: "InvalidParameterValueException", code: "InvalidParameterValue", status: 400 });
    expect(out.errors.badId).toMatchObject({ modelled: null, code: "ValidationError", status: 400 });
    expect(out.errors.badId.message).toMatch(/MetricDataQueries\.member\.1\.Id is not matching the expected pattern/);
    expect(out.errors.badToken).toEqual({ modelled: "InvalidNextToken", code: "InvalidNextToken", status: 400 });
  });
});

describe.skipIf(!awsCli)("CloudWatch from the AWS CLI", () => {
  const aws = (...args: string[]) =>
    run("aws", ["--endpoint-url", server.endpoint, "--output", "json", "cloudwatch", ...args], { env: { ...process.env, ...credentials } });

  it("puts, lists and reads statistics, and reports errors with their code", async () => {
    const minute = Math.floor(Date.now() / 60_000) * 60;
    const at = new Date((minute - 60) * 1000).toISOString();
    await aws("put-metric-data", "--namespace", "Cli/Test", "--metric-name", "Ops", "--dimensions", "CacheClusterId=cli-001", "--value", "5", "--timestamp", at);
    await aws("put-metric-data", "--namespace", "Cli/Test", "--metric-name", "Ops", "--dimensions", "CacheClusterId=cli-001", "--value", "7", "--timestamp", at);
    const listed = JSON.parse((await aws("list-metrics", "--namespace", "Cli/Test")).stdout);
    expect(listed.Metrics).toEqual([{ Namespace: "Cli/Test", MetricName: "Ops", Dimensions: [{ Name: "CacheClusterId", Value: "cli-001" }] }]);
    const stats = JSON.parse(
      (
        await aws(
          "get-metric-statistics", "--namespace", "Cli/Test", "--metric-name", "Ops", "--dimensions", "Name=CacheClusterId,Value=cli-001",
          "--start-time", new Date((minute - 300) * 1000).toISOString(), "--end-time", new Date(minute * 1000).toISOString(),
          "--period", "60", "--statistics", "Sum", "Average",
        )
      ).stdout,
    );
    // CLI v1 prints timestamps as they came over the wire: epoch seconds in the JSON protocol.
    expect(stats.Datapoints).toEqual([{ Timestamp: minute - 60, Sum: 12, Average: 6, Unit: "None" }]);
    const failure = await aws("put-metric-data", "--namespace", "AWS/EC2", "--metric-name", "x", "--value", "1").then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(failure?.stderr).toMatch(/InvalidParameterValue.*The value AWS\/EC2 for parameter Namespace is invalid/);
  });
});
