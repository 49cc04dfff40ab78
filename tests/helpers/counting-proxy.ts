import http from "node:http";
import { SHARED_READER_AGENT } from "@/lib/aws/shared-reader-agent";
import { forwardTo, listenOnLoopback } from "./http-hop";

// A pass-through HTTP proxy in front of the emulator that notes the AWS operation of every request, so a test can
// say exactly which AWS calls the app made (or that it made none). The emulator behind it is the real one.

export interface CountingProxy {
  url: string;
  /** Operation names (the awsQuery Action, the X-Amz-Target suffix or FIS's REST route) in arrival order. */
  operations: string[];
  /**
   * The operations requests made, in arrival order: all but the shared readers' (a watcher's polling, a cache page's
   * shared detail feed), which name themselves in their User-Agent (lib/aws/shared-reader.ts) and run whatever a test
   * does. What "no AWS call for a refused request" counts.
   */
  requestCalls(): string[];
  reset(): void;
  /** From now on, requests for `operation` are never forwarded nor answered; resolves when the first one arrives. */
  hold(operation: string): Promise<void>;
  /**
   * From now on, requests for `operation` are forwarded at once but their answers are kept back; resolves when the
   * first answer is in hand. An early question answered late, as a slow network does. `reader`: only the calls of
   * this shared reader (lib/aws/shared-reader.ts: "watcher", "detail"), as their User-Agent names it.
   */
  holdAnswers(operation: string, reader?: string): Promise<void>;
  /** Stops holding `operation` and forwards the requests (or returns the answers) held so far, as if the network had only been slow. */
  release(operation: string): void;
  close(): Promise<void>;
}

/** Reads (Describe*, List*, Get*: the app's own and the fleet watcher's polling) as opposed to calls that change something. */
export const isRead = (operation: string): boolean => /^(Describe|List|Get)/.test(operation);

/** AWS FIS (restJson1) names its operations by method and path. */
const REST_OPERATIONS: Array<[method: string, path: RegExp, operation: string]> = [
  ["POST", /^\/experimentTemplates$/, "CreateExperimentTemplate"],
  ["GET", /^\/experimentTemplates\/[^/]+$/, "GetExperimentTemplate"],
  ["DELETE", /^\/experimentTemplates\/[^/]+$/, "DeleteExperimentTemplate"],
  ["POST", /^\/experiments$/, "StartExperiment"],
  ["GET", /^\/experiments$/, "ListExperiments"],
  ["GET", /^\/experiments\/[^/]+$/, "GetExperiment"],
  ["DELETE", /^\/experiments\/[^/]+$/, "StopExperiment"],
];

function operationOf(request: http.IncomingMessage, body: Buffer): string {
  const target = request.headers["x-amz-target"];
  if (typeof target === "string") return target.split(".").pop() ?? target;
  const path = (request.url ?? "/").split("?")[0];
  const rest = REST_OPERATIONS.find(([method, pattern]) => method === request.method && pattern.test(path));
  if (rest) return rest[2];
  return new URLSearchParams(body.toString("utf8")).get("Action") ?? `${request.method} ${request.url}`;
}

/**
 * `inspect` sees every request's operation and body as it passes (benchmarks count GetMetricData's metrics), and its
 * response, to tell when the call ended.
 */
export async function startCountingProxy(
  upstream: string,
  inspect?: (operation: string, body: Buffer, request: http.IncomingMessage, response: http.ServerResponse) => void,
): Promise<CountingProxy> {
  const operations: string[] = [];
  const shared: boolean[] = [];
  const held = new Map<string, () => void>();
  const heldAnswers = new Map<string, { reader?: string; arrived: () => void }>();
  const waiting = new Map<string, (() => void)[]>();
  const target = new URL(upstream);
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const operation = operationOf(request, body);
      operations.push(operation);
      shared.push(String(request.headers["user-agent"] ?? "").includes(SHARED_READER_AGENT));
      inspect?.(operation, body, request, response);
      const arrived = held.get(operation);
      if (arrived) {
        arrived();
        waiting.set(operation, [...(waiting.get(operation) ?? []), () => forwardTo(target, request, response, body)]);
        return;
      }
      const answerHeld = heldAnswers.get(operation);
      const userAgent = String(request.headers["user-agent"] ?? "");
      const deliver =
        answerHeld && (!answerHeld.reader || userAgent.includes(`${SHARED_READER_AGENT}/${answerHeld.reader}`))
        ? (send: () => void) => {
            if (!heldAnswers.has(operation)) return send();
            answerHeld.arrived();
            waiting.set(operation, [...(waiting.get(operation) ?? []), send]);
          }
        : undefined;
      forwardTo(target, request, response, body, deliver);
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    operations,
    requestCalls: () => operations.filter((_, i) => !shared[i]),
    reset: () => {
      operations.splice(0, operations.length);
      shared.splice(0, shared.length);
    },
    hold: (operation) => new Promise((resolve) => held.set(operation, resolve)),
    holdAnswers: (operation, reader) => new Promise((resolve) => heldAnswers.set(operation, { reader, arrived: resolve })),
    release: (operation) => {
      held.delete(operation);
      heldAnswers.delete(operation);
      for (const forward of waiting.get(operation) ?? []) forward();
      waiting.delete(operation);
    },
    close: listening.close,
  };
}
