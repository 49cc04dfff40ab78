import { CreateReplicationGroupCommand, DescribeReplicationGroupsCommand, InvalidParameterValueException } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { elasticacheClient, startTestEmulator, type TestEmulator } from "@/tests/helpers/emulator";

// Requests no SDK would send: the emulator must still answer with an AWS error envelope, never crash or send HTML.
let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.dispose());

const FORM = "application/x-www-form-urlencoded; charset=utf-8";
const authFor = (region: string) =>
  `AWS4-HMAC-SHA256 Credential=AKIDEMULATOR/20260101/${region}/elasticache/aws4_request, SignedHeaders=host, Signature=00`;

async function post(body: string, headers: Record<string, string> = { "content-type": FORM }) {
  const response = await fetch(emulator.url, { method: "POST", headers, body });
  return { status: response.status, type: response.headers.get("content-type"), requestId: response.headers.get("x-amzn-requestid"), text: await response.text() };
}

const errorCode = (xml: string) => /<Code>([^<]+)<\/Code>/.exec(xml)?.[1];

describe("malformed and unknown requests", () => {
  it("answers an unknown action with InvalidAction in the ElastiCache error envelope", async () => {
    const reply = await post("Action=LaunchRockets&Version=2015-02-02");
    expect(reply.status).toBe(400);
    expect(reply.type).toBe("text/xml");
    expect(reply.text).toMatch(/^<ErrorResponse xmlns="http:\/\/elasticache\.amazonaws\.com\/doc\/2015-02-02\/"><Error><Type>Sender<\/Type>/);
    expect(errorCode(reply.text)).toBe("InvalidAction");
    expect(reply.text).toContain(`<RequestId>${reply.requestId}</RequestId>`);
  });

  it("answers a request without Action, a GET and an unsupported body with AWS-shaped errors", async () => {
    expect(errorCode((await post("Version=2015-02-02")).text)).toBe("MissingAction");
    const get = await fetch(emulator.url);
    expect(get.status).toBe(400);
    expect(errorCode(await get.text())).toBe("MissingAction");
    const json = await post("{}", { "content-type": "application/json" });
    expect(json.status).toBe(400);
    expect(errorCode(json.text)).toBe("MissingAction");
  });

  it("turns badly typed parameters into InvalidParameterValue and missing ones into MissingParameter", async () => {
    const typed = await post("Action=DescribeReplicationGroups&Version=2015-02-02&MaxRecords=lots");
    expect([typed.status, errorCode(typed.text)]).toEqual([400, "InvalidParameterValue"]);
    expect(typed.text).toContain("<Message>Invalid value for MaxRecords: expected an integer, got &quot;lots&quot;</Message>");
    const flag = await post("Action=DescribeCacheClusters&Version=2015-02-02&ShowCacheNodeInfo=yes");
    expect(flag.text).toContain("<Message>Invalid value for ShowCacheNodeInfo: expected true or false, got &quot;yes&quot;</Message>");
    const when = await post("Action=DescribeEvents&Version=2015-02-02&StartTime=yesterday");
    expect(when.text).toContain("<Message>Invalid value for StartTime: expected a timestamp (ISO 8601 or epoch seconds), got &quot;yesterday&quot;</Message>");
    const notAList = await post("Action=AddTagsToResource&Version=2015-02-02&ResourceName=arn:aws:elasticache:us-east-1:000000000000:cluster:x&Tags=oops");
    expect([notAList.status, errorCode(notAList.text)]).toEqual([400, "InvalidParameterValue"]);
    const missing = await post("Action=DeleteReplicationGroup&Version=2015-02-02");
    expect([missing.status, errorCode(missing.text)]).toEqual([400, "MissingParameter"]);
    const list = await post("Action=CreateReplicationGroup&Version=2015-02-02&ReplicationGroupId=x&ReplicationGroupDescription=d&Tags.Tag.1.Value=no-key");
    expect([list.status, errorCode(list.text)]).toEqual([400, "MissingParameter"]);
  });

  it("answers a parameter name nested thousands of levels deep with a 400, not an internal failure", async () => {
    const deep = await post(`Action=DescribeEvents&Version=2015-02-02&${"a.".repeat(100_000)}b=1`);
    expect([deep.status, errorCode(deep.text)]).toEqual([400, "InvalidParameterValue"]);
  });

  it("does not let a parameter named __proto__ change later requests", async () => {
    await post("Action=DescribeCacheEngineVersions&Version=2015-02-02&__proto__.CacheClusterId=polluted");
    const later = await post("Action=DescribeCacheClusters&Version=2015-02-02");
    expect([later.status, errorCode(later.text)]).toEqual([200, undefined]);
  });

  it("refuses characters XML cannot carry, and gives back a carriage return as it was sent", async () => {
    const client = elasticacheClient(emulator.url, "eu-north-1");
    const create = (ReplicationGroupId: string, ReplicationGroupDescription: string) =>
      client.send(new CreateReplicationGroupCommand({ ReplicationGroupId, ReplicationGroupDescription, NumCacheClusters: 1 }));
    await expect(create("bell", "ring\u0007ring")).rejects.toBeInstanceOf(InvalidParameterValueException);
    await create("lines", "line one\r\nline two");
    const { ReplicationGroups } = await client.send(new DescribeReplicationGroupsCommand({}));
    expect(ReplicationGroups!.map((g) => [g.ReplicationGroupId, g.Description])).toEqual([["lines", "line one\r\nline two"]]);
  });

  it("reads the region from the SigV4 credential scope, us-east-1 when unsigned", async () => {
    const body = "Action=DescribeCacheClusters&Version=2015-02-02&CacheClusterId=nope";
    const signed = await post(body, { "content-type": FORM, authorization: authFor("ap-southeast-2") });
    expect(signed.status).toBe(404);
    expect(errorCode(signed.text)).toBe("CacheClusterNotFound");
    const zones = await post(
      "Action=CreateCacheCluster&Version=2015-02-02&CacheClusterId=zoned&Engine=memcached&PreferredAvailabilityZone=us-east-1a",
      { "content-type": FORM, authorization: authFor("ap-southeast-2") },
    );
    expect(zones.text).toContain("Invalid availability zone us-east-1a for region ap-southeast-2; valid zones: ap-southeast-2a, ap-southeast-2b, ap-southeast-2c");
    const unsigned = await post("Action=DescribeEvents&Version=2015-02-02");
    expect(unsigned.status).toBe(200);
    expect(unsigned.text).toMatch(/^<DescribeEventsResponse xmlns="http:\/\/elasticache\.amazonaws\.com\/doc\/2015-02-02\/"><DescribeEventsResult><Events><\/Events><\/DescribeEventsResult>/);
  });
});
