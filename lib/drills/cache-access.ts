import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Place } from "@/lib/place";

// How the probe reaches a group that uses in-transit encryption or an AUTH token. TLS needs nothing on AWS (the nodes'
// certificates chain to a public CA in the system's trust store); a private CA, like the emulator's, is trusted from
// CACHEDECK_CACHE_CA_FILE. AUTH tokens are secrets the ElastiCache API never returns: CacheDeck reads them from the
// file CACHEDECK_CACHE_AUTH_TOKENS_FILE names, a JSON object from "<account>/<region>/<replicationGroupId>" (or the
// bare id) to the token. Both files are read when a probe starts, so a rotated token needs no restart.

export interface CacheAccessConfig {
  caFile: string | null;
  authTokensFile: string | null;
}

export interface CacheAccess {
  /** Null: plain text. An empty object: TLS with the system's CAs. */
  tls: { ca?: string } | null;
  password: string | null;
}

const tokensFile = z.record(z.string(), z.string().min(1));

/** How to connect to the group, or what stands in the way (said without any token). */
export function cacheAccessFor(
  config: CacheAccessConfig | undefined,
  place: Place,
  group: { id: string; transitEncryption: boolean; authToken: boolean },
): CacheAccess | { problem: string } {
  let tls: CacheAccess["tls"] = null;
  if (group.transitEncryption) {
    if (!config?.caFile) tls = {};
    else {
      try {
        tls = { ca: readFileSync(config.caFile, "utf8") };
      } catch (error) {
        return { problem: `The group uses in-transit encryption and CACHEDECK_CACHE_CA_FILE (${config.caFile}) cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"}).` };
      }
    }
  }
  if (!group.authToken) return { tls, password: null };
  const key = `${place.account}/${place.region}/${group.id}`;
  if (!config?.authTokensFile) {
    return { problem: `The group uses an AUTH token, which CacheDeck needs to write to it: set CACHEDECK_CACHE_AUTH_TOKENS_FILE to a JSON file with an entry "${key}".` };
  }
  let tokens: Record<string, string>;
  try {
    tokens = tokensFile.parse(JSON.parse(readFileSync(config.authTokensFile, "utf8")));
  } catch {
    return { problem: `CACHEDECK_CACHE_AUTH_TOKENS_FILE (${config.authTokensFile}) cannot be read as a JSON object of tokens.` };
  }
  const token = tokens[key] ?? tokens[group.id];
  if (!token) return { problem: `The group uses an AUTH token and CacheDeck has none for it: add an entry "${key}" to ${config.authTokensFile}.` };
  return { tls, password: token };
}
