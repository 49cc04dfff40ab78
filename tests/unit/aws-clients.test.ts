import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AwsAccessDeniedError,
  AwsCredentialsError,
  AwsEndpointUnreachableError,
  AwsNotFoundError,
  AwsThrottledError,
  asSharedReader,
  countAwsCalls,
  describeReplicationGroups,
} from "@/lib/aws";
import { at } from "../helpers/place";

// The real SDK client talks to a small local HTTP server that answers in ElastiCache's awsQuery dialect. It lets us
// produce the refusals (403, throttling) that the emulator never sends, and proves the SDK honours AWS_ENDPOINT_URL.
type Reply = { status: number; body: string };
let respond: (form: URLSearchParams) => Reply;
const received: URLSearchParams[] = [];
const userAgents: string[] = [];
let server: http.Server;
let endpoint: string;

const ns = 'xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/"';
function groupsPage(ids: string[], marker?: string): Reply {
  const groups = ids.map((id) => `<ReplicationGroup><ReplicationGroupId>${id}</ReplicationGroupId><Status>available</Status></ReplicationGroup>`);
  return {
    status: 200,
    body: `<DescribeReplicationGroupsResponse ${ns}><DescribeReplicationGroupsResult>${marker ? `<Marker>${marker}</Marker>` : ""}<ReplicationGroups>${groups.join("")}</ReplicationGroups></DescribeReplicationGroupsResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeReplicationGroupsResponse>`,
  };
}
function fault(status: number, code: string, message: string): Reply {
  return { status, body: `<ErrorResponse ${ns}><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>` };
}

// Each test uses its own region so it gets a fresh cached client (clients resolve endpoint and credentials once).
let regionCounter = 0;
const nextRegion = () => `us-test-${(regionCounter += 1)}`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      const form = new URLSearchParams(body);
      received.push(form);
      userAgents.push(req.headers["user-agent"] ?? "");
      const reply = respond(form);
      res.writeHead(reply.status, { "content-type": "text/xml" }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
  });
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received.length = 0;
});

describe("lib/aws against an endpoint from AWS_ENDPOINT_URL", () => {
  it("follows Marker paging to the end and counts one call per page", async () => {
    respond = (form) => (form.get("Marker") === "p2" ? groupsPage(["c"]) : groupsPage(["a", "b"], "p2"));
    const region = nextRegion();
    const { result, calls } = await countAwsCalls(() => describeReplicationGroups(at(region)));
    expect(result.map((g) => g.id)).toEqual(["a", "b", "c"]);
    expect(received.map((f) => f.get("Action"))).toEqual(["DescribeReplicationGroups", "DescribeReplicationGroups"]);
    expect(received[0].get("MaxRecords")).toBe("100");
    expect(calls).toEqual([
      { service: "elasticache", region, operation: "DescribeReplicationGroups" },
      { service: "elasticache", region, operation: "DescribeReplicationGroups" },
    ]);
  });

  it("turns a 403 into an access-denied error naming the IAM action", async () => {
    respond = () => fault(403, "AccessDenied", "User is not authorized");
    const error = await describeReplicationGroups(at(nextRegion())).catch((e) => e);
    expect(error).toBeInstanceOf(AwsAccessDeniedError);
    expect(error.message).toMatch(/elasticache:DescribeReplicationGroups in us-test-\d+/);
    expect(error.adminDetail).toMatch(/docs\/iam-policy\.md.*AWS said: AccessDenied: User is not authorized/);
  });

  it("turns throttling (after the SDK's own retries) into a throttled error", async () => {
    respond = () => fault(400, "Throttling", "Rate exceeded");
    const error = await describeReplicationGroups(at(nextRegion())).catch((e) => e);
    expect(error).toBeInstanceOf(AwsThrottledError);
    expect(received.length).toBe(3);
  });

  it("keeps not-found distinct so pages can answer 404", async () => {
    respond = () => fault(404, "ReplicationGroupNotFoundFault", "ReplicationGroup nope not found.");
    const error = await describeReplicationGroups(at(nextRegion()), "nope").catch((e) => e);
    expect(error).toBeInstanceOf(AwsNotFoundError);
    expect(received[0].get("ReplicationGroupId")).toBe("nope");
  });

  it("says so when the endpoint answers, but not as ElastiCache would (a proxy or login page)", async () => {
    respond = () => ({ status: 502, body: "<html><body>Bad gateway</body></html>" });
    const error = await describeReplicationGroups(at(nextRegion())).catch((e) => e);
    expect(error.message).toMatch(/ElastiCache in us-test-\d+ answered DescribeReplicationGroups with something ElastiCache would not send \(HTTP 502\)/);
    expect(error.message).not.toContain(endpoint);
    expect(error.adminDetail).toContain(`the endpoint ${endpoint} (from AWS_ENDPOINT_URL). Check that the URL points at ElastiCache`);
  });

  it("says where and after how long nothing listened, naming the configured endpoint to admins only", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadEndpoint = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    process.env.AWS_ENDPOINT_URL_ELASTICACHE = deadEndpoint;
    try {
      const error = await describeReplicationGroups(at(nextRegion())).catch((e) => e);
      expect(error).toBeInstanceOf(AwsEndpointUnreachableError);
      expect(error.message).toMatch(/^ElastiCache in us-test-\d+ could not be reached for DescribeReplicationGroups: connection refused after \d+\.\d s\.$/);
      expect(error.adminDetail).toContain(`${deadEndpoint} (from AWS_ENDPOINT_URL_ELASTICACHE)`);
      expect(error.adminDetail).toContain("ECONNREFUSED");
      expect(error.toProblem("replication groups")).toMatchObject({ kind: "unreachable", what: "replication groups", operation: "DescribeReplicationGroups" });
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ELASTICACHE;
    }
  });

  it("explains missing credentials without calling the endpoint", async () => {
    const saved = { ...process.env };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    Object.assign(process.env, {
      AWS_PROFILE: "cachedeck-no-such-profile",
      AWS_CONFIG_FILE: "/nonexistent/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/credentials",
    });
    try {
      const error = await describeReplicationGroups(at(nextRegion())).catch((e) => e);
      expect(error).toBeInstanceOf(AwsCredentialsError);
      expect(error.message).not.toMatch(/AWS_PROFILE/);
      expect(error.adminDetail).toMatch(/AWS_PROFILE/);
      expect(received).toHaveLength(0);
    } finally {
      process.env = saved;
    }
  });
});

describe("shared readers", () => {
  it("name themselves in the User-Agent of every call they make, however deep; a request's own calls do not", async () => {
    respond = () => groupsPage(["orders"]);
    const place = at(nextRegion());
    userAgents.length = 0;
    await describeReplicationGroups(place);
    await asSharedReader("watcher", async () => {
      await Promise.resolve();
      await describeReplicationGroups(place);
    });
    await asSharedReader("detail", () => describeReplicationGroups(place));
    await describeReplicationGroups(place);
    expect(userAgents.map((ua) => /cachedeck-shared-reader\/(\w+)/.exec(ua)?.[1] ?? null)).toEqual([null, "watcher", "detail", null]);
  });
});
