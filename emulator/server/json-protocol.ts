import { ApiError } from "./api-error";
import { jsonPieces } from "./json-pieces";
import { headerValue, type ProtocolCodec } from "./protocol";
import { rpcErrorResponse, serviceByTarget } from "./rpc-envelope";
import type { ServiceDefinition } from "./service";

const CONTENT_TYPE = /^application\/x-amz-json-1\.[01]\b/;

/**
 * awsJson1_0 (CloudWatch in query-compatible mode) and awsJson1_1 (Resource Groups Tagging): POST `/` with
 * `X-Amz-Target: <prefix>.<Operation>` and a JSON body of PascalCase members. Timestamps travel as epoch seconds both
 * ways; maps (JS `Map`) become JSON objects. Answers carry the service's own JSON version.
 */
export const jsonProtocol: ProtocolCodec = {
  name: "json",
  matches(head) {
    const type = headerValue(head.headers, "content-type") ?? "";
    return head.method === "POST" && CONTENT_TYPE.test(type) && headerValue(head.headers, "x-amz-target") !== undefined;
  },
  decode(head, body, services) {
    const target = headerValue(head.headers, "x-amz-target") ?? "";
    const dot = target.lastIndexOf(".");
    const service = serviceByTarget(dot < 0 ? "" : target.slice(0, dot), services);
    return { service, operation: target.slice(dot + 1), input: parseJsonObject(body) };
  },
  encodeResult(service, _operation, output, ctx) {
    return { status: 200, headers: jsonHeaders(service, ctx.requestId), body: jsonPieces(output ?? {}) };
  },
  encodeError(service, error, ctx) {
    return rpcErrorResponse(service, error, jsonHeaders(service, ctx.requestId), (body) => JSON.stringify(body));
  },
};

/** The JSON object a request carries (none: {}); `errorCode` names a malformed one in the protocol's terms. */
export function parseJsonObject(body: Buffer, errorCode = "SerializationException"): Record<string, unknown> {
  const text = body.toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ApiError(errorCode, "The request body is not valid JSON", 400);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ApiError(errorCode, "The request body must be a JSON object", 400);
  }
  return parsed as Record<string, unknown>;
}

/** `this[key]` is the raw value: Date.toJSON has already turned `value` into a string. */
export function jsonReplacer(this: Record<string, unknown>, key: string, value: unknown): unknown {
  const raw = this[key];
  if (raw instanceof Date) return raw.getTime() / 1000;
  if (raw instanceof Map) return Object.fromEntries(raw);
  return value;
}

function jsonHeaders(service: ServiceDefinition | undefined, requestId: string): Record<string, string> {
  return { "content-type": `application/x-amz-json-${service?.jsonVersion ?? "1.0"}`, "x-amzn-requestid": requestId };
}
