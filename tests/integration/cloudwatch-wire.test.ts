import cbor from "cbor";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudWatchServer, type CloudWatchTestServer } from "./helpers/cloudwatch-server";

// Raw requests in each wire protocol, built the way the SDKs build them, to check what goes over the wire.

let server: CloudWatchTestServer;
const minute = Math.floor(Date.now() / 60_000) * 60;
const scope = "Credential=AKID/20250101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=abc";

beforeAll(async () => {
  server = await startCloudWatchServer();
});
afterAll(() => server?.close());

function cborCall(operation: string, input: unknown) {
  return fetch(`${server.endpoint}/service/GraniteServiceVersion20100801/operation/${operation}`, {
    method: "POST",
    headers: { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor", accept: "application/cbor", authorization: `AWS4-HMAC-SHA256 ${scope}` },
    body: new Uint8Array(cbor.encode(input)),
  });
}

function queryCall(params: Record<string, string>) {
  return fetch(server.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded; charset=utf-8", authorization: `AWS4-HMAC-SHA256 ${scope}` },
    body: new URLSearchParams({ Version: "2010-08-01", ...params }).toString(),
  });
}

function jsonCall(operation: string, body: string, headers: Record<string, string> = {}) {
  return fetch(server.endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": `GraniteServiceVersion20100801.${operation}`, "x-amzn-query-mode": "true", ...headers },
    body,
  });
}

