import http from "node:http";
import { forwardTo, listenOnLoopback } from "./http-hop";

// An HTTP hop in front of the emulator that refuses every call signed for the blocked regions with AWS's own 403
// AccessDenied, as an organisation policy denying a region does, and forwards everything else unchanged.

export interface RegionGate {
  url: string;
  /** Regions refused right now; tests may change it between calls. */
  blocked: Set<string>;
  /** Requests seen per signed region. */
  seen: Map<string, number>;
  close(): Promise<void>;
}

const scopeRegion = (authorization: string | undefined) => /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(authorization ?? "")?.[1] ?? "unknown";

export async function startRegionGate(target: string, initiallyBlocked: string[] = []): Promise<RegionGate> {
  const blocked = new Set(initiallyBlocked);
  const seen = new Map<string, number>();
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const region = scopeRegion(req.headers.authorization);
    seen.set(region, (seen.get(region) ?? 0) + 1);
    if (blocked.has(region)) {
      req.resume();
      res.writeHead(403, { "content-type": "text/xml", "x-amzn-requestid": "gate-denied" });
      res.end(
        `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Explicit deny in a service control policy for ${region}</Message></Error><RequestId>gate-denied</RequestId></ErrorResponse>`,
      );
      return;
    }
    forwardTo(upstream, req, res);
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    blocked,
    seen,
    close: listening.close,
  };
}
