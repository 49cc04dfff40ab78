import { spawn } from "node:child_process";
import http from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { ping, replicationStatus } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { REPO_ROOT } from "@/tests/helpers/emulator";
import { faultRequest } from "@/tests/helpers/faults";
import { createGroup, describeGroup, memberPort, rolesOf, waitForEvent, writeAcknowledged } from "@/tests/helpers/replication-group";

// The fault endpoints' contract (docs/emulator-faults.md): JSON in and out, clear errors, and the CLI on top of them.

const env = emulatorForFile({ settings: { timeScale: 0.002 } });

beforeAll(async () => {
  await createGroup(env.client, { ReplicationGroupId: "target", NumCacheClusters: 2, AutomaticFailoverEnabled: true });
});

function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "emulator/faults/cli.ts", ...args, "--endpoint", env.emulator.url], { cwd: REPO_ROOT });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("fault endpoints", () => {
  it("answer bad requests with a JSON error saying what is wrong", async () => {
    const cases: Array<[method: "GET" | "POST" | "DELETE", path: string, body: unknown, status: number, code: string, message: RegExp]> = [
      ["POST", "/kill-node", "{not json", 400, "InvalidJson", /not valid JSON/],
      ["POST", "/kill-node", { cacheClusterId: "nosuch" }, 404, "NotFound", /No cache cluster nosuch in us-east-1/],
      ["POST", "/kill-node", { cacheClusterId: "target-001", extra: 1 }, 400, "ValidationError", /extra|Unrecognized/i],
      ["POST", "/interrupt-az-power", { availabilityZone: "eu-west-1z" }, 400, "InvalidRequest", /not an Availability Zone of eu-west-1/],
      ["POST", "/interrupt-az-power", { availabilityZone: "us-east-1a", durationSeconds: 0 }, 400, "ValidationError", /durationSeconds/],
      ["POST", "/interrupt-az-power", { availabilityZone: "us-east-1a", replicationGroupIds: ["ghost"] }, 404, "NotFound", /No replication group ghost/],
      ["POST", "/slow-replication", { cacheClusterId: "target-001", delayMs: 100 }, 400, "InvalidRequest", /is not a replica/],
      ["GET", "/kill-node", undefined, 405, "MethodNotAllowed", /GET is not allowed here; use POST/],
      ["GET", "/fault-nope", undefined, 404, "NotFound", /No fault fault-nope/],
      ["DELETE", "/fault-nope", undefined, 404, "NotFound", /No fault fault-nope/],
    ];
    for (const [method, path, body, status, code, message] of cases) {
      const response = await faultRequest<{ error: { code: string; message: string } }>(env.emulator.url, method, path, body);
      expect({ path, status: response.status, code: response.body.error.code }).toEqual({ path, status, code });
      expect(response.body.error.message).toMatch(message);
    }
  });

  it("slows a replica's replication until the fault ends, then it catches up", async () => {
    const group = await describeGroup(env.client, "target");
    const primaryPort = rolesOf(group).primaryPort;
    const replicaPort = memberPort(group, "target-002");
    const slowed = await faultRequest<{ fault: { id: string; type: string; state: string; cacheClusterId: string } }>(env.emulator.url, "POST", "/slow-replication", {
      cacheClusterId: "target-002",
      delayMs: 2_000,
    });
    expect(slowed.status).toBe(201);
    expect(slowed.body.fault).toMatchObject({ type: "slow-replication", state: "active", cacheClusterId: "target-002" });
    const again = await faultRequest(env.emulator.url, "POST", "/slow-replication", { cacheClusterId: "target-002", delayMs: 10 });
    expect(again.status).toBe(409);

    await writeAcknowledged(primaryPort, "slow", 10, 0);
    await waitFor(
      async () => ((await replicationStatus(primaryPort)).replicas.find((r) => r.port === replicaPort)?.lagBytes ?? 0) > 0,
      { timeoutMs: 10_000, description: "the replica to fall behind" },
    );
    const ended = await faultRequest<{ fault: { state: string } }>(env.emulator.url, "DELETE", `/${slowed.body.fault.id}`);
    expect(ended.body.fault.state).toBe("ended");
    expect(await replicationStatus(replicaPort)).toMatchObject({ masterPort: primaryPort, masterLinkStatus: "up" });
    await writeAcknowledged(primaryPort, "fast", 10, 1);
    expect((await faultRequest<{ faults: unknown[] }>(env.emulator.url, "GET", "")).body.faults).toEqual([]);
    expect((await faultRequest<{ faults: unknown[] }>(env.emulator.url, "GET", "?state=all")).body.faults).toHaveLength(1);
  });

  it("kill a node from the CLI, and the CLI explains refusals", async () => {
    const since = new Date();
    const killed = await runCli(["kill-node", "--cluster", "target-001"]);
    expect(killed.code).toBe(0);
    expect(JSON.parse(killed.stdout).killed).toMatchObject({ cacheClusterId: "target-001", cacheNodeId: "0001", role: "primary", region: "us-east-1" });
    await waitForEvent(env.client, "replication-group", "target", "Failover from primary node target-001 to replica node target-002 completed", since);

    const missing = await runCli(["kill-node", "--cluster", "nosuch"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/404 No cache cluster nosuch in us-east-1/);
    const bad = await runCli(["interrupt-az-power"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs --zone/);
    const listed = await runCli(["list"]);
    expect(JSON.parse(listed.stdout)).toEqual({ faults: [] });
  });
});

// What a web page on another site can make a browser send, without a preflight: text/plain and form posts, carrying
// that site's Origin, or under its own host name after DNS rebinding. All refused before anything runs.
describe("cross-site requests", () => {
  const FOREIGN = "https://evil.example";

  /** A raw HTTP request, so the Host header is exactly what a rebinding page's browser would send. */
  function rawRequest(path: string, headers: Record<string, string>, body = ""): Promise<{ status: number; body: string; type: string | undefined }> {
    const url = new URL(env.emulator.url);
    return new Promise((resolve, reject) => {
      const req = http.request({ host: url.hostname, port: url.port, method: "POST", path, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } }, (res) => {
        let text = "";
        res.on("data", (chunk) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text, type: res.headers["content-type"] }));
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  async function primaryLives(): Promise<void> {
    const group = await describeGroup(env.client, "target");
    expect(group.Status).toBe("available");
    expect(await ping(rolesOf(group).primaryPort)).toBe(true);
  }

  it("refuses a text/plain kill-node from a foreign Origin in the fault API's JSON shape, and the node lives", async () => {
    const group = await describeGroup(env.client, "target");
    const primary = Object.entries(rolesOf(group).roles).find(([, role]) => role === "primary")![0];
    const refused = await rawRequest("/_emulator/faults/kill-node", { "content-type": "text/plain;charset=UTF-8", origin: FOREIGN }, JSON.stringify({ cacheClusterId: primary }));
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ error: { code: "AccessDenied", message: expect.stringContaining('web origin "https://evil.example" are refused') } });
    await primaryLives();
  });

  it("refuses a form-encoded DeleteReplicationGroup from a foreign Origin with AccessDenied in the awsQuery envelope", async () => {
    const form = "Action=DeleteReplicationGroup&Version=2015-02-02&ReplicationGroupId=target";
    for (const origin of [FOREIGN, "null", "http://localhost.evil.example"]) {
      const refused = await rawRequest("/", { "content-type": "application/x-www-form-urlencoded", origin }, form);
      expect(refused.status, origin).toBe(403);
      expect(refused.body).toMatch(/<ErrorResponse[^>]*>.*<Code>AccessDenied<\/Code>/s);
    }
    await primaryLives();
  });

  it("refuses a Host that is not a loopback name (DNS rebinding), AWS calls and admin routes alike", async () => {
    const port = new URL(env.emulator.url).port;
    const describeCall = "Action=DescribeReplicationGroups&Version=2015-02-02";
    for (const host of [`rebind.example:${port}`, "rebind.example", `127.0.0.1.evil.example:${port}`]) {
      const aws = await rawRequest("/", { "content-type": "application/x-www-form-urlencoded", host }, describeCall);
      expect(aws.status, host).toBe(403);
      expect(aws.body).toContain("is not a loopback name");
      const admin = await rawRequest("/_emulator/faults/kill-node", { "content-type": "application/json", host }, JSON.stringify({ cacheClusterId: "target-001" }));
      expect(admin.status, host).toBe(403);
    }
    await primaryLives();
  });

  // The AWS CLI and boto3 (no Origin either) are proven by aws-cli-and-boto3.test.ts against the same front door.
  it("answers loopback hosts and origins, and clients that send no Origin (the SDK) as before", async () => {
    const port = new URL(env.emulator.url).port;
    const describeCall = "Action=DescribeReplicationGroups&Version=2015-02-02";
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `127.7.7.7:${port}`]) {
      const answer = await rawRequest("/", { "content-type": "application/x-www-form-urlencoded", host, origin: `http://localhost:3000` }, describeCall);
      expect(answer.status, host).toBe(200);
    }
    expect((await describeGroup(env.client, "target")).ReplicationGroupId).toBe("target");
  });
});