describe("RPC v2 CBOR", () => {
  it("reads tag-1 timestamps and answers with a CBOR map, tag-1 timestamps and the smithy-protocol header", async () => {
    const put = await cborCall("PutMetricData", {
      Namespace: "Wire/Cbor",
      MetricData: [
        { MetricName: "Ops", Dimensions: [{ Name: "Node", Value: "n1" }], Timestamp: new Date((minute - 120) * 1000), Value: 3 },
        { MetricName: "Ops", Dimensions: [{ Name: "Node", Value: "n1" }], Timestamp: new Date((minute - 60) * 1000), Values: [1, 2], Counts: [2, 2] },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.headers.get("smithy-protocol")).toBe("rpc-v2-cbor");

    const res = await cborCall("GetMetricData", {
      StartTime: new Date((minute - 300) * 1000),
      EndTime: new Date(minute * 1000),
      ScanBy: "TimestampAscending",
      MetricDataQueries: [{ Id: "ops", MetricStat: { Metric: { Namespace: "Wire/Cbor", MetricName: "Ops", Dimensions: [{ Name: "Node", Value: "n1" }] }, Period: 60, Stat: "Sum" } }],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/cbor");
    expect(res.headers.get("smithy-protocol")).toBe("rpc-v2-cbor");
    const bytes = Buffer.from(await res.arrayBuffer());
    const body = cbor.decodeFirstSync(bytes);
    expect(body.MetricDataResults[0]).toMatchObject({ Id: "ops", Label: "Ops", Values: [3, 6], StatusCode: "Complete" });
    expect(body.MetricDataResults[0].Timestamps).toEqual([new Date((minute - 120) * 1000), new Date((minute - 60) * 1000)]);
    expect(bytes.includes(Buffer.from([0xc1]))).toBe(true); // tag 1 on the wire
  });

  it("renders statistics maps as plain CBOR maps", async () => {
    const res = await cborCall("GetMetricStatistics", {
      Namespace: "Wire/Cbor", MetricName: "Ops", Dimensions: [{ Name: "Node", Value: "n1" }],
      StartTime: new Date((minute - 300) * 1000), EndTime: new Date(minute * 1000), Period: 300, ExtendedStatistics: ["p50"],
    });
    const body = cbor.decodeFirstSync(Buffer.from(await res.arrayBuffer()));
    expect(body.Datapoints).toEqual([{ Timestamp: new Date((minute - 300) * 1000), Unit: "None", ExtendedStatistics: { p50: 2 } }]);
  });

  it("sends the error envelope with __type, message, x-amzn-query-error and the model's status", async () => {
    const res = await cborCall("PutMetricData", { Namespace: "AWS/EC2", MetricData: [{ MetricName: "x", Value: 1 }] });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-query-error")).toBe("InvalidParameterValue;Sender");
    expect(res.headers.get("smithy-protocol")).toBe("rpc-v2-cbor");
    expect(cbor.decodeFirstSync(Buffer.from(await res.arrayBuffer()))).toEqual({
      __type: "com.amazonaws.cloudwatch#InvalidParameterValueException",
      message: "The value AWS/EC2 for parameter Namespace is invalid.",
    });
    const unknown = await cborCall("PutDashboard", {});
    expect(unknown.status).toBe(400);
    expect(cbor.decodeFirstSync(Buffer.from(await unknown.arrayBuffer())).__type).toBe("com.amazonaws.cloudwatch#UnknownOperationException");
    const garbage = await fetch(`${server.endpoint}/service/GraniteServiceVersion20100801/operation/ListMetrics`, {
      method: "POST", headers: { "smithy-protocol": "rpc-v2-cbor", "content-type": "application/cbor" }, body: new Uint8Array([0xff, 0x00]),
    });
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get("x-amzn-query-error")).toBe("SerializationException;Sender");
  });
});

describe("malformed CBOR and expressions", () => {
  const huge = 2n ** 70n;
  const window = { StartTime: new Date((minute - 300) * 1000), EndTime: new Date(minute * 1000) };
  const metric = { Namespace: "Wire/Cbor", MetricName: "Ops", Dimensions: [{ Name: "Node", Value: "n1" }] };
  const errorOf = async (res: Response) => ({ status: res.status, header: res.headers.get("x-amzn-query-error"), body: cbor.decodeFirstSync(Buffer.from(await res.arrayBuffer())) });

  it("answers a bignum Period or StartTime with a validation error naming the member, never a 500", async () => {
    const cases: Array<[operation: string, input: Record<string, unknown>, member: string]> = [
      ["GetMetricData", { ...window, MetricDataQueries: [{ Id: "ops", MetricStat: { Metric: metric, Period: huge, Stat: "Sum" } }] }, "MetricDataQueries.member.1.MetricStat.Period"],
      ["GetMetricData", { ...window, StartTime: huge, MetricDataQueries: [{ Id: "ops", MetricStat: { Metric: metric, Period: 60, Stat: "Sum" } }] }, "StartTime"],
      ["GetMetricStatistics", { ...metric, ...window, Period: huge, Statistics: ["Sum"] }, "Period"],
      ["GetMetricStatistics", { ...metric, ...window, StartTime: new cbor.Tagged(1, huge), Period: 60, Statistics: ["Sum"] }, "StartTime"],
    ];
    for (const [operation, input, member] of cases) {
      const { status, header, body } = await errorOf(await cborCall(operation, input));
      expect({ operation, member, status, header }).toEqual({ operation, member, status: 400, header: "InvalidParameterValue;Sender" });
      expect(body.message).toContain(`parameter ${member} is not valid`);
    }
    // A small bignum is only an unusual spelling of a number.
    const small = await cborCall("GetMetricStatistics", { ...metric, ...window, Period: 60n, Statistics: ["Sum"] });
    expect(small.status).toBe(200);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it("refuses an expression nested deeper than its limit with a ValidationError, and evaluates one just within it", async () => {
    const nestedExpression = (levels: number) => `${"(".repeat(levels)}1${")".repeat(levels)}`;
    for (const expression of [nestedExpression(1_000), `${"-".repeat(1_500)}1`, `${"[".repeat(600)}1${"]".repeat(600)}`, `${"2^".repeat(900)}1`]) {
      const res = await cborCall("GetMetricData", { ...window, MetricDataQueries: [{ Id: "deep", Expression: expression }] });
      const { status, header, body } = await errorOf(res);
      expect({ status, header }).toEqual({ status: 400, header: "ValidationError;Sender" });
      expect(body.message).toMatch(/^Error in expression deep: The expression nests more than 100 levels deep/);
    }
    const within = await cborCall("GetMetricData", { ...window, MetricDataQueries: [{ Id: "deep", Expression: nestedExpression(99) }] });
    expect(within.status).toBe(200);
    expect(server.unexpectedErrors).toEqual([]);
  });

  it("refuses a SEARCH whose query nests deeper than the same limit, or is malformed, with a ValidationError", async () => {
    const search = (query: string) => `SEARCH('{Wire/Cbor,Node} ${query}', 'Sum', 60)`;
    const cases: Array<[query: string, message: string]> = [
      [`${"(".repeat(1_000)}n1${")".repeat(1_000)}`, "The SEARCH expression nests more than 100 levels deep (parentheses and NOT)"],
      [`${"NOT ".repeat(400)}n1`, "The SEARCH expression nests more than 100 levels deep (parentheses and NOT)"],
      ["(n1 OR n2", "Missing ) in SEARCH expression"],
    ];
    for (const [query, message] of cases) {
      const { status, header, body } = await errorOf(await cborCall("GetMetricData", { ...window, MetricDataQueries: [{ Id: "deep", Expression: search(query) }] }));
      expect({ query: query.slice(0, 20), status, header }).toEqual({ query: query.slice(0, 20), status: 400, header: "ValidationError;Sender" });
      expect(body.message).toBe(`Error in expression deep: ${message}`);
    }
    const within = await cborCall("GetMetricData", { ...window, MetricDataQueries: [{ Id: "deep", Expression: search(`${"(".repeat(100)}n1${")".repeat(100)}`) }] });
    expect(within.status).toBe(200);
    expect(server.unexpectedErrors).toEqual([]);
  });
});

describe("awsJson1_0 wire format", () => {
  it("returns epoch-second timestamps and the query-compatible error header", async () => {
    const put = await jsonCall("PutMetricData", JSON.stringify({ Namespace: "Wire/Json", MetricData: [{ MetricName: "Ops", Timestamp: minute - 60, Value: 4 }] }));
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({});
    const res = await jsonCall("GetMetricData", JSON.stringify({
      StartTime: minute - 300, EndTime: minute,
      MetricDataQueries: [{ Id: "o", MetricStat: { Metric: { Namespace: "Wire/Json", MetricName: "Ops" }, Period: 60, Stat: "Sum" } }],
    }));
    expect(res.headers.get("content-type")).toBe("application/x-amz-json-1.0");
    expect(res.headers.get("x-amzn-requestid")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await res.json()).MetricDataResults[0]).toEqual({ Id: "o", Label: "Ops", Timestamps: [minute - 60], Values: [4], StatusCode: "Complete", Messages: [] });

    const bad = await jsonCall("GetMetricStatistics", JSON.stringify({ Namespace: "A", MetricName: "B", StartTime: minute - 60, EndTime: minute, Period: 60 }));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-amzn-query-error")).toBe("InvalidParameterCombination;Sender");
    expect((await bad.json()).__type).toBe("com.amazonaws.cloudwatch#InvalidParameterCombinationException");
    const notJson = await jsonCall("ListMetrics", "{nope");
    expect(notJson.status).toBe(400);
    expect(notJson.headers.get("x-amzn-query-error")).toBe("SerializationException;Sender");
    expect((await notJson.json()).__type).toBe("SerializationException");
  });

  it("tells a member sent with the wrong type from a missing one, and says what was expected", async () => {
    const call = async (body: unknown) => {
      const res = await jsonCall("GetMetricData", JSON.stringify(body));
      return [res.status, res.headers.get("x-amzn-query-error"), (await res.json()).message];
    };
    const query = { Id: "o", MetricStat: { Metric: { Namespace: "Wire/Json", MetricName: "Ops" }, Period: 60, Stat: "Sum" } };
    expect(await call({ StartTime: minute - 300, EndTime: minute, MetricDataQueries: "o" })).toEqual([
      400, "InvalidParameterValue;Sender", "The value for parameter MetricDataQueries is not valid: Invalid input: expected array, received string",
    ]);
    expect(await call({ StartTime: "yesterday", EndTime: minute, MetricDataQueries: [query] })).toEqual([
      400, "InvalidParameterValue;Sender", 'The value for parameter StartTime is not valid: expected a timestamp (ISO 8601 or epoch seconds), got "yesterday"',
    ]);
    expect(await call({ StartTime: minute - 300, EndTime: minute, MetricDataQueries: [query], MaxDatapoints: "many" })).toEqual([
      400, "InvalidParameterValue;Sender", 'The value for parameter MaxDatapoints is not valid: expected an integer, got "many"',
    ]);
    expect(await call({ StartTime: minute - 300, EndTime: minute })).toEqual([400, "MissingParameter;Sender", "The parameter MetricDataQueries is required."]);
  });

  it("accepts a gzip-encoded body", async () => {
    const body = new Uint8Array(gzipSync(JSON.stringify({ Namespace: "Wire/Gzip", MetricData: [{ MetricName: "Zipped", Value: 1 }] })));
    const res = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.PutMetricData", "content-encoding": "gzip" },
      body,
    });
    expect(res.status).toBe(200);
    const list = await jsonCall("ListMetrics", JSON.stringify({ Namespace: "Wire/Gzip" }));
    expect((await list.json()).Metrics).toEqual([{ Namespace: "Wire/Gzip", MetricName: "Zipped", Dimensions: [] }]);
  });
});

describe("request size", () => {
  it("refuses a body over 2 MiB, and a gzip body that inflates past 8 MiB, with 413 RequestEntityTooLarge", async () => {
    const big = await jsonCall("PutMetricData", JSON.stringify({ Namespace: "Wire/Big", Padding: "x".repeat(3 * 1024 * 1024) }));
    expect([big.status, big.headers.get("x-amzn-query-error")]).toEqual([413, "RequestEntityTooLarge;Sender"]);
    const bomb = await fetch(server.endpoint, {
      method: "POST",
      headers: { "content-type": "application/x-amz-json-1.0", "x-amz-target": "GraniteServiceVersion20100801.PutMetricData", "content-encoding": "gzip" },
      body: new Uint8Array(gzipSync(Buffer.alloc(16 * 1024 * 1024, " "))),
    });
    expect([bomb.status, bomb.headers.get("x-amzn-query-error")]).toEqual([413, "RequestEntityTooLarge;Sender"]);
    expect((await bomb.json()).message).toBe("Request body, once decompressed, is larger than 8388608 bytes");
  });
});

describe("awsQuery", () => {
  it("reads member lists and renders XML with <member> items and ISO timestamps", async () => {
    const put = await queryCall({
      Action: "PutMetricData", Namespace: "Wire/Query",
      "MetricData.member.1.MetricName": "Ops", "MetricData.member.1.Value": "7",
      "MetricData.member.1.Timestamp": new Date((minute - 60) * 1000).toISOString(),
      "MetricData.member.1.Dimensions.member.1.Name": "Node", "MetricData.member.1.Dimensions.member.1.Value": "n1",
    });
    expect(put.status).toBe(200);
    expect(await put.text()).toMatch(/^<PutMetricDataResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><ResponseMetadata>/);

    const res = await queryCall({
      Action: "GetMetricData",
      StartTime: new Date((minute - 300) * 1000).toISOString(), EndTime: new Date(minute * 1000).toISOString(),
      "MetricDataQueries.member.1.Id": "o",
      "MetricDataQueries.member.1.MetricStat.Metric.Namespace": "Wire/Query",
      "MetricDataQueries.member.1.MetricStat.Metric.MetricName": "Ops",
      "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name": "Node",
      "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value": "n1",
      "MetricDataQueries.member.1.MetricStat.Period": "60",
      "MetricDataQueries.member.1.MetricStat.Stat": "Maximum",
      "MetricDataQueries.member.2.Id": "double",
      "MetricDataQueries.member.2.Expression": "o * 2",
    });
    const xml = await res.text();
    expect(xml).toContain(
      "<MetricDataResults><member><Id>o</Id><Label>Ops</Label>" +
        `<Timestamps><member>${new Date((minute - 60) * 1000).toISOString()}</member></Timestamps><Values><member>7</member></Values>` +
        "<StatusCode>Complete</StatusCode><Messages></Messages></member>",
    );
    expect(xml).toContain("<Id>double</Id><Label>double</Label>");
    expect(xml).toContain("<Values><member>14</member></Values>");

    const stats = await queryCall({
      Action: "GetMetricStatistics", Namespace: "Wire/Query", MetricName: "Ops",
      "Dimensions.member.1.Name": "Node", "Dimensions.member.1.Value": "n1",
      StartTime: new Date((minute - 300) * 1000).toISOString(), EndTime: new Date(minute * 1000).toISOString(), Period: "300",
      "Statistics.member.1": "Sum", "ExtendedStatistics.member.1": "p99",
    });
    expect(await stats.text()).toContain("<Sum>7</Sum><Unit>None</Unit><ExtendedStatistics><entry><key>p99</key><value>7</value></entry></ExtendedStatistics>");
  });

  it("lists a metric whose name XML cannot carry (sent over JSON) as XML a parser reads", async () => {
    const put = await jsonCall("PutMetricData", JSON.stringify({ Namespace: "Wire/Control", MetricData: [{ MetricName: "tab\tbell\u0007", Value: 1 }] }));
    expect(put.status).toBe(200);
    const xml = await (await queryCall({ Action: "ListMetrics", Namespace: "Wire/Control" })).text();
    expect(xml).toContain("<MetricName>tab\tbell\uFFFD</MetricName>");
  });

  it("answers errors with the query ErrorResponse", async () => {
    const res = await queryCall({ Action: "PutMetricData", Namespace: "AWS/X", "MetricData.member.1.MetricName": "a", "MetricData.member.1.Value": "1" });
    expect(res.status).toBe(400);
    const xml = await res.text();
    expect(xml).toMatch(/^<ErrorResponse xmlns="http:\/\/monitoring\.amazonaws\.com\/doc\/2010-08-01\/"><Error><Type>Sender<\/Type><Code>InvalidParameterValue<\/Code>/);
    expect(server.calls.filter((c) => c.protocol === "query").length).toBeGreaterThanOrEqual(3);
    expect(server.unexpectedErrors).toEqual([]);
  });
});
