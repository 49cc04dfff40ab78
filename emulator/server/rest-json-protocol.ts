import { jsonReplacer, parseJsonObject } from "./json-protocol";
import { credentialScope, type HttpRequestHead, type ProtocolCodec } from "./protocol";
import type { RestRoute, ServiceDefinition } from "./service";

const CONTENT_TYPE = "application/json";

interface Match {
  service: ServiceDefinition;
  route: RestRoute;
  labels: Record<string, string>;
}

function matchRoute(route: RestRoute, method: string, path: string): Record<string, string> | undefined {
  if (route.method !== method) return undefined;
  const want = route.path.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const labels: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const label = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (label && got[i] !== "") labels[label] = decodeURIComponent(got[i]);
    else if (segment !== got[i]) return undefined;
  }
  return labels;
}

/** The service and route a request is for: a signed request only to the service it was signed for. */
function findRoute(head: HttpRequestHead, services: readonly ServiceDefinition[]): Match | undefined {
  const signedFor = credentialScope(head.headers)?.service;
  for (const service of services) {
    if (!service.restRoutes || (signedFor !== undefined && signedFor !== service.signingName)) continue;
    for (const route of service.restRoutes) {
      const labels = matchRoute(route, head.method, head.path);
      if (labels) return { service, route, labels };
    }
  }
  return undefined;
}

/**
 * restJson1 (AWS FIS): the operation is the HTTP method and path (`POST /experiments`, `GET /experiments/{id}`), its
 * input the JSON body plus the path's labels and the query string. Results are JSON with timestamps as epoch seconds;
 * errors carry the shape name in `x-amzn-errortype` and `{"message"}` in the body, as the SDKs, botocore and the CLI
 * read them.
 */
export function restJsonProtocol(services: readonly ServiceDefinition[]): ProtocolCodec {
  return {
    name: "rest-json",
    matches: (head) => findRoute(head, services) !== undefined,
    decode(head, body) {
      const match = findRoute(head, services)!;
      return { service: match.service, operation: match.route.operation, input: { ...Object.fromEntries(head.query), ...parseJsonObject(body, "ValidationException"), ...match.labels } };
    },
    encodeResult(_service, _operation, output, ctx) {
      return { status: 200, headers: headers(ctx.requestId), body: JSON.stringify(output ?? {}, jsonReplacer) };
    },
    encodeError(_service, error, ctx) {
      return {
        status: error.status,
        headers: { ...headers(ctx.requestId), "x-amzn-errortype": error.shapeName },
        body: JSON.stringify({ message: error.message }),
      };
    },
  };
}

function headers(requestId: string): Record<string, string> {
  return { "content-type": CONTENT_TYPE, "x-amzn-requestid": requestId };
}
