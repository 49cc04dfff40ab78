import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { ADMIN_PATH, type ExtraRoute } from "@/emulator/server/http-server";
import { FaultError, type FaultInjector } from "./fault-injector";

// The fault endpoints, JSON in and out, under /_emulator/faults (documented in docs/emulator-faults.md). Errors are
// {"error": {"code", "message"}} with 400 (bad input), 404 (no such resource or fault), 405 or 409 (not possible now).

export const FAULTS_PATH = `${ADMIN_PATH}faults`;

const regionName = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d+$/, "a region looks like us-east-1");
const region = regionName.default("us-east-1");
const id = z.string().min(1).transform((s) => s.toLowerCase());

const killNodeBody = z.union([
  z.strictObject({ region, cacheClusterId: id, cacheNodeId: z.string().regex(/^\d{4}$/, "a node id looks like 0001").optional() }),
  z.strictObject({ region, serverlessCacheName: id }),
]);

const azPowerBody = z.strictObject({
  /** Defaults to the zone's own region. */
  region: regionName.optional(),
  availabilityZone: z.string().min(1),
  /** AWS FIS's default duration is 10 minutes; at most 12 hours. */
  durationSeconds: z.number().int().min(1).max(43_200).default(600),
  replicationGroupIds: z.array(id).min(1).optional(),
});

const slowReplicationBody = z.strictObject({
  region,
  cacheClusterId: id,
  delayMs: z.number().int().min(0).max(600_000),
  bytesPerSecond: z.number().int().min(1).optional(),
});

class RouteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function parse<T extends z.ZodTypeAny>(schema: T, body: Buffer): z.output<T> {
  let json: unknown;
  try {
    json = body.length === 0 ? {} : JSON.parse(body.toString("utf8"));
  } catch (error) {
    throw new RouteError(400, "InvalidJson", `The body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.join(".");
  throw new RouteError(400, "ValidationError", where ? `${where}: ${issue.message}` : issue.message);
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

/** The zone's region when the body names only the zone ("us-east-1a" → "us-east-1"). */
function regionOfZone(zone: string): string {
  return zone.replace(/[a-z]$/, "");
}

export function faultRoutes(injector: FaultInjector): ExtraRoute {
  return async (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    if (url.pathname !== FAULTS_PATH && !url.pathname.startsWith(`${FAULTS_PATH}/`)) return false;
    const rest = url.pathname.slice(FAULTS_PATH.length).replace(/^\/|\/$/g, "");
    const method = req.method ?? "GET";
    try {
      const [status, payload] = await dispatch(injector, method, rest, body, url.searchParams);
      send(res, status, payload);
    } catch (error) {
      if (error instanceof RouteError) send(res, error.status, { error: { code: error.code, message: error.message } });
      else if (error instanceof FaultError) {
        const code = { 400: "InvalidRequest", 404: "NotFound", 409: "Conflict" }[error.status];
        send(res, error.status, { error: { code, message: error.message } });
      } else throw error;
    }
    return true;
  };
}

async function dispatch(injector: FaultInjector, method: string, rest: string, body: Buffer, query: URLSearchParams): Promise<[number, unknown]> {
  const allow = (...methods: string[]) => {
    if (!methods.includes(method)) throw new RouteError(405, "MethodNotAllowed", `${method} is not allowed here; use ${methods.join(" or ")}`);
  };
  switch (rest) {
    case "":
      allow("GET");
      return [200, { faults: injector.list(query.get("state") === "all") }];
    case "kill-node":
      allow("POST");
      return [200, { killed: await injector.killNode(parse(killNodeBody, body)) }];
    case "interrupt-az-power": {
      allow("POST");
      const input = parse(azPowerBody, body);
      return [201, { fault: await injector.interruptAzPower({ ...input, region: input.region ?? regionOfZone(input.availabilityZone) }) }];
    }
    case "slow-replication":
      allow("POST");
      return [201, { fault: await injector.slowReplication(parse(slowReplicationBody, body)) }];
    default: {
      if (rest.includes("/")) throw new RouteError(404, "NotFound", `No fault endpoint ${FAULTS_PATH}/${rest}`);
      allow("GET", "DELETE");
      if (method === "DELETE") return [200, { fault: await injector.end(rest) }];
      return [200, { fault: injector.get(rest) }];
    }
  }
}
