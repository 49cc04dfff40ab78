import { ApiError } from "./api-error";
import type { EncodedResponse } from "./protocol";
import type { ServiceDefinition } from "./service";

// What the two RPC protocols (awsJson1_0 and rpc-v2-cbor) share: finding the service from its target prefix, and the
// query-compatible error envelope. Query-compatible clients (the JS SDK, botocore) map an error to its modelled
// exception through the `x-amzn-query-error: Code;Fault` header, while other clients read the shape id in `__type`,
// so both are always sent.

export function serviceByTarget(prefix: string, services: readonly ServiceDefinition[]): ServiceDefinition {
  const service = services.find((s) => s.targetPrefix !== undefined && s.targetPrefix === prefix);
  if (!service) throw new ApiError("UnknownOperationException", `Unknown service ${prefix || "(none)"}`, 400);
  return service;
}

/** The error response of an RPC protocol, given its own headers and body encoding. */
export function rpcErrorResponse(
  service: ServiceDefinition | undefined,
  error: ApiError,
  headers: Record<string, string>,
  encode: (body: { __type: string; message: string }) => Buffer | string,
): EncodedResponse {
  return {
    status: error.status,
    headers: { ...headers, "x-amzn-query-error": `${error.code};${error.fault}` },
    body: encode(rpcErrorBody(service, error)),
  };
}

function rpcErrorBody(service: ServiceDefinition | undefined, error: ApiError): { __type: string; message: string } {
  const shape = error.shapeName !== error.code ? error.shapeName : (service?.errorShapeNames?.[error.code] ?? error.code);
  const __type = service?.errorTypeNamespace ? `${service.errorTypeNamespace}#${shape}` : shape;
  return { __type, message: error.message };
}
