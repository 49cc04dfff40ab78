import type { IncomingHttpHeaders } from "node:http";
import type { ApiError } from "./api-error";
import type { RequestContext, ServiceDefinition } from "./service";

export interface HttpRequestHead {
  method: string;
  path: string;
  /** The URL's query string (restJson1 binds some inputs to it). */
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
}

export interface EncodedResponse {
  status: number;
  headers: Record<string, string>;
  /** The whole body, or its pieces as they are encoded (a large answer, sent while other requests are answered). */
  body: Buffer | string | AsyncIterable<string>;
}

export interface DecodedRequest {
  service: ServiceDefinition;
  operation: string;
  input: Record<string, unknown>;
}

/** One AWS wire protocol: how to recognise a request, read it, and write results and errors back. */
export interface ProtocolCodec {
  name: RequestContext["protocol"];
  matches(head: HttpRequestHead): boolean;
  /** Throws ApiError when the body cannot be read or names no known service. */
  decode(head: HttpRequestHead, body: Buffer, services: readonly ServiceDefinition[]): DecodedRequest;
  encodeResult(service: ServiceDefinition, operation: string, output: Record<string, unknown> | void, ctx: RequestContext): EncodedResponse;
  /** `service` is undefined when the failure came before the service was known. */
  encodeError(service: ServiceDefinition | undefined, error: ApiError, ctx: RequestContext): EncodedResponse;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** The SigV4 credential scope `AKID/date/region/service/aws4_request`, when the request is signed. */
export function credentialScope(headers: IncomingHttpHeaders): { region: string; service: string } | undefined {
  const auth = headerValue(headers, "authorization");
  const m = auth?.match(/Credential=[^/,\s]+\/\d{8}\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request/);
  return m ? { region: m[1], service: m[2] } : undefined;
}

/** The access key id a SigV4-signed request names in its credential scope (undefined when unsigned). */
export function signingAccessKey(headers: IncomingHttpHeaders): string | undefined {
  return headerValue(headers, "authorization")?.match(/Credential=([^/,\s]+)\//)?.[1];
}
