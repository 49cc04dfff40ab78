import type { IncomingHttpHeaders } from "node:http";
import { ApiError } from "./api-error";
import { headerValue } from "./protocol";

// Any web page a person visits can make their browser POST to 127.0.0.1 without a preflight (text/plain JSON, a form
// post of an awsQuery call), and a DNS-rebinding page can do it under its own host name. The emulator is unauthenticated,
// so it refuses what only a browser on another site sends: an Origin outside the allow-list, or a Host that is not a
// loopback name. SDKs, the AWS CLI and boto3 send no Origin and address 127.0.0.1 or localhost, so they pass.

export interface RequestOriginPolicy {
  /** Origins allowed besides loopback ones, exactly as a browser sends them (`https://console.example:8443`). */
  extraOrigins: readonly string[];
  /** Host names allowed besides loopback ones, without the port (`emulator.internal`). */
  extraHosts: readonly string[];
}

export const loopbackOnly: RequestOriginPolicy = { extraOrigins: [], extraHosts: [] };

/**
 * The policy from configuration (--allowed-origin / --allowed-host, or comma-separated EMULATOR_EXTRA_ALLOWED_ORIGINS /
 * EMULATOR_EXTRA_ALLOWED_HOSTS); throws an Error naming the first entry that is not an origin or a host name.
 */
export function originPolicy(origins: readonly string[], hosts: readonly string[]): RequestOriginPolicy {
  const extraOrigins = origins.map((entry) => {
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.pathname !== "/" || url.search || url.hash || url.username) {
      throw new Error(`allowed origin "${entry}" is not an origin such as https://console.example:8443 (scheme, host, optional port, no path)`);
    }
    return url.origin;
  });
  const extraHosts = hosts.map((entry) => {
    const name = hostNameOf(entry);
    if (name === null || name !== entry.trim().toLowerCase()) throw new Error(`allowed host "${entry}" is not a host name such as emulator.internal (no scheme, no port)`);
    return name;
  });
  return { extraOrigins, extraHosts };
}

/** localhost (and its subdomains, which resolve to loopback), 127.0.0.0/8 and [::1]. */
function isLoopbackName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost") || /^127(\.\d{1,3}){3}$/.test(name) || name === "[::1]";
}

/** The host name of a Host header value (`[::1]:4566` → `[::1]`), or null when it is not one. */
function hostNameOf(host: string): string | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i.exec(host.trim());
  return match ? match[1].toLowerCase() : null;
}

function isAllowedOrigin(origin: string, policy: RequestOriginPolicy): boolean {
  if (policy.extraOrigins.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (a sandboxed frame, a file: page) and anything unparseable
  }
  return (url.protocol === "http:" || url.protocol === "https:") && isLoopbackName(url.hostname);
}

/** The refusal for a request a foreign web page could have sent, or null when the request may go on. */
export function foreignRequestRefusal(headers: IncomingHttpHeaders, policy: RequestOriginPolicy): ApiError | null {
  const host = headerValue(headers, "host");
  // HTTP/1.0 clients may omit Host; a browser never does, so no Host is no rebinding.
  if (host !== undefined) {
    const name = hostNameOf(host);
    if (name === null || (!isLoopbackName(name) && !policy.extraHosts.includes(name))) {
      return accessDenied(`Host ${JSON.stringify(host)} is not a loopback name; the emulator answers only localhost, 127.0.0.1 and [::1] (add names with --allowed-host)`);
    }
  }
  const origin = headerValue(headers, "origin");
  if (origin !== undefined && !isAllowedOrigin(origin, policy)) {
    return accessDenied(`Requests from the web origin ${JSON.stringify(origin)} are refused: only loopback origins may call the emulator (add one with --allowed-origin)`);
  }
  return null;
}

function accessDenied(message: string): ApiError {
  return new ApiError("AccessDenied", message, 403, "Sender", "AccessDeniedException");
}
