import { ApiError } from "./api-error";
import { credentialScope, headerValue, type ProtocolCodec } from "./protocol";
import type { ServiceDefinition } from "./service";
import { XML_FORBIDDEN, renderXmlValue, xmlEscape } from "./xml";

/** The deepest name any ElastiCache or CloudWatch input has is about ten parts; far deeper is not an AWS request. */
const MAX_NAME_PARTS = 32;

/**
 * awsQuery: form-encoded requests, XML responses. Lists arrive as `Field.ItemName.N` (`Field.member.N` by default),
 * so the segment in front of a number is an item name and is dropped: `Tags.Tag.1.Key` becomes `Tags[0].Key`.
 * Values stay strings; operations coerce them with the helpers in ./input.ts.
 */
export function parseQueryParams(params: URLSearchParams): Record<string, unknown> {
  // Parameter names come from the client: objects without a prototype keep a name such as `__proto__.x` an ordinary
  // key instead of a path into Object.prototype.
  const root: Record<string, unknown> = Object.create(null);
  for (const [key, value] of params) {
    if (key === "Action" || key === "Version") continue;
    const segments = key.split(".");
    if (segments.length > MAX_NAME_PARTS) {
      throw new ApiError("InvalidParameterValue", `The parameter name ${key.slice(0, 60)}… has more than ${MAX_NAME_PARTS} parts`, 400);
    }
    let node: Record<string, unknown> = root;
    for (let i = 0; i < segments.length; i++) {
      const isLast = i === segments.length - 1;
      const next = segments[i + 1];
      const seg = segments[i];
      if (next !== undefined && /^\d+$/.test(next) && i > 0) continue; // item name in front of an index
      if (isLast) {
        node[seg] = value;
        break;
      }
      const child = node[seg];
      node = (typeof child === "object" && child !== null ? child : (node[seg] = Object.create(null))) as Record<string, unknown>;
    }
  }
  return listify(root) as Record<string, unknown>;
}

/** Objects whose keys are all indexes become arrays ordered by index (AWS counts from 1). */
function listify(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  for (const k of keys) obj[k] = listify(obj[k]);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys.map(Number).sort((a, b) => a - b).map((k) => obj[String(k)]);
  }
  return obj;
}

function serviceFor(params: URLSearchParams, scopeService: string | undefined, services: readonly ServiceDefinition[]) {
  const version = params.get("Version");
  return (
    services.find((s) => version && s.version === version) ??
    services.find((s) => scopeService && s.signingName === scopeService)
  );
}

export const queryProtocol: ProtocolCodec = {
  name: "query",
  matches(head) {
    const type = headerValue(head.headers, "content-type") ?? "";
    return head.method === "POST" && type.startsWith("application/x-www-form-urlencoded");
  },
  decode(head, body, services) {
    const params = new URLSearchParams(body.toString("utf8"));
    const action = params.get("Action");
    if (!action) throw new ApiError("MissingAction", "The request must contain the parameter Action", 400);
    const service = serviceFor(params, credentialScope(head.headers)?.service, services);
    if (!service) {
      throw new ApiError("InvalidAction", `Could not find a service for Version=${params.get("Version") ?? "(none)"}`, 400);
    }
    for (const [name, value] of params) {
      if (XML_FORBIDDEN.test(value)) {
        throw new ApiError("InvalidParameterValue", `The value of ${name} contains a character that is not allowed (a control character)`, 400);
      }
    }
    return { service, operation: action, input: parseQueryParams(params) };
  },
  encodeResult(service, operation, output, ctx) {
    const result = output ? `<${operation}Result>${renderXmlValue(output, service.xmlListItemNames)}</${operation}Result>` : "";
    const body =
      `<${operation}Response xmlns="${service.xmlNamespace}">${result}` +
      `<ResponseMetadata><RequestId>${ctx.requestId}</RequestId></ResponseMetadata></${operation}Response>`;
    return { status: 200, headers: xmlHeaders(ctx.requestId), body };
  },
  encodeError(service, error, ctx) {
    const ns = service?.xmlNamespace ?? "http://elasticache.amazonaws.com/doc/2015-02-02/";
    const body =
      `<ErrorResponse xmlns="${ns}"><Error><Type>${error.fault}</Type><Code>${xmlEscape(error.code)}</Code>` +
      `<Message>${xmlEscape(error.message)}</Message></Error><RequestId>${ctx.requestId}</RequestId></ErrorResponse>`;
    return { status: error.status, headers: xmlHeaders(ctx.requestId), body };
  },
};

function xmlHeaders(requestId: string): Record<string, string> {
  return { "content-type": "text/xml", "x-amzn-requestid": requestId };
}
