import cbor from "cbor";
import { ApiError } from "./api-error";
import { headerValue, type ProtocolCodec } from "./protocol";
import { rpcErrorResponse, serviceByTarget } from "./rpc-envelope";

const PATH = /^\/service\/([^/]+)\/operation\/([^/]+)$/;

/**
 * Smithy RPC v2 CBOR: POST `/service/<ServiceShape>/operation/<Operation>` with `smithy-protocol: rpc-v2-cbor`.
 * Every response carries the `smithy-protocol` header; successes are exactly 200. Dates go out as tag 1 with epoch
 * seconds, and tag-1 timestamps come in as Dates.
 */
export const cborProtocol: ProtocolCodec = {
  name: "cbor",
  matches(head) {
    return head.method === "POST" && headerValue(head.headers, "smithy-protocol") === "rpc-v2-cbor" && PATH.test(head.path);
  },
  decode(head, body, services) {
    const [, serviceName, operation] = head.path.match(PATH)!;
    const service = serviceByTarget(serviceName, services);
    return { service, operation, input: decodeCborObject(body) };
  },
  encodeResult(_service, _operation, output, ctx) {
    return { status: 200, headers: cborHeaders(ctx.requestId), body: cbor.encode(toCborValue(output ?? {})) };
  },
  encodeError(service, error, ctx) {
    return rpcErrorResponse(service, error, cborHeaders(ctx.requestId), (body) => cbor.encode(body));
  },
};

function decodeCborObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let decoded: unknown;
  try {
    decoded = cbor.decodeFirstSync(body);
  } catch {
    throw new ApiError("SerializationException", "The request body is not valid CBOR", 400);
  }
  if (decoded === null || typeof decoded !== "object" || Array.isArray(decoded) || decoded instanceof Date) {
    throw new ApiError("SerializationException", "The request body must be a CBOR map", 400);
  }
  return fromCborValue(decoded) as Record<string, unknown>;
}

/**
 * What the operations' validation can read. A bignum (tag 2/3, or a 64-bit integer) within the safe integer range
 * becomes a number; a larger one stays a bigint, which validation refuses as the wrong type, naming the member. A
 * tag-1 timestamp the decoder could not turn into a Date (a bignum epoch) becomes an invalid Date, refused the same way.
 */
function fromCborValue(value: unknown): unknown {
  if (typeof value === "bigint") return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value;
  if (value instanceof cbor.Tagged) {
    if (value.tag === 1) return new Date(Number(fromCborValue(value.value)) * 1000);
    throw new ApiError("SerializationException", `The request body holds a value with CBOR tag ${value.tag}, which this API does not use`, 400);
  }
  if (Array.isArray(value)) return value.map(fromCborValue);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), fromCborValue(v)]));
  if (value !== null && typeof value === "object" && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromCborValue(v)]));
  }
  return value;
}

/** Leaves out undefined members (CBOR would send them as the `undefined` simple value) and turns Maps into objects. */
function toCborValue(value: unknown): unknown {
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [k, toCborValue(v)]));
  if (Array.isArray(value)) return value.map(toCborValue);
  if (value !== null && typeof value === "object" && !(value instanceof Date)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toCborValue(v);
    return out;
  }
  return value;
}

function cborHeaders(requestId: string): Record<string, string> {
  return { "content-type": "application/cbor", "smithy-protocol": "rpc-v2-cbor", "x-amzn-requestid": requestId };
}
