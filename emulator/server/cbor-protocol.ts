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
  return decoded as Record<string, unknown>;
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
