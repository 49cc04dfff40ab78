import { randomUUID } from "node:crypto";
import { once } from "node:events";
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { ApiError, internalFailure } from "./api-error";
import { credentialScope, headerValue, type EncodedResponse, type HttpRequestHead, type ProtocolCodec } from "./protocol";
import { queryProtocol } from "./query-protocol";
import { foreignRequestRefusal, loopbackOnly, type RequestOriginPolicy } from "./request-origin";
import type { Caller, RequestContext, ServiceDefinition } from "./service";

/** AWS caps query requests far lower; 2 MiB keeps a PutMetricData of 1,000 metrics and refuses floods. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;
const DEFAULT_REGION = "us-east-1";

/** A non-AWS route (the emulator's admin API). Return true when it handled the request. */
export type ExtraRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<boolean>;

/** Several accounts: who signed a request, and the services that act on that caller's account. */
export interface CallerDirectory {
  /** Throws ApiError when the request's credentials are refused (unknown or expired session keys). */
  identify(headers: IncomingHttpHeaders): Caller;
  /** The account's services, each with the signing name of its counterpart in ApiServerOptions.services. */
  servicesOf(account: string): readonly ServiceDefinition[];
}

export interface ApiServerOptions {
  /** The services requests are decoded against (with several accounts, the default account's). */
  services: readonly ServiceDefinition[];
  callers?: CallerDirectory;
  /** Protocols tried in order; query is always last because it is the fallback for form posts. */
  protocols?: readonly ProtocolCodec[];
  extraRoutes?: readonly ExtraRoute[];
  /** Which web origins and Host names may call (default: loopback only); see request-origin.ts. */
  originPolicy?: RequestOriginPolicy;
  onUnexpectedError?: (error: unknown) => void;
}

/**
 * The emulator's HTTP front door. Every request goes through the same steps in the same order:
 * size cap → request id → origin and Host (what a foreign web page sends is refused, the admin routes included) →
 * protocol → operation allow-list → caller (the access key's account) → validation (inside the operation) → operation.
 * Whatever fails, the client gets its own protocol's error envelope, never an HTML page or a dropped connection.
 */
export function createApiServer(options: ApiServerOptions): http.Server {
  const protocols = [...(options.protocols ?? []), queryProtocol];
  return http.createServer((req, res) => {
    handle(req, res, options, protocols).catch((error) => {
      options.onUnexpectedError?.(error);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end();
    });
  });
}

async function handle(req: IncomingMessage, res: ServerResponse, options: ApiServerOptions, protocols: ProtocolCodec[]) {
  const [path, query = ""] = (req.url ?? "/").split("?", 2);
  const head: HttpRequestHead = { method: req.method ?? "GET", path, query: new URLSearchParams(query), headers: req.headers };
  const ctx: RequestContext = {
    requestId: randomUUID(),
    region: credentialScope(req.headers)?.region ?? DEFAULT_REGION,
    protocol: "query",
    receivedAt: new Date(),
  };
  const protocol = protocols.find((p) => p.matches(head)) ?? queryProtocol;
  ctx.protocol = protocol.name;

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (error) {
    return send(res, protocol.encodeError(undefined, asApiError(error), ctx));
  }

  const refusal = foreignRequestRefusal(req.headers, options.originPolicy ?? loopbackOnly);
  if (refusal) {
    // The admin API (/_emulator/…) answers in its own JSON error shape; AWS calls in their protocol's envelope.
    if (head.path.startsWith(ADMIN_PATH)) return send(res, adminError(refusal));
    return send(res, protocol.encodeError(undefined, refusal, ctx));
  }

  for (const route of options.extraRoutes ?? []) {
    if (await route(req, res, body)) return;
  }
  if (!protocols.some((p) => p.matches(head))) {
    return send(res, protocol.encodeError(undefined, new ApiError("MissingAction", "Unsupported request: send an AWS API call (awsQuery, JSON 1.0, RPC v2 CBOR or restJson1)", 400), ctx));
  }

  let service: ServiceDefinition | undefined;
  try {
    const decoded = protocol.decode(head, decodeContent(req, body), options.services);
    service = decoded.service;
    const operation = Object.hasOwn(service.operations, decoded.operation) ? service.operations[decoded.operation] : undefined;
    if (!operation) throw unknownOperation(protocol.name, decoded.operation);
    const output = await (options.callers ? callerOperation(options.callers, req.headers, service, decoded.operation, ctx) : operation)(decoded.input, ctx);
    await send(res, protocol.encodeResult(service, decoded.operation, output, ctx));
  } catch (error) {
    if (!(error instanceof ApiError)) options.onUnexpectedError?.(error);
    send(res, protocol.encodeError(service, asApiError(error), ctx));
  }
}

/** Where the emulator's own (non-AWS) routes live, such as the fault API. */
export const ADMIN_PATH = "/_emulator/";

function adminError(error: ApiError): EncodedResponse {
  return { status: error.status, headers: { "content-type": "application/json" }, body: JSON.stringify({ error: { code: error.code, message: error.message } }) };
}

/** The operation of the caller's own account (every account has the same services over its own state). */
function callerOperation(callers: CallerDirectory, headers: IncomingHttpHeaders, service: ServiceDefinition, name: string, ctx: RequestContext) {
  ctx.caller = callers.identify(headers);
  const own = callers.servicesOf(ctx.caller.account).find((s) => s.signingName === service.signingName);
  if (!own) throw internalFailure();
  return own.operations[name];
}

function unknownOperation(protocol: RequestContext["protocol"], name: string): ApiError {
  return protocol === "query"
    ? new ApiError("InvalidAction", `The action ${name} is not valid for this web service.`, 400)
    : new ApiError("UnknownOperationException", `Unknown operation ${name}`, 400);
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError ? error : internalFailure();
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) {
      req.resume();
      return reject(tooLarge());
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners("data");
        req.resume();
        reject(tooLarge());
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function tooLarge(limit = MAX_BODY_BYTES, what = "Request body") {
  return new ApiError("RequestEntityTooLarge", `${what} is larger than ${limit} bytes`, 413);
}

const MAX_INFLATED_BYTES = MAX_BODY_BYTES * 4;

function decodeContent(req: IncomingMessage, body: Buffer): Buffer {
  if (headerValue(req.headers, "content-encoding") !== "gzip") return body;
  try {
    return gunzipSync(body, { maxOutputLength: MAX_INFLATED_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") throw tooLarge(MAX_INFLATED_BYTES, "Request body, once decompressed,");
    throw new ApiError("InvalidParameterValue", "The request body is not valid gzip", 400);
  }
}

async function send(res: ServerResponse, response: EncodedResponse): Promise<void> {
  const { body } = response;
  if (typeof body === "string" || Buffer.isBuffer(body)) return sendWhole(res, response.status, response.headers, body);
  const pieces = body[Symbol.asyncIterator]();
  const first = await pieces.next();
  const second = first.done ? first : await pieces.next();
  // Encoded within one time slice: sent whole, with its length, as any other answer.
  if (second.done) return sendWhole(res, response.status, response.headers, first.done ? "" : first.value);
  res.writeHead(response.status, response.headers);
  const closed = new Promise<void>((resolve) => res.once("close", resolve));
  for (let next: IteratorResult<string> = first; !next.done; next = next === first ? second : await pieces.next()) {
    if (res.destroyed) return;
    if (!res.write(next.value)) await Promise.race([once(res, "drain"), closed]);
  }
  res.end();
}

function sendWhole(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer) {
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

export async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
