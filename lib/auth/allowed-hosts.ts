import type { Env } from "@/lib/env";

// DNS rebinding: a web page on rebind.example whose name is then pointed at 127.0.0.1 (or at an internal address)
// reaches CacheDeck as its own origin, so the browser's same-origin rules, SameSite cookies and Next's Origin check on
// server actions all pass. The Host header still says rebind.example, so a request is only served when its Host (and
// any X-Forwarded-Host a proxy added) is an address CacheDeck was configured to be reached at.

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "[::1]"];

// Only a host name or address with an optional port; anything else (userinfo, paths, spaces) is refused outright
// rather than handed to the URL parser, which would read `evil@127.0.0.1` as 127.0.0.1.
const HOST_SYNTAX = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `host` as the URL parser normalises it (lower case, default port dropped), or null if it is not a bare host. */
function normalisedHost(host: string, protocol: string): string | null {
  if (!HOST_SYNTAX.test(host)) return null;
  try {
    return new URL(`${protocol}//${host}`).host;
  } catch {
    return null;
  }
}

export interface HostRule {
  protocol: string;
  /** Exact hosts (with port when not the protocol's default). */
  hosts: ReadonlySet<string>;
  /** Loopback names on any port: local development without NEXTAUTH_URL only. */
  anyLoopbackPort: boolean;
}

/**
 * Where this CacheDeck may be reached: NEXTAUTH_URL's host and CACHEDECK_ALLOWED_HOSTS; in demo mode and in
 * development also the loopback names on NEXTAUTH_URL's port (the demo prints 127.0.0.1, a person may type
 * localhost); with no NEXTAUTH_URL at all (`next dev`), loopback names on any port.
 */
export function hostRule(env: Env): HostRule {
  const url = env.session.url;
  const protocol = url?.protocol ?? "http:";
  const hosts = new Set<string>();
  const add = (host: string) => {
    const normalised = normalisedHost(host, protocol);
    if (normalised) hosts.add(normalised);
  };
  if (url) add(url.host);
  for (const host of env.allowedHosts) add(host);
  if (url && (env.demo || !env.production)) for (const name of LOOPBACK_NAMES) add(url.port ? `${name}:${url.port}` : name);
  return { protocol, hosts, anyLoopbackPort: url === null };
}

function hostAllowed(rule: HostRule, host: string): boolean {
  const normalised = normalisedHost(host, rule.protocol);
  if (normalised === null) return false;
  if (rule.hosts.has(normalised)) return true;
  return rule.anyLoopbackPort && LOOPBACK_NAMES.includes(normalised.replace(/:\d+$/, ""));
}

/** Why a request with these headers is refused, or null when its Host (and X-Forwarded-Host) are CacheDeck's own. */
export function hostRefusal(headers: Pick<Headers, "get">, rule: HostRule): string | null {
  const host = headers.get("host") ?? "";
  if (!hostAllowed(rule, host)) {
    return `This CacheDeck is not served as "${host.slice(0, 100)}". Open it at its configured address (NEXTAUTH_URL); see docs/auth.md, "Host check".`;
  }
  const forwarded = headers.get("x-forwarded-host");
  if (forwarded !== null && !forwarded.split(",").every((h) => hostAllowed(rule, h.trim()))) {
    return `This CacheDeck is not served as "${forwarded.slice(0, 100)}" (X-Forwarded-Host). Add the public host to NEXTAUTH_URL or CACHEDECK_ALLOWED_HOSTS.`;
  }
  return null;
}

/** The refusal as an HTTP answer (403, plain text). */
export function hostRefusalResponse(message: string): Response {
  return new Response(`${message}\n`, { status: 403, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
}
